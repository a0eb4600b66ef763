/**
 * The job's outbox: every event and task message is first written next to the
 * state change that causes it, then sent. A failed send stays in the outbox
 * and the alarm sends it again, so nothing is lost; a message sent twice is
 * harmless because every consumer is idempotent by id.
 */
import { createEvent, type EventData, type EventType, parseEvent } from "@statex/shared/events";
import type { Logger } from "@statex/shared/logger";
import { publish } from "@statex/shared/routing";
import type { TaskMessage } from "@statex/shared/tasks";
import type { JobStore } from "./store";

/**
 * Queues an event whose id is derived from the request and the step
 * (`req_…:job.completed`), so replaying a step can never make a second, different event.
 */
export function enqueueEvent<T extends EventType>(
  store: JobStore,
  type: T,
  data: EventData<T>,
  meta: { requestId: string; step?: string | undefined; now: number },
): void {
  const id = [meta.requestId, type, meta.step].filter(Boolean).join(":");
  const event = createEvent(type, data, {
    id,
    correlationId: meta.requestId,
    source: "orchestrator",
    occurredAt: new Date(meta.now),
  });
  store.enqueue(id, "event", event);
}

/** Queues one attempt of a task for the ai worker. */
export function enqueueTask(store: JobStore, message: TaskMessage): void {
  store.enqueue(`${message.requestId}:task:${message.taskId}:${message.attempt}`, "task", message);
}

/**
 * Sends every unsent message: the task messages in one batch, the events in one batch per subscriber queue
 * (each queue keeps their order), so a step that made five messages costs a round trip per queue, not five.
 * A batch that fails stays unsent as a whole, for the alarm; returns how many are still unsent. Never throws.
 */
export async function sendOutbox(store: JobStore, env: OrchestratorEnv, log: Logger): Promise<number> {
  const rows = store.unsent();
  if (!rows.length) return 0;
  const tasks = rows.filter((r) => r.target === "task");
  const events = rows.filter((r) => r.target !== "task");
  const groups = [
    { rows: tasks, send: () => env.Q_AI_TASKS.sendBatch(tasks.map((r) => ({ body: JSON.parse(r.body) as unknown, contentType: "json" as const }))) },
    { rows: events, send: () => publish(env, ...events.map((r) => parseEvent(JSON.parse(r.body)))) },
  ].filter((g) => g.rows.length);
  const outcomes = await Promise.allSettled(groups.map(async (g) => g.send()));
  let failed = 0;
  const now = Date.now();
  outcomes.forEach((outcome, i) => {
    for (const row of groups[i]?.rows ?? []) {
      if (outcome.status === "fulfilled") {
        store.markSent(row.seq, now);
        continue;
      }
      failed++;
      store.markFailed(row.seq, String(outcome.reason));
      log.warn("outbox send failed, the alarm will retry", { messageId: row.id, attempts: row.attempts + 1, error: errorOf(outcome.reason) });
    }
  });
  return failed;
}

/** An error as a log field: Errors keep name and message, anything else becomes a string. */
export function errorOf(err: unknown): Error | string {
  return err instanceof Error ? err : String(err);
}
