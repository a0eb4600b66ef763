import { runInDurableObject } from "cloudflare:test";
import { type Envelope, REQUEST_DRAFT_MAX } from "@statex/shared/events";
import { newId } from "@statex/shared/ids";
import { describe, expect, it } from "vitest";
import { JobMachine } from "../src/machine";
import { toStep } from "../src/mirror";
import { JobStore } from "../src/job-store";
import { jobOf, newRequest, nlpOutput } from "./helpers";

const file = (id: string, kind: "audio" | "document") => ({
  id,
  key: `requests/r/files/${id}`,
  name: `${id}.${kind === "audio" ? "webm" : "pdf"}`,
  kind,
  mime: kind === "audio" ? "audio/webm" : "application/pdf",
  size: 10,
  sha256: "0".repeat(64),
});

const provenance = { provider: "offline", model: "test", version: "1", durationMs: 1 };

describe("partial completion", () => {
  it("completes with what succeeded when one recording's transcription fails for good, and says what failed and why", async () => {
    // The machine over a fresh object's storage, with every task kind enabled (the project's env enables nlp only).
    await runInDurableObject(jobOf(newId("req")), (_instance, state) => {
      const store = new JobStore(state.storage.sql);
      store.migrate();
      const machine = new JobMachine(store, { maxAttempts: 1, timeoutMs: 1_000, queueTimeoutMs: 10_000, kinds: new Set(["asr", "docai", "nlp", "prototype"] as const) });
      const request = { ...newRequest("Please see the recording and the brief."), files: [file("f1", "audio"), file("f2", "document")] };
      const now = Date.now();
      expect(machine.start(request, now)).toBe(true);
      machine.dispatch(now);
      const tasks = () => store.tasks();
      const asr = tasks().find((t) => t.kind === "asr");
      const docai = tasks().find((t) => t.kind === "docai");
      expect(asr?.state).toBe("running");
      expect(docai?.state).toBe("running");
      expect(tasks().find((t) => t.kind === "nlp")?.state).toBe("pending");

      // The recording is unreadable: no retry can help, so the asr task fails for good, and the job goes on.
      machine.fail(asr?.id ?? "", 1, { errorClass: "invalid-input", error: "audio could not be decoded" }, now);
      expect(store.job()?.status).toBe("processing");
      const docText = { markdown: "# Brief\n\nA booking site.", text: "Brief. A booking site.", pages: 1, metadata: {}, method: "pdf-text" };
      machine.succeed({ ok: true, requestId: request.requestId, taskId: docai?.id ?? "", attempt: 1, output: docText, provenance }, "k1", now);
      machine.dispatch(now);
      const nlp = tasks().find((t) => t.kind === "nlp");
      expect(nlp?.state).toBe("running");
      machine.succeed({ ok: true, requestId: request.requestId, taskId: "nlp", attempt: 1, output: { ...nlpOutput }, provenance }, "k2", now);
      machine.dispatch(now);
      machine.succeed({ ok: true, requestId: request.requestId, taskId: "prototype", attempt: 1, output: { markdown: "# Draft" }, provenance }, "k3", now);
      expect(machine.readyToFinish()).toBe(true);
      machine.complete({ summary: "A booking site." }, "analysis", now);

      expect(store.job()?.status).toBe("completed");
      const failed = tasks().find((t) => t.kind === "asr");
      expect(failed).toMatchObject({ state: "failed" });
      expect(failed?.error).toBe("audio could not be decoded");
      // What the status page and the live timeline show: each file's step names its file, and says what failed.
      expect(tasks().map(toStep).map((t) => [t.kind, t.fileName, t.state, t.error])).toEqual([
        ["asr", "f1.webm", "failed", "audio could not be decoded"],
        ["docai", "f2.pdf", "succeeded", undefined],
        ["nlp", undefined, "succeeded", undefined],
        ["prototype", undefined, "succeeded", undefined],
      ]);
    });
  });

  it.each([
    ["carries the first draft in request.completed, for the ready email", "# Draft\n\n- online booking", true],
    ["leaves out a draft longer than an email should carry", `# Draft\n\n${"word ".repeat(REQUEST_DRAFT_MAX / 5)}`, false],
  ])("%s", async (_label, markdown, carried) => {
    await runInDurableObject(jobOf(newId("req")), (_instance, state) => {
      const store = new JobStore(state.storage.sql);
      store.migrate();
      const machine = new JobMachine(store, { maxAttempts: 1, timeoutMs: 1_000, queueTimeoutMs: 10_000, kinds: new Set(["nlp", "prototype"] as const) });
      const request = newRequest("A booking site.");
      const now = Date.now();
      machine.start(request, now);
      machine.dispatch(now);
      machine.succeed({ ok: true, requestId: request.requestId, taskId: "nlp", attempt: 1, output: { ...nlpOutput }, provenance }, "k1", now);
      machine.dispatch(now);
      machine.succeed({ ok: true, requestId: request.requestId, taskId: "prototype", attempt: 1, output: { markdown }, provenance }, "k2", now);
      machine.complete({ summary: "A booking site.", prototype: { markdown } }, "analysis", now);
      const completed = store.unsent().map((row) => JSON.parse(row.body) as Envelope).find((e) => e.type === "request.completed");
      expect(completed?.data).toEqual({ requestId: request.requestId, contact: request.contact, summary: "A booking site.", resultKey: "analysis", ...(carried ? { draft: markdown } : {}) });
    });
  });

  it("still fails the job when nlp fails for good: without it there is no answer", async () => {
    await runInDurableObject(jobOf(newId("req")), (_instance, state) => {
      const store = new JobStore(state.storage.sql);
      store.migrate();
      const machine = new JobMachine(store, { maxAttempts: 1, timeoutMs: 1_000, queueTimeoutMs: 10_000, kinds: new Set(["nlp", "prototype"] as const) });
      const request = newRequest("A shop.");
      machine.start(request, Date.now());
      machine.dispatch(Date.now());
      machine.fail("nlp", 1, { errorClass: "invalid-input", error: "no text" }, Date.now());
      expect(store.job()?.status).toBe("failed");
    });
  });
});
