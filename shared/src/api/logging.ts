/**
 * logging's part of the public API, for ops: a request's timeline and story, events, dead letters and their
 * redrive, log search, the audit trail, the alerts and the overview. logging validates with these very schemas, and
 * its tests read its answers with the answer schemas. Events' `data` and log lines' `fields` stay any JSON: they are
 * what each producer wrote, described by the event contracts, not re-checked here.
 */
import { z } from "zod";
import { Service, eventTypes, type EventType } from "../events";
import { LogLevel } from "../logger";
import { json, type Operation } from "../openapi";
import { Timestamp } from "./common";

const limit = z.coerce.number().int().min(1).max(500).default(100);

export const CorrelationParam = z.object({ correlationId: z.string().min(1).max(128) });
export const EventsQuery = z.strictObject({ type: z.enum(eventTypes as [EventType, ...EventType[]]).optional(), limit });
export const DeadLettersQuery = z.strictObject({ queue: z.string().min(1).max(128).optional(), state: z.enum(["open", "redriven", "all"]).default("all"), limit });
export const DeadLetterParam = z.object({ id: z.string().min(1).max(300) });
export const QueueBody = z.strictObject({ queue: z.string().min(1).max(128) });
export const StoryParam = z.object({ id: z.string().min(1).max(128) });

/** The overview's ranges: logging's RANGES has one bucketing for each. */
export const OVERVIEW_RANGES = ["hour", "day", "week"] as const;
export const OverviewQuery = z.strictObject({ range: z.enum(OVERVIEW_RANGES).default("day") });

export const AuditQuery = z.strictObject({
  action: z.string().min(1).max(64).optional(),
  actor: z.string().min(1).max(128).optional(),
  target: z.string().min(1).max(256).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit,
});

export const LogQuery = z
  .strictObject({
    worker: Service.optional(),
    level: LogLevel.optional(),
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    correlationId: z.string().min(1).max(128).optional(),
    q: z.string().trim().min(2).max(200).optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit,
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, { path: ["to"], message: "must be after from" });

/** A stored event, as its producer sent it. */
export const StoredEvent = z.object({
  id: z.string(),
  type: z.string(),
  correlationId: z.string(),
  source: z.string(),
  occurredAt: Timestamp,
  data: z.unknown(),
  receivedAt: Timestamp,
});

/** A message that exhausted its retries; `redrivenAt` is null while it is open. */
export const DeadLetter = z.object({
  id: z.string(),
  queue: z.string(),
  body: z.string().describe("The message body as JSON text"),
  eventType: z.string().nullable(),
  correlationId: z.string().nullable(),
  attempts: z.number().int(),
  reason: z.string(),
  receivedAt: Timestamp,
  redrivenAt: Timestamp.nullable(),
});

const at = { at: Timestamp };
/** One request's timeline: its events, log lines and dead letters, by instant. */
export const Timeline = z.object({
  correlationId: z.string(),
  entries: z.array(
    z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("event"), ...at, id: z.string(), type: z.string(), source: z.string(), data: z.unknown() }),
      z.object({ kind: z.literal("log"), ...at, level: z.string(), service: z.string(), msg: z.string(), fields: z.unknown() }),
      z.object({ kind: z.literal("dead-letter"), ...at, queue: z.string(), eventType: z.string().nullable(), reason: z.string(), attempts: z.number().int() }),
    ]),
  ),
});

export const Redriven = z.object({ id: z.string(), queue: z.string(), redrivenAt: Timestamp });
export const QueueRedriven = z.object({ queue: z.string(), redriven: z.number().int(), skipped: z.number().int(), failed: z.number().int() });

/** A page of log lines, newest first; `next` is the cursor of the page after, null at the end. */
export const LogPage = z.object({
  lines: z.array(
    z.object({
      id: z.number().int(),
      ts: Timestamp,
      level: z.string(),
      service: z.string(),
      correlationId: z.string().nullable(),
      requestId: z.string().nullable(),
      msg: z.string(),
      fields: z.unknown(),
    }),
  ),
  next: z.string().nullable(),
});

/** One entry of the audit trail with its place in the hash chain. */
export const AuditEntry = z.object({
  seq: z.number().int(),
  at: Timestamp,
  action: z.string(),
  // System actions (a retention sweep, a consumer) have no person behind them.
  actor: z.object({ id: z.string().nullable(), role: z.string().nullable() }),
  target: z.object({ type: z.string(), id: z.string() }),
  change: z.unknown(),
  correlationId: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
/** A page of the audit trail, newest first; `next` is the cursor (a seq) of the page after, null at the end. */
export const AuditPage = z.object({ entries: z.array(AuditEntry), next: z.string().nullable() });

/** The walk of the audit chain: `ok`, or where it first breaks. */
export const AuditVerdict = z.object({
  ok: z.boolean(),
  entries: z.number().int().describe("Entries checked before the end or the break"),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  brokenAt: z
    .object({ seq: z.number().int(), reason: z.enum(["hash-mismatch", "prev-mismatch", "missing"]), expected: z.string(), found: z.string().nullable() })
    .optional(),
  checkedAt: Timestamp,
});

/** The alert rules, what fires now, and the last 100 alerts. */
export const Alerts = z.object({
  rules: z.array(z.object({ id: z.string(), title: z.string(), description: z.string(), for: z.string().describe("How long the condition holds before it fires, e.g. 5m"), threshold: z.number().nullable() })),
  active: z.array(z.object({ rule: z.string(), firedAt: Timestamp, value: z.number().nullable(), summary: z.string() })),
  history: z.array(
    z.object({ id: z.string(), rule: z.string(), state: z.enum(["firing", "resolved"]), firedAt: Timestamp, resolvedAt: Timestamp.nullable(), value: z.number().nullable(), summary: z.string() }),
  ),
});

/** The operations of logging's ops routes, which the gateway's table names row by row. */
export const operations = {
  timeline: { params: CorrelationParam, responses: { 200: json(Timeline, "The entries in time order (at most 2,000 of each kind)") } },
  events: { query: EventsQuery, responses: { 200: json(z.object({ events: z.array(StoredEvent) }), "Newest first") } },
  deadLetters: { query: DeadLettersQuery, responses: { 200: json(z.object({ deadLetters: z.array(DeadLetter) }), "Newest first") } },
  overview: { query: OverviewQuery },
  story: { params: StoryParam },
  alerts: { responses: { 200: json(Alerts) } },
  redriveQueue: { body: QueueBody, responses: { 200: json(QueueRedriven, "How many were sent, skipped (erased or redriven meanwhile) and failed (still open)") } },
  logs: { query: LogQuery, responses: { 200: json(LogPage) } },
  audit: { query: AuditQuery, responses: { 200: json(AuditPage) } },
  auditVerify: { responses: { 200: json(AuditVerdict, "The verdict, a broken chain included") } },
  redrive: { params: DeadLetterParam, responses: { 200: json(Redriven, "Sent back to its queue") }, errors: [409] },
} satisfies Record<string, Operation>;
