/**
 * The built-in offline provider: real, deterministic methods that run inside
 * the worker with no network and no account, for local development, CI, and
 * as the last link of the chain in production.
 */
import type { TaskKind } from "@statex/shared/tasks";
import { DOCUMENT_READER, extractDocument } from "../../documents";
import { readTaskFile } from "../../files";
import { runPrototype } from "../../prototype/run";
import { Answer, type Provider, ProviderError } from "../types";
import { analyse } from "./nlp";

export const offlineProvider: Provider = {
  name: "offline",
  model: "statex-offline-nlp (eld extrasmall, frequency summary, RAKE)",
  version: "1.0.0",
  supports(kind: TaskKind): boolean {
    // docai: text layers (PDF, DOCX, TXT, MD) are read in the worker; images and scans are declined (no OCR here).
    return kind === "nlp" || kind === "docai" || kind === "prototype";
  },
  async run(task, env) {
    if (task.kind === "docai") return new Answer(await extractDocument(await readTaskFile(task, env)), { model: DOCUMENT_READER });
    if (task.kind === "prototype") {
      const draft = await runPrototype(task, env);
      return new Answer(draft, { template: { id: draft.template.id, version: draft.template.version } });
    }
    if (task.kind !== "nlp") throw new ProviderError(`offline provider does not run ${task.kind} tasks`, "invalid-input");
    const text = task.input.text?.trim();
    if (!text) throw new ProviderError("nlp task without text", "invalid-input");
    return analyse(text);
  },
};
