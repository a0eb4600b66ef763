/**
 * The transactional outbox: an event is written to D1 in the same batch as the
 * rows it describes, then relayed to its queues. A crash between the write and
 * the send leaves the event in the outbox, and the relay (run after each write
 * and by cron) sends it later, so a row never exists without its event.
 * Relaying twice is harmless: consumers are idempotent by event id.
 */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "./db";
import { type Envelope, parseEvent } from "./events";
import type { Logger } from "./logger";
import { publish, type PublisherEnv } from "./routing";
import { eventOutbox } from "./schema";

/** The insert to put in the same `db.batch([...])` as the rows the event describes. */
export function outboxInsert(db: Database, event: Envelope): BatchItem<"sqlite"> {
  return db.insert(eventOutbox).values({ id: event.id, type: event.type, body: JSON.stringify(event) });
}

/** Sends unsent outbox events (the given ids, or the oldest ones) and marks them sent. */
export async function relayOutbox(
  db: Database,
  env: PublisherEnv,
  log: Logger,
  ids?: string[],
): Promise<{ sent: number; failed: number }> {
  const pending = await db
    .select()
    .from(eventOutbox)
    .where(and(isNull(eventOutbox.sentAt), ids ? inArray(eventOutbox.id, ids) : undefined))
    .orderBy(asc(eventOutbox.createdAt))
    .limit(100)
    .all();
  let sent = 0;
  let failed = 0;
  for (const row of pending) {
    try {
      await publish(env, parseEvent(JSON.parse(row.body)));
      await db
        .update(eventOutbox)
        .set({ sentAt: new Date().toISOString(), attempts: sql`${eventOutbox.attempts} + 1` })
        .where(eq(eventOutbox.id, row.id));
      sent++;
    } catch (err) {
      failed++;
      log.warn("outbox relay failed, will retry", { eventId: row.id, type: row.type, error: err instanceof Error ? err : String(err) });
      await db
        .update(eventOutbox)
        .set({ attempts: sql`${eventOutbox.attempts} + 1`, lastError: String(err).slice(0, 1_000) })
        .where(eq(eventOutbox.id, row.id));
    }
  }
  return { sent, failed };
}
