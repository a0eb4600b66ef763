/**
 * Log search for ops: by worker, level (and above), time range, correlation id and text, newest first, a page at
 * a time. Every filter but the text is served by an index of `logs` (logs_ts, logs_service, logs_level,
 * logs_correlation, logs_request); the text by logs_search, a trigram FTS5 index, so "contains" needs no scan of
 * the range. The README ("Log search") shows the query plans. Who may call: ops only.
 */
import { LogQuery as LogQuerySchema } from "@statex/shared/api/logging";
import { requireRole } from "@statex/shared/auth";
import { fromBase64Url, toBase64Url } from "@statex/shared/base64";
import { ProblemError } from "@statex/shared/errors";
import { Service } from "@statex/shared/events";
import { type AppEnv, validate } from "@statex/shared/http";
import { LogLevel, type LoggerEnv } from "@statex/shared/logger";
import { Hono } from "hono";
import { z } from "zod";

const LEVELS = LogLevel.options;
const DAY_MS = 86_400_000;

/** Where the last page ended: its last line's time and id (ties at one instant are broken by id). */
const Cursor = z.tuple([z.iso.datetime(), z.number().int().positive()]);

/** A log search as validated: the public API's query (shared/src/api/logging.ts). */
export type LogQuery = z.infer<typeof LogQuerySchema>;

type Row = { id: number; ts: string; level: string; service: string; correlation_id: string | null; request_id: string | null; msg: string; fields: string | null };

export type LogPage = {
  lines: { id: number; ts: string; level: string; service: string; correlationId: string | null; requestId: string | null; msg: string; fields: unknown }[];
  next: string | null;
};

function decodeCursor(cursor: string): [string, number] {
  try {
    return Cursor.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))));
  } catch {
    throw new ProblemError(400, "validation", "The cursor is not one this search gave", [{ field: "query.cursor", message: "is not a cursor of this search" }]);
  }
}

/** How many of the text's matches one step of the walk reads, growing fourfold each step up to the last. */
const CHUNKS = [256, 1_024, 4_096, 16_384] as const;
const BEFORE_ALL = Number.MAX_SAFE_INTEGER;

/**
 * The search's SQL and its parameters: the range and filters as index-served conditions. Text of three characters
 * or more is matched in the trigram index, one chunk of its matches at a time (see {@link searchLogs}): `below` and
 * `chunk` say which; the lines come newest first by arrival (their id), which is the index's own order. Shorter text
 * is a LIKE over the lines the other filters left, newest first by time.
 */
export function searchStatement(query: LogQuery, now = Date.now(), below = BEFORE_ALL, chunk: number = CHUNKS[0], wanted = query.limit + 1): { sql: string; params: unknown[]; text: boolean } {
  const to = query.to ?? new Date(now + 60_000).toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DAY_MS).toISOString();
  const where = ["ts >= ?", "ts < ?"];
  const params: unknown[] = [from, to];
  if (query.worker) {
    where.push("service = ?");
    params.push(query.worker);
  }
  if (query.level && query.level !== "debug") {
    const levels = LEVELS.slice(LEVELS.indexOf(query.level));
    where.push(`level IN (${levels.map(() => "?").join(", ")})`);
    params.push(...levels);
  }
  if (query.correlationId) {
    // A submission's lines written before its req_ existed carry its HTTP request id instead: both are its story.
    where.push("(correlation_id = ? OR request_id = ?)");
    params.push(query.correlationId, query.correlationId);
  }
  const columns = "id, ts, level, service, correlation_id, request_id, msg, fields";
  if (query.q && [...query.q].length >= 3) {
    // A word on many lines matches hundreds of thousands of them: sorting all of those by time before taking a page
    // is what made such a search take seconds. The index hands its matches out newest first, so a chunk of them is
    // read and filtered, and the marker row (kind 0) says where the chunk ended and whether the matches ran out.
    const match = `"${query.q.replaceAll('"', '""')}"`;
    return {
      text: true,
      sql: `WITH chunk AS MATERIALIZED (SELECT rowid AS id FROM logs_search WHERE logs_search MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?)
SELECT 0 AS kind, min(id) AS id, count(*) AS ts, NULL AS level, NULL AS service, NULL AS correlation_id, NULL AS request_id, NULL AS msg, NULL AS fields FROM chunk
UNION ALL
SELECT * FROM (SELECT 1 AS kind, ${columns} FROM logs WHERE id IN (SELECT id FROM chunk) AND ${where.join(" AND ")} ORDER BY id DESC LIMIT ?)`,
      params: [match, below, chunk, ...params, wanted],
    };
  }
  if (query.q) {
    where.push("(msg LIKE ? ESCAPE '\\' OR fields LIKE ? ESCAPE '\\')");
    const like = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    params.push(like, like);
  }
  if (query.cursor) {
    const [ts, id] = decodeCursor(query.cursor);
    where.push("(ts < ? OR (ts = ? AND id < ?))");
    params.push(ts, ts, id);
  }
  params.push(wanted);
  return { text: false, sql: `SELECT ${columns} FROM logs WHERE ${where.join(" AND ")} ORDER BY ts DESC, id DESC LIMIT ?`, params };
}

/** A text search's lines, walking the index's matches a chunk at a time until a page is full or they run out. */
async function textLines(db: D1Database, query: LogQuery, now: number): Promise<Row[]> {
  const wanted = query.limit + 1;
  const rows: Row[] = [];
  // A text search's page ends at a line's id: the next starts below it.
  let below = query.cursor ? decodeCursor(query.cursor)[1] : BEFORE_ALL;
  for (let step = 0; rows.length < wanted; step++) {
    const chunk = CHUNKS[Math.min(step, CHUNKS.length - 1)] ?? CHUNKS[0];
    const { sql, params } = searchStatement(query, now, below, chunk, wanted - rows.length);
    const { results } = await db.prepare(sql).bind(...params).all<Row & { kind: number }>();
    const marker = results.find((r) => r.kind === 0);
    rows.push(...results.filter((r) => r.kind === 1));
    // The marker's `ts` column carries the chunk's count, its `id` the lowest match it held.
    if (!marker || Number(marker.ts) < chunk || marker.id === null) break;
    below = marker.id;
  }
  return rows;
}

export async function searchLogs(db: D1Database, query: LogQuery, now = Date.now()): Promise<LogPage> {
  const first = searchStatement(query, now);
  const results = first.text ? await textLines(db, query, now) : (await db.prepare(first.sql).bind(...first.params).all<Row>()).results;
  const page = results.slice(0, query.limit);
  const last = page.at(-1);
  return {
    lines: page.map((r) => ({
      id: r.id,
      ts: r.ts,
      level: r.level,
      service: r.service,
      correlationId: r.correlation_id,
      requestId: r.request_id,
      msg: r.msg,
      fields: r.fields === null ? null : (JSON.parse(r.fields) as unknown),
    })),
    next: results.length > query.limit && last ? toBase64Url(new TextEncoder().encode(JSON.stringify([last.ts, last.id]))) : null,
  };
}

export const searchRoutes = new Hono<AppEnv<LoggingEnv & LoggerEnv>>().get("/", requireRole("ops"), validate("query", LogQuerySchema), async (c) =>
  c.json(await searchLogs(c.env.DB, c.req.valid("query"))),
);
