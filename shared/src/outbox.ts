/**
 * The transactional outbox: an event is written to D1 in the same batch as the
 * rows it describes, then relayed to its queues. A crash between the write and
 * the send leaves the event in the outbox, and the relay (run after each write
 * and by cron) sends it later, so a row never exists without its event.
 * Relaying twice is harmless: consumers are idempotent by event id.
 */
import { asc, inArray, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "./db";
import { type Envelope, parseEvent } from "./events";
import { type Logger, errorField } from "./logger";
import { publish, type PublisherEnv } from "./routing";
import { eventOutbox } from "./schema";

/** The insert to put in the same `db.batch([...])` as the rows the event describes. */
export function outboxInsert(db: Database, event: Envelope): BatchItem<"sqlite"> {
  return db.insert(eventOutbox).values({ id: event.id, type: event.type, body: JSON.stringify(event) });
}

/**
 * Sends events that were just written to the outbox, as the writer holds them
 * (no re-read), and marks them sent in one statement. A failed send leaves
 * them unsent with the error, for the cron relay to try again.
 */
export async function relayEvents(db: Database, env: PublisherEnv, log: Logger, events: Envelope[]): Promise<{ sent: number; failed: number }> {
  if (!events.length) return { sent: 0, failed: 0 };
  const ids = events.map((e) => e.id);
  try {
    await publish(env, ...events);
  } catch (err) {
    log.warn("outbox relay failed, will retry", { eventIds: ids, error: errorField(err) });
    // Only bookkeeping: the events stay unsent either way, and the cron relay sends them.
    await db
      .update(eventOutbox)
      .set({ attempts: sql`${eventOutbox.attempts} + 1`, lastError: String(err).slice(0, 1_000) })
      .where(inArray(eventOutbox.id, ids))
      .catch(() => undefined);
    return { sent: 0, failed: events.length };
  }
  await markSent(db, ids);
  return { sent: events.length, failed: 0 };
}

/**
 * A `user.deleted` row carries the email its consumers need to find the person's data; once the event is sent the
 * row is history that nobody reads, and keeping the address there would outlive the erasure it asked for.
 */
const forgetOnceSent = sql`case when ${eventOutbox.type} = 'user.deleted' then json_remove(${eventOutbox.body}, '$.data.email') else ${eventOutbox.body} end`;

/** Marks events sent (and counts the attempt) in one statement; a sent row keeps no data it only carried for its consumers. */
export async function markSent(db: Database, ids: string[]): Promise<void> {
  await db
    .update(eventOutbox)
    .set({ sentAt: new Date().toISOString(), attempts: sql`${eventOutbox.attempts} + 1`, body: forgetOnceSent })
    .where(inArray(eventOutbox.id, ids));
}

/** Sends what the outbox still holds (oldest first, up to 100), one event at a time so one bad send holds back no other. */
export async function relayOutbox(db: Database, env: PublisherEnv, log: Logger): Promise<{ sent: number; failed: number }> {
  const pending = await db.select().from(eventOutbox).where(isNull(eventOutbox.sentAt)).orderBy(asc(eventOutbox.createdAt)).limit(100).all();
  let sent = 0;
  let failed = 0;
  for (const row of pending) {
    const result = await relayEvents(db, env, log, [parseEvent(JSON.parse(row.body))]);
    sent += result.sent;
    failed += result.failed;
  }
  return { sent, failed };
}
