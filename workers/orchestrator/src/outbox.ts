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

/** Sends every unsent message in order; returns how many are still unsent. Never throws. */
export async function sendOutbox(store: JobStore, env: OrchestratorEnv, log: Logger): Promise<number> {
  let failed = 0;
  for (const row of store.unsent()) {
    try {
      const body: unknown = JSON.parse(row.body);
      if (row.target === "task") await env.Q_AI_TASKS.send(body, { contentType: "json" });
      else await publish(env, parseEvent(body));
      store.markSent(row.seq, Date.now());
    } catch (err) {
      failed++;
      store.markFailed(row.seq, String(err));
      log.warn("outbox send failed, the alarm will retry", { messageId: row.id, attempts: row.attempts + 1, error: errorOf(err) });
    }
  }
  return failed;
}

/** An error as a log field: Errors keep name and message, anything else becomes a string. */
export function errorOf(err: unknown): Error | string {
  return err instanceof Error ? err : String(err);
}
