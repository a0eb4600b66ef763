// Builders and probes shared by the orchestrator's tests.
import { runInDurableObject } from "cloudflare:test";
import { onTestFinished, vi } from "vitest";
import { env } from "cloudflare:workers";
import type { Envelope, EventData } from "@statex/shared/events";
import { newId } from "@statex/shared/ids";
import type { NlpResult, TaskMessage, TaskReport } from "@statex/shared/tasks";

export const contact = { name: "Ada Lovelace", email: "ada@example.com" };

/** A fresh request, so no two tests share a job. */
export function newRequest(text = "We need a booking website for our dental clinic."): EventData<"request.created"> {
  return { requestId: newId("req"), channel: "web", contact, text, files: [] };
}

export function jobOf(requestId: string) {
  return env.REQUEST_JOB.getByName(requestId);
}

export const nlpOutput: NlpResult = {
  language: { code: "en", confidence: 0.93 },
  summary: "We need a booking website for our dental clinic.",
  keywords: [{ phrase: "booking website", score: 4 }],
  stats: { words: 9, sentences: 1 },
};

export function success(requestId: string, attempt = 1): TaskReport {
  return {
    ok: true,
    requestId,
    taskId: "nlp",
    attempt,
    output: nlpOutput,
    provenance: { provider: "offline", model: "test", version: "1", durationMs: 3 },
  };
}

export function failure(
  requestId: string,
  errorClass: "retryable" | "invalid-input" | "rate-limited",
  attempt = 1,
  retryAfterMs?: number,
): TaskReport {
  return { ok: false, requestId, taskId: "nlp", attempt, error: `provider said ${errorClass}`, errorClass, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

type OutboxEntry = { id: string; target: string; body: string; sent_at: number | null };

/** The job's outbox as stored: what it sent (sent_at set) and what it still has to send. */
export async function outbox(requestId: string): Promise<OutboxEntry[]> {
  return runInDurableObject(jobOf(requestId), (_job, state) =>
    state.storage.sql.exec<OutboxEntry>("SELECT id, target, body, sent_at FROM outbox ORDER BY seq").toArray(),
  );
}

/** The events the job published, in order. */
export async function sentEvents(requestId: string): Promise<Envelope[]> {
  return (await outbox(requestId)).filter((r) => r.target === "event" && r.sent_at !== null).map((r) => JSON.parse(r.body));
}

/** The task messages the job sent to the ai queue, in order. */
export async function sentTasks(requestId: string): Promise<TaskMessage[]> {
  return (await outbox(requestId)).filter((r) => r.target === "task" && r.sent_at !== null).map((r) => JSON.parse(r.body));
}

/**
 * Moves the clock past the latest retry time (or deadline) of the job's tasks, as if the wait were over. The
 * job runs in the tests' isolate, so it reads the same clock; the clock stays there until the test ends.
 */
export async function elapse(requestId: string, until: "retryAt" | "deadlineAt"): Promise<void> {
  const times = ((await jobOf(requestId).getState())?.tasks ?? []).flatMap((t) => {
    const at = t[until];
    return at === null ? [] : [Date.parse(at)];
  });
  if (!times.length) throw new Error(`no task of ${requestId} has a ${until}`);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Math.max(...times) + 1);
  onTestFinished(() => {
    vi.useRealTimers();
  });
}

/**
 * The job's D1 mirror, once it caught up with the object: after a task report the object answers first and
 * mirrors right after (see RequestJob.advance), so a read straight after a report waits for that.
 */
export async function jobsRow(requestId: string) {
  await vi.waitFor(
    async () => {
      const behind = await runInDurableObject(jobOf(requestId), (_job, state) =>
        state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM job WHERE version > mirrored_version").one().n,
      );
      if (behind) throw new Error("the D1 mirror is behind the object");
    },
    { timeout: 5_000, interval: 10 },
  );
  return jobsRowNow(requestId);
}

/** The job's D1 mirror as it is now, caught up or not. */
export async function jobsRowNow(requestId: string) {
  return env.DB.prepare("SELECT status, steps, result, error, completed_at FROM jobs WHERE request_id = ?")
    .bind(requestId)
    .first<{ status: string; steps: string; result: string | null; error: string | null; completed_at: string | null }>();
}
