/**
 * What the logging worker stores from each queue it consumes: event envelopes (the
 * audit trail), log batches, and whatever reached a dead-letter queue. Every message
 * is acked or retried on its own; a body that can never be stored is set aside as a
 * dead letter instead of being retried. Redelivery stores nothing twice: events by
 * their id, log batches by the queue message id (remembered in processed_events in
 * the same D1 transaction as the lines).
 */
import { backoffSeconds, batchOf, consumeEvents } from "@statex/shared/consumer";
import { type Database, schema } from "@statex/shared/db";
import { InvalidEventError, parseEvent } from "@statex/shared/events";
import { LogBatch, type Logger, errorField } from "@statex/shared/logger";
import { and, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { type MetricsEnv, observabilityOff } from "@statex/shared/metrics";
import { appendAudit } from "./audit";
import { ERASURES, anonymised, erasedAmong, eraseAndStore, isErasure } from "./erasure";
import { pointsOf, recordPoints, rollupUpserts, submissionTimes } from "./rollup";

/** D1 binds at most 100 parameters per statement; a log row binds up to 8. */
const LOG_ROWS_PER_INSERT = Math.floor(100 / 8);
const LOGS_CONSUMER = "logging:logs";

export type QueueKind = { kind: "events" | "logs" } | { kind: "dlq"; origin: string; name: string } | { kind: "unknown" };

/** Tells the queues apart by name, in any environment (`statex-notify-dlq-staging` → DLQ of `statex-notify-staging`). */
export function classifyQueue(queue: string): QueueKind {
  const suffix = /-staging$/.exec(queue)?.[0] ?? "";
  const base = queue.slice(0, queue.length - suffix.length);
  if (base.startsWith("statex-") && base.endsWith("-dlq")) {
    const origin = base.slice(0, -"-dlq".length);
    return { kind: "dlq", origin: `${origin}${suffix}`, name: origin.slice("statex-".length) };
  }
  if (base === "statex-logging") return { kind: "events" };
  if (base === "statex-logs") return { kind: "logs" };
  return { kind: "unknown" };
}

/** `metrics`: where logging's own metric points go (Analytics Engine, where the env has it). */
type Ctx = { db: Database; log: Logger; metrics: MetricsEnv };
/** `erased`: the message is about a request whose personal data was erased, so it is stored anonymised. */
type DeadLetter = { queue: string; message: Message; attempts: number; reason: string; erased?: boolean };

/**
 * Envelope-shaped enough to say what and whose it was, without requiring it to be valid. A task message (the
 * ai-tasks queue) is no envelope: its request id is its correlation id, so its dead letter joins the timeline.
 */
const EnvelopeHint = z.object({
  type: z.string().max(64).optional(),
  correlationId: z.string().max(128).optional(),
  requestId: z.string().max(128).optional(),
});

async function setAside(db: Database, d: DeadLetter): Promise<void> {
  await asideInsert(db, d);
}

/** Acks a message once `store` succeeds; retries it with backoff when `store` throws. */
async function each(batch: MessageBatch, ctx: Ctx, store: (message: Message) => Promise<void>): Promise<void> {
  for (const message of batch.messages) {
    try {
      await store(message);
      message.ack();
    } catch (err) {
      const error = errorField(err);
      ctx.log.error("could not store message, will retry", { queue: batch.queue, messageId: message.id, error });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

/**
 * Stores what `prepare` makes of each message in one D1 batch (one transaction for the
 * whole queue batch instead of one per message). If that batch fails, each message is
 * stored on its own, so one bad message is retried alone and never replays the rest.
 */
async function storeAll(
  batch: MessageBatch,
  ctx: Ctx,
  prepare: (message: Message) => Promise<BatchItem<"sqlite">[]>,
): Promise<void> {
  const prepared: { message: Message; items: BatchItem<"sqlite">[] }[] = [];
  for (const message of batch.messages) {
    try {
      prepared.push({ message, items: await prepare(message) });
    } catch (err) {
      retryLater(batch, ctx, message, err);
    }
  }
  const items = prepared.flatMap((p) => p.items);
  const [first, ...rest] = items;
  try {
    if (first) await ctx.db.batch([first, ...rest]);
    for (const p of prepared) p.message.ack();
    return;
  } catch (err) {
    ctx.log.warn("batch store failed, storing each message on its own", { queue: batch.queue, error: errorField(err) });
  }
  for (const { message, items: own } of prepared) {
    const [head, ...tail] = own;
    try {
      if (head) await ctx.db.batch([head, ...tail]);
      message.ack();
    } catch (err) {
      retryLater(batch, ctx, message, err);
    }
  }
}

function retryLater(batch: MessageBatch, ctx: Ctx, message: Message, err: unknown): void {
  const error = errorField(err);
  ctx.log.error("could not store message, will retry", { queue: batch.queue, messageId: message.id, error });
  message.retry({ delaySeconds: backoffSeconds(message.attempts) });
}

/** The insert that sets a message aside as a dead letter (see {@link setAside}). */
function asideInsert(db: Database, d: DeadLetter): BatchItem<"sqlite"> {
  const hint = EnvelopeHint.safeParse(d.message.body);
  return db
    .insert(schema.deadLetters)
    .values({
      id: `${d.queue}:${d.message.id}`,
      queue: d.queue,
      body: JSON.stringify(d.erased ? anonymised(d.message.body) : d.message.body) ?? "null",
      eventType: hint.success ? hint.data.type : undefined,
      correlationId: hint.success ? (hint.data.correlationId ?? hint.data.requestId) : undefined,
      attempts: d.attempts,
      reason: d.reason.slice(0, 2_000),
    })
    .onConflictDoNothing();
}

/** The correlation id a message body names, if it names one. */
function correlationOf(body: unknown): string | undefined {
  const hint = EnvelopeHint.safeParse(body);
  return hint.success ? (hint.data.correlationId ?? hint.data.requestId) : undefined;
}

/**
 * statex-logging: every published event, once. An erasure (user.deleted, request.erased) also rewrites what it
 * names, through the consumer helper (idempotent by event id, retried on its own), before the rest of the batch
 * is stored, so an event of the same batch about an erased request is stored anonymised.
 */
export async function storeEvents(batch: MessageBatch, ctx: Ctx & { d1: D1Database }): Promise<void> {
  const typeOf = (m: Message) => EnvelopeHint.safeParse(m.body).data?.type ?? "";
  const erasure = (m: Message) => ERASURES.has(typeOf(m));
  // An audit event is kept in the audit trail, not among the events: it is appended one at a time, in order.
  const audit = (m: Message) => typeOf(m) === "audit.recorded";
  // Content's events name who acted: each is stored, and appended to the audit trail too.
  const content = (m: Message) => typeOf(m).startsWith("content.");
  const apart = batch.messages.filter((m) => erasure(m) || audit(m) || content(m));
  if (apart.length) {
    await consumeEvents(batchOf(batch, apart), {
      consumer: "logging",
      db: ctx.d1,
      log: ctx.log,
      handle: async (event) => {
        if (event.type === "audit.recorded") {
          const { action, actor, target, change } = event.data;
          await appendAudit(ctx.d1, { sourceId: event.id, at: event.occurredAt, action, actor, target, change, correlationId: event.correlationId });
          return;
        }
        if (event.type === "content.published" || event.type === "content.updated" || event.type === "content.deleted") {
          const { slug, by } = event.data;
          const action = event.type === "content.updated" ? `content.${event.data.change}` : event.type;
          const change = event.type === "content.deleted" ? null : { version: event.data.version, ...(event.type === "content.published" ? { scheduled: event.data.scheduled } : {}) };
          await appendAudit(ctx.d1, { sourceId: event.id, at: event.occurredAt, action, actor: { id: by, role: null }, target: { type: "page", id: slug }, change, correlationId: event.correlationId });
          const { id, type, correlationId, source, occurredAt, data } = event;
          await ctx.db.insert(schema.events).values({ id, type, correlationId, source, occurredAt, data }).onConflictDoNothing();
          return;
        }
        if (!isErasure(event)) return;
        // An account's deletion is an act the audit trail keeps (by id only: the address is what is forgotten).
        if (event.type === "user.deleted") {
          const { userId } = event.data;
          await appendAudit(ctx.d1, { sourceId: event.id, at: event.occurredAt, action: "account.deleted", actor: { id: userId, role: null }, target: { type: "user", id: userId }, change: null, correlationId: event.correlationId });
        }
        await eraseAndStore(ctx.db, event);
      },
    });
  }
  const rest = batch.messages.filter((m) => !apart.includes(m));
  const erased = await erasedAmong(ctx.db, rest.map((m) => correlationOf(m.body)));
  // Only the time-to-completed metric asks when a request was submitted.
  const submitted = observabilityOff(ctx.metrics) ? new Map<string, string>() : await submissionTimes(ctx.db, rest.filter((m) => typeOf(m) === "job.completed").flatMap((m) => correlationOf(m.body) ?? []));
  return storeAll(batchOf(batch, rest), ctx, async (message) => {
    let event;
    try {
      event = parseEvent(message.body);
    } catch (err) {
      if (!(err instanceof InvalidEventError)) throw err;
      const about = correlationOf(message.body);
      return [asideInsert(ctx.db, { queue: batch.queue, message, attempts: message.attempts, reason: err.message, erased: about !== undefined && erased.has(about) })];
    }
    const { id, type, correlationId, source, occurredAt } = event;
    const data = erased.has(correlationId) ? anonymised(event.data) : event.data;
    // The event's metric points are stored with it, so a batch stored twice (a failed try) counts them once.
    const points = recordPoints(ctx.metrics, ctx.db, pointsOf(event, submitted.get(correlationId)), Date.parse(occurredAt));
    return [ctx.db.insert(schema.events).values({ id, type, correlationId, source, occurredAt, data }).onConflictDoNothing(), ...points];
  });
}

/** statex-logs: batches of log lines, each batch all or nothing and once. */
export async function storeLogs(batch: MessageBatch, ctx: Ctx): Promise<void> {
  const { processedEvents, logs } = schema;
  // Which of these messages a previous delivery already stored: one query for the whole batch.
  const ids = batch.messages.map((m) => m.id);
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await ctx.db
      .select({ id: processedEvents.eventId })
      .from(processedEvents)
      .where(and(eq(processedEvents.consumer, LOGS_CONSUMER), inArray(processedEvents.eventId, ids.slice(i, i + 90))))
      .all();
    for (const row of rows) seen.add(row.id);
  }
  // Lines about a request already erased (logged before the erasure, shipped after it) are stored anonymised.
  const erased = await erasedAmong(ctx.db, batch.messages.flatMap((m) => LogBatch.safeParse(m.body).data?.lines.map((l) => l.correlationId) ?? []));
  return storeAll(batch, ctx, async (message) => {
    if (seen.has(message.id)) return [];
    const parsed = LogBatch.safeParse(message.body);
    if (!parsed.success) {
      const reason = `invalid log batch: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`;
      return [asideInsert(ctx.db, { queue: batch.queue, message, attempts: message.attempts, reason })];
    }
    const rows = parsed.data.lines.map(({ ts, level, service, correlationId, requestId, msg, fields }) => ({
      ts,
      level,
      service,
      correlationId,
      requestId,
      msg,
      fields: correlationId !== undefined && erased.has(correlationId) ? anonymised(fields) : fields,
    }));
    const inserts: BatchItem<"sqlite">[] = [ctx.db.insert(processedEvents).values({ consumer: LOGS_CONSUMER, eventId: message.id })];
    if (parsed.data.points?.length) inserts.push(...rollupUpserts(ctx.db, parsed.data.points, message.timestamp.getTime()));
    for (let i = 0; i < rows.length; i += LOG_ROWS_PER_INSERT) {
      inserts.push(ctx.db.insert(logs).values(rows.slice(i, i + LOG_ROWS_PER_INSERT)));
    }
    return inserts;
  });
}

/**
 * A dead-letter queue: the message exhausted its retries on `origin`. The DLQ delivery
 * does not carry the original attempt count, so it comes from the queue's configuration.
 */
export async function storeDeadLetters(batch: MessageBatch, ctx: Ctx & { origin: string; maxAttempts?: number }): Promise<void> {
  const reason = `retries exhausted on ${ctx.origin}`;
  // A message about an erased request (a task of its cancelled job, a late event) keeps nothing of the person.
  const erased = await erasedAmong(ctx.db, batch.messages.map((m) => correlationOf(m.body)));
  return each(batch, ctx, async (message) => {
    const about = correlationOf(message.body);
    await setAside(ctx.db, { queue: ctx.origin, message, attempts: ctx.maxAttempts ?? message.attempts, reason, erased: about !== undefined && erased.has(about) });
    const [point, ...none] = recordPoints(ctx.metrics, ctx.db, [{ metric: "queue", queue: ctx.origin, outcome: "dead", attempts: ctx.maxAttempts ?? message.attempts }], Date.now());
    if (point) await ctx.db.batch([point, ...none]);
  });
}
