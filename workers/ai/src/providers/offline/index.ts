/**
 * The built-in offline provider: real, deterministic methods that run inside
 * the worker with no network and no account, for local development, CI, and
 * as the last link of the chain in production.
 */
import type { TaskKind } from "@statex/shared/tasks";
import { type Provider, ProviderError } from "../types";
import { analyse } from "./nlp";

export const offlineProvider: Provider = {
  name: "offline",
  model: "statex-offline-nlp (eld extrasmall, frequency summary, RAKE)",
  version: "1.0.0",
  supports(kind: TaskKind): boolean {
    return kind === "nlp";
  },
  async run(task) {
    if (task.kind !== "nlp") throw new ProviderError(`offline provider does not run ${task.kind} tasks`, "invalid-input");
    const text = task.input.text?.trim();
    if (!text) throw new ProviderError("nlp task without text", "invalid-input");
    return analyse(text);
  },
};
