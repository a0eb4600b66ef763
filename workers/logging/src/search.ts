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

/**
 * The search's SQL and its parameters: the range and filters as index-served conditions, the text as a match in
 * the trigram index (shorter than a trigram: a LIKE over the lines the other filters left).
 */
export function searchStatement(query: LogQuery, now = Date.now()): { sql: string; params: unknown[] } {
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
  if (query.q) {
    if ([...query.q].length >= 3) {
      where.push("id IN (SELECT rowid FROM logs_search WHERE logs_search MATCH ?)");
      params.push(`"${query.q.replaceAll('"', '""')}"`);
    } else {
      where.push("(msg LIKE ? ESCAPE '\\' OR fields LIKE ? ESCAPE '\\')");
      const like = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      params.push(like, like);
    }
  }
  if (query.cursor) {
    const [ts, id] = decodeCursor(query.cursor);
    where.push("(ts < ? OR (ts = ? AND id < ?))");
    params.push(ts, ts, id);
  }
  params.push(query.limit + 1);
  return { sql: `SELECT id, ts, level, service, correlation_id, request_id, msg, fields FROM logs WHERE ${where.join(" AND ")} ORDER BY ts DESC, id DESC LIMIT ?`, params };
}

export async function searchLogs(db: D1Database, query: LogQuery): Promise<LogPage> {
  const { sql, params } = searchStatement(query);
  const { results } = await db.prepare(sql).bind(...params).all<Row>();
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
