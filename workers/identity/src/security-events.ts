/**
 * What ops must be able to see about accounts: who tried to register a taken address, asked for or used a reset,
 * guessed at a password, was locked out or refused for trying too often, or presented a spent refresh token; each
 * with the network it came from (`cf-connecting-ip` as an IPv4 address or IPv6 /64) and its time.
 */
import { type Database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";
import { and, desc, eq, lt, lte } from "drizzle-orm";

/**
 * How long an event is kept: long enough to look back over a quarter's attacks, or at an account's history when its
 * owner reports something weeks later; not so long that the table becomes a record of where people sign in from.
 */
export const SECURITY_EVENT_RETENTION_DAYS = 90;

type About = { email?: string; userId?: string | undefined; network?: string | null; detail?: string };

/**
 * A security event's insert, for the batch of what it records; the address is kept only as its sha256. Wrapped in an
 * object because the statement is a thenable: an async function returning it bare would run it on its own.
 */
export async function securityEvent(db: Database, kind: string, about: About, now = new Date()) {
  const insert = db.insert(schema.securityEvents).values({
    id: newId("sev", now.getTime()),
    kind,
    emailHash: about.email === undefined ? null : await sha256Hex(about.email),
    userId: about.userId ?? null,
    network: about.network ?? null,
    detail: about.detail ?? null,
    at: now.toISOString(),
  });
  return { insert };
}

const { securityEvents } = schema;

/**
 * A page of events, newest first, of one kind and one address's hash if asked: `before`, the id of the last event of
 * the page before (ids sort by time, as `at` does). `next` is the cursor of the page after, or null.
 */
export async function listSecurityEvents(db: Database, query: { kind?: string | undefined; emailHash?: string | undefined; before?: string | undefined; limit: number }) {
  const rows = await db
    .select()
    .from(securityEvents)
    .where(
      and(
        query.kind === undefined ? undefined : eq(securityEvents.kind, query.kind),
        query.emailHash === undefined ? undefined : eq(securityEvents.emailHash, query.emailHash),
        query.before === undefined ? undefined : lt(securityEvents.id, query.before),
      ),
    )
    .orderBy(desc(securityEvents.at), desc(securityEvents.id))
    .limit(query.limit + 1)
    .all();
  const events = rows.slice(0, query.limit);
  return { events, next: rows.length > query.limit ? (events.at(-1)?.id ?? null) : null };
}

/** Forgets events older than the retention (the cron's housekeeping); how many went. */
export async function purgeOldSecurityEvents(db: Database, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - SECURITY_EVENT_RETENTION_DAYS * 86_400_000).toISOString();
  return (await db.delete(securityEvents).where(lte(securityEvents.at, cutoff)).run()).meta.changes;
}
