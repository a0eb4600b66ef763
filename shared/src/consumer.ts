/**
 * The one way a worker consumes events: each message is validated, handled
 * once per consumer (idempotent by event id, remembered in D1), and acked or
 * retried on its own with exponential backoff, or later when the handler knows
 * better ({@link RetryLater}). After the queue's max_retries the message moves to
 * the queue's dead-letter queue.
 */
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { backoffMs } from "./backoff";
import { type D1FaultEnv, withWriteFaults } from "./db";
import { type Envelope, InvalidEventError, type Service, parseEvent } from "./events";
import { Logger, type LoggerEnv, errorField } from "./logger";
import { deadLetters, processedEvents } from "./schema";

/**
 * Seconds before a failed message's next delivery (`attempts`: the deliveries so far): 1–2 s after the first, then
 * doubling, at most 150–300 s. Whole seconds, as Queues take them.
 */
export function backoffSeconds(attempts: number, random?: () => number): number {
  return Math.ceil(backoffMs(attempts, { baseMs: 2_000, capMs: 300_000, random }) / 1_000);
}

/** The longest delay a queue message may be given (Queues' limit: 12 hours). */
export const MAX_RETRY_DELAY_SECONDS = 43_200;

/**
 * Thrown by a handler that knows when trying again makes sense: a provider's `Retry-After`, the next free slot of a
 * rate limit. The message comes back after the larger of this delay and the backoff, never sooner than either.
 */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delaySeconds: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "RetryLater";
  }
}

/**
 * A wait that is no failure: nothing was tried (a rate limit's next slot, a send under way elsewhere). With a way to
 * requeue, the message goes back as a new one after exactly this delay, so waits neither count towards the queue's
 * retries (which would dead-letter a message that never failed) nor grow its backoff.
 */
export class Deferred extends RetryLater {
  constructor(message: string, delaySeconds: number) {
    super(message, delaySeconds);
    this.name = "Deferred";
  }
}

/** Seconds until a failed message's next delivery: the backoff, or longer when the failure said so. */
export function retryDelaySeconds(err: unknown, attempts: number, random?: () => number): number {
  const asked = err instanceof RetryLater && Number.isFinite(err.delaySeconds) ? Math.ceil(err.delaySeconds) : 0;
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(backoffSeconds(attempts, random), asked));
}

export type EventHandler = (event: Envelope, log: Logger) => Promise<void>;

/**
 * The same queue's batch holding only some of its messages, so they can be handled apart from the rest (one at a
 * time, or by another path); acks and retries reach the original messages.
 */
export function batchOf(batch: MessageBatch, messages: readonly Message[]): MessageBatch {
  return {
    queue: batch.queue,
    metadata: batch.metadata,
    messages,
    ackAll: () => messages.forEach((m) => m.ack()),
    retryAll: (options) => messages.forEach((m) => m.retry(options)),
  };
}

/**
 * Handles a batch of event envelopes. An invalid body will never become valid,
 * so it is not retried: it goes straight to the dead letters ops can read.
 * `retry` is for handler failures; after max_retries those land in the
 * queue's dead-letter queue, which the logging worker records the same way.
 */
export async function consumeEvents(
  batch: MessageBatch,
  opts: {
    consumer: string;
    db: D1Database;
    log: Logger;
    handle: EventHandler;
    /** Sends a message's body to its queue again as a new message (see {@link Deferred}). */
    requeue?: (body: unknown, delaySeconds: number) => Promise<void>;
    /** Dev-only D1 write faults for the consumer's own writes (see {@link withWriteFaults}). */
    faults?: D1FaultEnv;
  },
): Promise<void> {
  const db = drizzle(opts.faults ? withWriteFaults(opts.db, opts.faults) : opts.db);
  for (const message of batch.messages) {
    let event: Envelope;
    try {
      event = parseEvent(message.body);
    } catch (err) {
      if (err instanceof InvalidEventError) {
        opts.log.error("invalid event set aside", { queue: batch.queue, messageId: message.id, error: err });
        await db
          .insert(deadLetters)
          .values({
            id: `${batch.queue}:${message.id}`,
            queue: batch.queue,
            body: JSON.stringify(message.body),
            attempts: message.attempts,
            reason: err.message.slice(0, 2_000),
          })
          .onConflictDoNothing();
        message.ack();
        continue;
      }
      throw err;
    }
    const log = opts.log.withCorrelation(event.correlationId);
    try {
      const seen = await db
        .select({ id: processedEvents.eventId })
        .from(processedEvents)
        .where(and(eq(processedEvents.consumer, opts.consumer), eq(processedEvents.eventId, event.id)))
        .get();
      if (seen) {
        log.info("duplicate event ignored", { eventId: event.id, type: event.type });
        message.ack();
        continue;
      }
      await opts.handle(event, log);
      await db.insert(processedEvents).values({ consumer: opts.consumer, eventId: event.id }).onConflictDoNothing();
      message.ack();
      log.metric({ metric: "queue", queue: batch.queue, outcome: "ack", attempts: message.attempts });
    } catch (err) {
      const delaySeconds = retryDelaySeconds(err, message.attempts);
      const fields = { eventId: event.id, type: event.type, attempts: message.attempts, delaySeconds, error: errorField(err) };
      // A wait the handler asked for (a rate limit's next slot) is no failure.
      if (err instanceof RetryLater) log.info("event handling deferred", fields);
      else log.warn("event handling failed, will retry", fields);
      if (err instanceof Deferred && opts.requeue && (await requeued(opts.requeue, message.body, err.delaySeconds))) message.ack();
      else message.retry({ delaySeconds });
      log.metric({ metric: "queue", queue: batch.queue, outcome: "retry", attempts: message.attempts });
    } finally {
      await log.flush();
    }
  }
}

/**
 * A worker's `queue` handler for its events queue: every message through {@link consumeEvents} under the worker's
 * name, with `handle` given the worker's env; the batch's own log lines are shipped after it.
 */
export function eventsConsumer<E extends LoggerEnv & D1FaultEnv & { DB: D1Database }>(
  service: Service,
  handle: (event: Envelope, log: Logger, env: E) => Promise<void>,
): (batch: MessageBatch, env: E, ctx: ExecutionContext) => Promise<void> {
  return async function queue(batch, env, ctx) {
    const log = new Logger(env, service);
    // In development the handler's writes may be refused on purpose too (D1_FAULT_RATE): its retries must absorb them.
    const faulty: E = { ...env, DB: withWriteFaults(env.DB, env) };
    await consumeEvents(batch, { consumer: service, db: env.DB, log, faults: env, handle: (event, eventLog) => handle(event, eventLog, faulty) });
    ctx.waitUntil(log.flush());
  };
}

/** Whether the body went back to its queue; if not, the caller retries the message instead, losing nothing. */
async function requeued(requeue: (body: unknown, delaySeconds: number) => Promise<void>, body: unknown, delaySeconds: number): Promise<boolean> {
  try {
    await requeue(body, Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))));
    return true;
  } catch {
    return false;
  }
}
