/**
 * Housekeeping run by intake's cron: jobs that never began (lost-jobs.ts), then storage nobody will ever reference.
 *  - Objects under `requests/` whose request row does not exist: a submission that crashed between
 *    writing its files and its D1 batch. Request ids are ULIDs made when the submission started, so
 *    their key order is time order: only the window of ids between SWEEP_LOOKBACK and ORPHAN_AGE old
 *    is listed, and each object must itself be older than ORPHAN_AGE (an upload in flight is younger).
 *  - Resumable uploads past their expiry that no request used: aborted, their storage freed.
 *  - Used live tickets past their expiry (they open nothing any more either way).
 */
import { type Database, schema } from "@statex/shared/db";
import { newId } from "@statex/shared/ids";
import { type Logger, errorField } from "@statex/shared/logger";
import { and, eq, inArray, lt } from "drizzle-orm";
import { LOST_JOB_AFTER_MS, startLostJobs } from "./lost-jobs";
import { abortUpload } from "./uploads/routes";

export const ORPHAN_AGE_MS = 60 * 60 * 1000;
/** How far back the sweep looks: a day of ids, so a cron outage of under a day loses nothing. */
const SWEEP_LOOKBACK_MS = 25 * 60 * 60 * 1000;

/** The request id in `requests/<id>/…`. */
const requestIdOf = (key: string) => key.split("/")[1] ?? "";

export async function sweepOrphans(db: Database, bucket: R2Bucket, now = Date.now()): Promise<number> {
  // The smallest and largest possible ids of the window (the random half of a ULID sorts between 0… and Z…).
  const from = `requests/${newId("req", now - SWEEP_LOOKBACK_MS).slice(0, 14)}`;
  const until = `requests/${newId("req", now - ORPHAN_AGE_MS).slice(0, 14)}`;
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: "requests/", startAfter: from, limit: 1000, ...(cursor ? { cursor } : {}) });
    const old = page.objects.filter((o) => o.key < until && o.uploaded.getTime() < now - ORPHAN_AGE_MS);
    const ids = [...new Set(old.map((o) => requestIdOf(o.key)))];
    const existing = new Set<string>();
    for (let i = 0; i < ids.length; i += 90) {
      // D1 binds at most 100 parameters a statement.
      const rows = await db.select({ id: schema.requests.id }).from(schema.requests).where(inArray(schema.requests.id, ids.slice(i, i + 90))).all();
      for (const r of rows) existing.add(r.id);
    }
    const orphans = old.filter((o) => !existing.has(requestIdOf(o.key))).map((o) => o.key);
    if (orphans.length) await bucket.delete(orphans);
    deleted += orphans.length;
    // Past the window's end nothing more can be old enough.
    if (page.objects.some((o) => o.key >= until)) break;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

export async function sweepUploads(db: Database, bucket: R2Bucket, now = Date.now()): Promise<number> {
  const expired = await db.select().from(schema.uploads).where(and(inArray(schema.uploads.status, ["open", "complete"]), lt(schema.uploads.expiresAt, new Date(now).toISOString()))).limit(100).all();
  for (const row of expired) {
    await abortUpload(bucket, row);
    await db.update(schema.uploads).set({ status: "aborted" }).where(and(eq(schema.uploads.id, row.id), inArray(schema.uploads.status, ["open", "complete"])));
  }
  return expired.length;
}

/** Forgets used live tickets that have expired: past its expiry a ticket opens nothing, used or not. */
export async function sweepUsedTickets(db: Database, now = Date.now()): Promise<number> {
  const gone = await db.delete(schema.usedLiveTickets).where(lt(schema.usedLiveTickets.expiresAt, new Date(now).toISOString())).returning({ hash: schema.usedLiveTickets.hash });
  return gone.length;
}

/** The cron's housekeeping hook (see outboxCron). */
export async function housekeeping(db: Database, env: IntakeEnv, log: Logger): Promise<void> {
  // First, and on its own: a storage sweep that fails must not keep a lost job from starting, nor the reverse.
  await startLostJobs(db, env, log, { olderThanMs: Number(env.LOST_JOB_AFTER_MS) || LOST_JOB_AFTER_MS }).catch((err: unknown) => log.error("lost jobs sweep failed", { error: errorField(err) }));
  const orphans = await sweepOrphans(db, env.FILES);
  const uploads = await sweepUploads(db, env.FILES);
  const tickets = await sweepUsedTickets(db);
  if (orphans || uploads || tickets) log.info("storage swept", { orphans, uploads, usedLiveTickets: tickets });
}
