/**
 * Reading what logging stored. Who may call: ops only. The gateway guards these routes and each checks the
 * forwarded role again, so a request that reaches the worker over a binding without an ops caller is refused too.
 */
import { requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { CorrelationParam, DeadLettersQuery, EventsQuery } from "@statex/shared/api/logging";
import { type AppEnv, validate } from "@statex/shared/http";
import type { LoggerEnv } from "@statex/shared/logger";
import { and, asc, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { Hono } from "hono";


const ops = requireRole("ops");

/** How many of each kind one timeline shows: a request's story is long but not this long. */
const TIMELINE_MAX = 2_000;

type Entry = { at: string } & (
  | { kind: "event"; id: string; type: string; source: string; data: unknown }
  | { kind: "log"; level: string; service: string; msg: string; fields: unknown }
  | { kind: "dead-letter"; queue: string; eventType: string | null; reason: string; attempts: number }
);

export const routes = new Hono<AppEnv<LoggingEnv & LoggerEnv>>()
  // One request's whole story: its events, every worker's log lines and any dead letters, in time order.
  .get("/timeline/:correlationId", ops, validate("param", CorrelationParam), async (c) => {
    const { correlationId } = c.req.valid("param");
    const db = database(c.env.DB);
    const { events, logs, deadLetters } = schema;
    const [eventRows, logRows, deadRows] = await Promise.all([
      db.select().from(events).where(eq(events.correlationId, correlationId)).orderBy(asc(events.occurredAt)).limit(TIMELINE_MAX).all(),
      db.select().from(logs).where(eq(logs.correlationId, correlationId)).orderBy(asc(logs.ts), asc(logs.id)).limit(TIMELINE_MAX).all(),
      db.select().from(deadLetters).where(eq(deadLetters.correlationId, correlationId))
        .orderBy(asc(deadLetters.receivedAt)).limit(TIMELINE_MAX).all(),
    ]);
    const entries: Entry[] = [
      ...eventRows.map((e) => ({ kind: "event" as const, at: e.occurredAt, id: e.id, type: e.type, source: e.source, data: e.data })),
      ...logRows.map((l) => ({ kind: "log" as const, at: l.ts, level: l.level, service: l.service, msg: l.msg, fields: l.fields })),
      ...deadRows.map((d) => ({
        kind: "dead-letter" as const, at: d.receivedAt, queue: d.queue, eventType: d.eventType, reason: d.reason, attempts: d.attempts,
      })),
    ];
    if (!entries.length) throw notFound("Timeline");
    // By instant, not by string: producers write timestamps with different precision. The sort is
    // stable, so at the same instant an event comes before the log lines it caused.
    entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return c.json({ correlationId, entries });
  })
  .get("/events", ops, validate("query", EventsQuery), async (c) => {
    const { type, limit: max } = c.req.valid("query");
    const { events } = schema;
    const rows = await database(c.env.DB)
      .select()
      .from(events)
      .where(type ? eq(events.type, type) : undefined)
      .orderBy(desc(events.occurredAt), desc(events.id))
      .limit(max)
      .all();
    return c.json({ events: rows });
  })
  .get("/dead-letters", ops, validate("query", DeadLettersQuery), async (c) => {
    const { queue, state, limit: max } = c.req.valid("query");
    const { deadLetters } = schema;
    const rows = await database(c.env.DB)
      .select()
      .from(deadLetters)
      .where(
        and(
          queue ? eq(deadLetters.queue, queue) : undefined,
          state === "open" ? isNull(deadLetters.redrivenAt) : state === "redriven" ? isNotNull(deadLetters.redrivenAt) : undefined,
        ),
      )
      .orderBy(desc(deadLetters.receivedAt), desc(deadLetters.id))
      .limit(max)
      .all();
    return c.json({ deadLetters: rows });
  });
