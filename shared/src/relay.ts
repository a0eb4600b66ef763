/**
 * The two moments a worker relays its outbox: right after the write that made
 * the events (in the background, so the answer does not wait) and every minute
 * by cron, the safety net for whatever a crash or a failed send left behind.
 */
import { database, type Database } from "./db";
import type { Envelope, Service } from "./events";
import { Logger, type LoggerEnv } from "./logger";
import { relayEvents, relayOutbox } from "./outbox";
import type { PublisherEnv } from "./routing";

/** Sends the events just written to the outbox after the response, then flushes the request's log lines. */
export function relaySoon(ctx: Pick<ExecutionContext, "waitUntil">, db: Database, env: PublisherEnv, log: Logger, events: Envelope[]): void {
  ctx.waitUntil(relayEvents(db, env, log, events).catch(() => undefined).finally(() => log.flush()));
}

type CronEnv = PublisherEnv & LoggerEnv & { DB: D1Database };

/**
 * A `scheduled` handler that relays what the outbox still holds, then runs the
 * worker's own housekeeping (if any) with the same database and logger.
 */
export function outboxCron<E extends CronEnv>(
  service: Service,
  housekeeping?: (db: Database, env: E, log: Logger) => Promise<void>,
): (controller: ScheduledController, env: E, ctx: ExecutionContext) => Promise<void> {
  return async function scheduled(_controller, env, ctx) {
    const log = new Logger(env, service);
    const db = database(env.DB);
    try {
      const result = await relayOutbox(db, env, log);
      if (result.sent || result.failed) log.info("outbox relayed", result);
      await housekeeping?.(db, env, log);
    } finally {
      ctx.waitUntil(log.flush());
    }
  };
}
