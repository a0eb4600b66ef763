/**
 * Keeping what ops read no longer than it is needed, by cron: log lines (and the ids that kept their batches from
 * being stored twice) 14 days, events 90 days, the spam log 30 days, dead letters until redriven or 30 days, the
 * metrics roll-up 35 days (the week's charts, and a month to compare), and for the whole platform its sent outbox
 * events 7 days and the ids of the events its consumers handled 35 days; the audit trail is kept (its triggers would
 * refuse anyway). Each period is a variable (RETENTION_*_DAYS in infra/topology.mjs); 0 keeps that kind for ever.
 *
 * Deletes go in chunks of rows by an index on the time, so one run never holds D1 long, and a backlog (a first run
 * over months of lines) is worked off over a few runs.
 */
import type { Logger } from "@statex/shared/logger";

const DAY_MS = 86_400_000;
/** Rows a statement deletes: small enough to keep each write short. */
const CHUNK = 5_000;
/** Chunks one kind may take per run. */
const MAX_CHUNKS = 20;

type Kind = { name: string; setting: keyof RetentionEnv; fallbackDays: number; chunk: string };

export type RetentionEnv = {
  RETENTION_LOG_DAYS?: string;
  RETENTION_EVENT_DAYS?: string;
  RETENTION_SPAM_DAYS?: string;
  RETENTION_DEAD_LETTER_DAYS?: string;
  RETENTION_METRIC_DAYS?: string;
  RETENTION_OUTBOX_DAYS?: string;
  RETENTION_PROCESSED_DAYS?: string;
};

/** Each kind's delete of one chunk older than the cutoff, through the index on its time. */
const KINDS: Kind[] = [
  { name: "logs", setting: "RETENTION_LOG_DAYS", fallbackDays: 14, chunk: `DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE ts < ?1 LIMIT ${CHUNK}) RETURNING 1` },
  // The ids of stored log batches only guard against a redelivery, which comes within minutes, not weeks.
  {
    name: "log batch ids",
    setting: "RETENTION_LOG_DAYS",
    fallbackDays: 14,
    chunk: `DELETE FROM processed_events WHERE rowid IN (SELECT rowid FROM processed_events WHERE consumer = 'logging:logs' AND processed_at < ?1 LIMIT ${CHUNK}) RETURNING 1`,
  },
  { name: "events", setting: "RETENTION_EVENT_DAYS", fallbackDays: 90, chunk: `DELETE FROM events WHERE id IN (SELECT id FROM events WHERE received_at < ?1 LIMIT ${CHUNK}) RETURNING 1` },
  { name: "spam log", setting: "RETENTION_SPAM_DAYS", fallbackDays: 30, chunk: `DELETE FROM spam_log WHERE id IN (SELECT id FROM spam_log WHERE created_at < ?1 LIMIT ${CHUNK}) RETURNING 1` },
  // A redriven dead letter went back to its queue: what became of it is in the timeline, not here.
  {
    name: "dead letters",
    setting: "RETENTION_DEAD_LETTER_DAYS",
    fallbackDays: 30,
    chunk: `DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE received_at < ?1 OR redriven_at IS NOT NULL LIMIT ${CHUNK}) RETURNING 1`,
  },
  // Every worker's outbox (one table in the platform's D1): a sent event is history its writer never reads again (the
  // lost-job sweep looks back a day). An unsent one stays whatever its age: the relay still owes it.
  {
    name: "sent outbox events",
    setting: "RETENTION_OUTBOX_DAYS",
    fallbackDays: 7,
    chunk: `DELETE FROM event_outbox WHERE id IN (SELECT id FROM event_outbox WHERE sent_at IS NOT NULL AND sent_at < ?1 LIMIT ${CHUNK}) RETURNING 1`,
  },
  // Every consumer's record of the events it handled guards against a second delivery: the queue's own come within
  // hours, a dead letter redriven by hand up to its 30 days, so these outlive both.
  {
    name: "handled event ids",
    setting: "RETENTION_PROCESSED_DAYS",
    fallbackDays: 35,
    chunk: `DELETE FROM processed_events WHERE rowid IN (SELECT rowid FROM processed_events WHERE consumer <> 'logging:logs' AND processed_at < ?1 LIMIT ${CHUNK}) RETURNING 1`,
  },
  {
    name: "metrics",
    setting: "RETENTION_METRIC_DAYS",
    fallbackDays: 35,
    chunk: `DELETE FROM metric_rollup WHERE rowid IN (SELECT rowid FROM metric_rollup WHERE minute < ?1 LIMIT ${CHUNK}) RETURNING 1`,
  },
];

/** A setting's days: a whole number of days, 0 for "keep", else the fallback. */
function daysOf(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Deletes what is past its time, kind by kind; answers how many rows of each went. */
export async function applyRetention(db: D1Database, env: RetentionEnv, log: Logger, now = Date.now()): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const kind of KINDS) {
    const days = daysOf(env[kind.setting], kind.fallbackDays);
    if (days === 0) continue;
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    const statement = db.prepare(kind.chunk);
    let total = 0;
    for (let i = 0; i < MAX_CHUNKS; i++) {
      // Counted by what the delete returns: D1's `changes` also counts the rows its triggers touched (logs_search).
      const { results } = await statement.bind(cutoff).all();
      total += results.length;
      if (results.length < CHUNK) break;
    }
    if (total) deleted[kind.name] = total;
  }
  if (Object.keys(deleted).length) log.info("retention deleted", deleted);
  return deleted;
}
