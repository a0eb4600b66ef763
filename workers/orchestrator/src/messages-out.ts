/**
 * What the job sends (its events, and its tasks for the ai worker), through its outbox table: every message is
 * first written next to the state change that causes it, then sent. A failed send stays in the outbox and the
 * alarm sends it again, so nothing is lost; a message sent twice is harmless because every consumer is
 * idempotent by id.
 */
import { createEvent, type EventData, type EventType, parseEvent } from "@statex/shared/events";
import { type Logger, errorField } from "@statex/shared/logger";
import { publish } from "@statex/shared/routing";
import type { TaskMessage } from "@statex/shared/tasks";
import type { JobStore } from "./job-store";
import type { OutboxRow } from "./job-tables";

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

/** Cloudflare Queues take at most 100 messages and 256 KB in one sendBatch; a chunk stays under both. */
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 240 * 1024;
const encoder = new TextEncoder();

/** Splits rows into chunks a queue accepts in one sendBatch, in order. */
export function batchesOf(rows: OutboxRow[]): OutboxRow[][] {
  const out: OutboxRow[][] = [];
  let chunk: OutboxRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = encoder.encode(row.body).byteLength;
    if (chunk.length && (chunk.length >= MAX_BATCH_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length) out.push(chunk);
  return out;
}

/** Sends rows of one target: task messages to the ai-tasks queue, events to every queue subscribed to them. */
async function sendRows(rows: OutboxRow[], env: OrchestratorEnv): Promise<void> {
  if (rows[0]?.target === "task") {
    await env.Q_AI_TASKS.sendBatch(rows.map((r) => ({ body: JSON.parse(r.body) as unknown, contentType: "json" as const })));
  } else {
    await publish(env, ...rows.map((r) => parseEvent(JSON.parse(r.body))));
  }
}

/**
 * Sends every unsent message in batches (a step that made five messages costs a round trip per queue, not
 * five). A batch that fails is tried again message by message, so one bad message holds back no other; what
 * still fails stays unsent for the alarm. A queue may then get a message twice, which its consumer ignores
 * (idempotent by id). Returns how many are still unsent. Never throws.
 */
export async function sendOutbox(store: JobStore, env: OrchestratorEnv, log: Logger): Promise<number> {
  const rows = store.unsent();
  if (!rows.length) return 0;
  const batches = [...batchesOf(rows.filter((r) => r.target === "task")), ...batchesOf(rows.filter((r) => r.target !== "task"))];
  let failed = 0;
  const trySend = async (batch: OutboxRow[]): Promise<unknown> => {
    try {
      await sendRows(batch, env);
      const now = Date.now();
      for (const row of batch) store.markSent(row.seq, now);
      return undefined;
    } catch (err) {
      return err ?? new Error("send failed");
    }
  };
  await Promise.all(
    batches.map(async (batch) => {
      if ((await trySend(batch)) === undefined) return;
      for (const row of batch) {
        const err = await trySend([row]);
        if (err === undefined) continue;
        failed++;
        store.markFailed(row.seq, String(err));
        log.warn("outbox send failed, the alarm will retry", { messageId: row.id, attempts: row.attempts + 1, error: errorField(err) });
      }
    }),
  );
  return failed;
}

