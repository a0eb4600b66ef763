/**
 * The reconciliation sweep, run by intake's cron: requests accepted a while ago whose job never began.
 *
 * The outbox makes sure each request.created is sent; nothing makes sure a queue delivers it, and a message lost
 * between the queue and the orchestrator leaves no trace (no retry, no dead letter, an outbox row marked sent). So
 * each run takes the requests old enough that their job should exist, not erased, with no `jobs` mirror row, asks the
 * orchestrator which of them have no job and no place in JobSlots, and starts those with their original
 * request.created (the outbox row still holds it). Over RPC rather than the queue: RequestJob.start is idempotent,
 * so a late delivery starts nothing twice, and it does not pass the consumer's dedupe, which would swallow an event
 * that was delivered but whose start did not hold. Only the orchestrator hears of it: notify had its own delivery,
 * so nobody is told twice.
 */
import { type Database, schema } from "@statex/shared/db";
import { type EventData, parseEvent } from "@statex/shared/events";
import { newId } from "@statex/shared/ids";
import { type Logger, errorField } from "@statex/shared/logger";
import { and, asc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";

/** A job that has not begun this long after its request was accepted is presumed lost (its event never arrived). */
export const LOST_JOB_AFTER_MS = 5 * 60_000;
/** Jobs started per run at most: a large loss is worked off over a few runs, oldest first, never in one. */
export const LOST_JOBS_PER_RUN = 50;
/**
 * Requests asked about per run at most. More than one page: jobs waiting in line have no mirror row either, and a
 * long line must not hide a lost job behind it run after run.
 */
const CHECKED_PER_RUN = 270;
/** Requests asked about at once: one D1 statement binds at most 100 parameters. */
const PAGE = 90;
/** How far back the sweep looks (as the storage sweep does): a cron outage of under a day loses nothing. */
const LOOKBACK_MS = 25 * 60 * 60_000;

export type LostJobsOptions = { now?: number; olderThanMs?: number; limit?: number };

/**
 * Starts the jobs of requests whose request.created never reached the orchestrator; returns their ids. A request
 * whose job exists (its mirror may lag) or waits in line is left alone, and so is an erased one.
 */
export async function startLostJobs(db: Database, env: Pick<IntakeEnv, "ORCHESTRATOR">, log: Logger, options: LostJobsOptions = {}): Promise<string[]> {
  const now = options.now ?? Date.now();
  const limit = options.limit ?? LOST_JOBS_PER_RUN;
  const { requests, jobs } = schema;
  // Request ids are ULIDs made at acceptance, so the window is a range of the primary key (see sweepOrphans).
  let after = newId("req", now - LOOKBACK_MS).slice(0, 14);
  const until = newId("req", now - (options.olderThanMs ?? LOST_JOB_AFTER_MS)).slice(0, 14);
  const started: string[] = [];
  let checked = 0;
  while (checked < CHECKED_PER_RUN && started.length < limit) {
    const page = await db
      .select({ id: requests.id })
      .from(requests)
      .leftJoin(jobs, eq(jobs.requestId, requests.id))
      .where(and(gt(requests.id, after), lt(requests.id, until), isNull(requests.erasedAt), isNull(jobs.requestId)))
      .orderBy(asc(requests.id))
      .limit(Math.min(PAGE, CHECKED_PER_RUN - checked))
      .all();
    const last = page.at(-1);
    if (!last) break;
    checked += page.length;
    after = last.id;
    const lost = await env.ORCHESTRATOR.jobsNotStarted({ requestIds: page.map((r) => r.id) });
    started.push(...(await startAll(db, env, log, lost.slice(0, limit - started.length))));
  }
  return started;
}

/** Starts each job with its original request.created; returns those started (what fails is tried again next run). */
async function startAll(db: Database, env: Pick<IntakeEnv, "ORCHESTRATOR">, log: Logger, lost: string[]): Promise<string[]> {
  if (!lost.length) return [];
  const { eventOutbox } = schema;
  const rows = await db
    .select({ body: eventOutbox.body })
    .from(eventOutbox)
    .where(and(eq(eventOutbox.type, "request.created"), inArray(sql`json_extract(${eventOutbox.body}, '$.data.requestId')`, lost)))
    .all();
  const requestOf = new Map<string, EventData<"request.created">>();
  for (const row of rows) {
    const event = parseEvent(JSON.parse(row.body));
    if (event.type === "request.created") requestOf.set(event.data.requestId, event.data);
  }
  const started: string[] = [];
  for (const requestId of lost) {
    const request = requestOf.get(requestId);
    if (!request) {
      log.error("lost job not started: its request.created is not in the outbox", { requestId });
      continue;
    }
    try {
      const state = await env.ORCHESTRATOR.startJob(request);
      started.push(requestId);
      log.warn("lost job started: its request.created never reached the orchestrator", { requestId, status: state?.status ?? "in line" });
    } catch (err) {
      log.warn("starting a lost job failed", { requestId, error: errorField(err) });
    }
  }
  return started;
}
