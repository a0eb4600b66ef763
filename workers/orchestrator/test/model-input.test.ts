import { runInDurableObject } from "cloudflare:test";
import { newId } from "@statex/shared/ids";
import type { Provenance, TaskMessage } from "@statex/shared/tasks";
import { describe, expect, it } from "vitest";
import { jobState } from "../src/job-state";
import { JobStore } from "../src/job-store";
import { JobMachine } from "../src/machine";
import { jobOf, newRequest } from "./helpers";

const file = (id: string, kind: "audio" | "document", name: string) => ({
  id,
  key: `requests/r/files/${id}`,
  name,
  kind,
  mime: kind === "audio" ? "audio/webm" : "application/pdf",
  size: 10,
  sha256: "0".repeat(64),
});

const provenance = (inputTokens: number, outputTokens: number): Provenance => ({ provider: "openai", model: "m", version: "v1", durationMs: 1, usage: { inputTokens, outputTokens } });

describe("what a language model's task is given", () => {
  it("says where each part of the text came from, and how many tokens the request's tasks used so far", async () => {
    await runInDurableObject(jobOf(newId("req")), (_instance, state) => {
      const store = new JobStore(state.storage.sql);
      store.migrate();
      const machine = new JobMachine(store, { maxAttempts: 1, timeoutMs: 1_000, queueTimeoutMs: 10_000, kinds: new Set(["asr", "docai", "nlp", "prototype"] as const) });
      const request = { ...newRequest("Please see the recording and the brief."), files: [file("f1", "audio", "note.webm"), file("f2", "document", "brief.pdf")] };
      const now = Date.now();
      machine.start(request, now);
      machine.dispatch(now);
      const id = (kind: string) => store.tasks().find((t) => t.kind === kind)?.id ?? "";
      const done = (taskId: string, output: Record<string, unknown>, p: Provenance = provenance(0, 0)) =>
        machine.succeed({ ok: true, requestId: request.requestId, taskId, attempt: 1, output, provenance: p }, `k-${taskId}`, now);
      done(id("asr"), { text: "We want online booking." }, { provider: "openai", model: "whisper", version: "v1", durationMs: 1, usage: { audioSeconds: 3 } });
      done(id("docai"), { text: "Brief: three clinics.", markdown: "# Brief" }, provenance(120, 30));
      machine.dispatch(now);
      const nlpMessage = () =>
        store.unsent().flatMap((m) => (m.target === "task" ? [JSON.parse(m.body) as TaskMessage] : [])).find((t) => t.kind === "nlp");
      expect(nlpMessage()?.input).toMatchObject({
        text: "Please see the recording and the brief.\n\nWe want online booking.\n\nBrief: three clinics.",
        sources: [
          { kind: "request", name: "request", chars: 39 },
          { kind: "transcript", name: "note.webm", chars: 23 },
          { kind: "document", name: "brief.pdf", chars: 21 },
        ],
        tokensUsed: 150,
      });
      done("nlp", { summary: "Booking for three clinics." }, provenance(900, 200));
      expect(jobState(store)?.usage).toEqual({ inputTokens: 1020, outputTokens: 230, neurons: 0 });
    });
  });
});
