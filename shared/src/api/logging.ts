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
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from "../notifications";
import { Timestamp } from "./common";
import { JobStep } from "./intake";

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

/** A request's whole story, for ops: the request (null once only its traces remain), its job, notifications and every entry by instant. */
export const Story = z.object({
  requestId: z.string(),
  request: z
    .object({ id: z.string(), channel: z.enum(["web", "api", "email"]), createdAt: Timestamp, userId: z.string().nullable(), erasedAt: Timestamp.nullable(), erased: z.boolean() })
    .nullable(),
  job: z
    .object({
      status: z.enum(["processing", "completed", "failed", "cancelled"]),
      createdAt: Timestamp,
      updatedAt: Timestamp,
      completedAt: Timestamp.nullable(),
      error: z.string().nullable(),
      tasks: z.array(JobStep.extend({ resultUrl: z.string().describe("The ops route of the task's result") })),
    })
    .nullable(),
  notifications: z.array(
    z.object({
      id: z.string(),
      channel: z.enum(NOTIFICATION_CHANNELS),
      kind: z.enum(NOTIFICATION_KINDS),
      status: z.enum(NOTIFICATION_STATUSES),
      attempts: z.number().int(),
      error: z.string().nullable(),
      step: z.number().int(),
      createdAt: Timestamp,
      sentAt: Timestamp.nullable(),
      deliveredAt: Timestamp.nullable(),
      failedAt: Timestamp.nullable(),
    }),
  ),
  entries: z.array(
    z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("event"), ...at, id: z.string(), type: z.string(), source: z.string(), data: z.unknown() }),
      z.object({ kind: z.literal("log"), ...at, id: z.number().int(), level: z.string(), service: z.string(), msg: z.string(), fields: z.unknown() }),
      z.object({
        kind: z.literal("dead-letter"), ...at, id: z.string(), queue: z.string(), eventType: z.string().nullable(), reason: z.string(), attempts: z.number().int(), redrivenAt: Timestamp.nullable(),
      }),
      z.object({ kind: z.literal("task"), ...at, taskId: z.string(), taskKind: JobStep.shape.kind, state: JobStep.shape.state, durationMs: z.number().optional(), provider: z.string().optional() }),
      z.object({ kind: z.literal("notification"), ...at, notificationId: z.string(), channel: z.enum(NOTIFICATION_CHANNELS), status: z.enum(NOTIFICATION_STATUSES) }),
      z.object({ kind: z.literal("audit"), ...at, seq: z.number().int(), action: z.string(), actor: AuditEntry.shape.actor }),
    ]),
  ),
  truncated: z.boolean().describe("Some kind reached the 2,000 a story shows"),
});

/** A series: one value per bucket of the range, oldest first (null where a bucket has nothing to measure). */
const counts = z.array(z.number());
const millis = z.array(z.number().nullable());
const ms = z.number().nullable();

/** The metrics at a glance over one range, as totals and a series per bucket. */
export const Overview = z.object({
  range: z.enum(OVERVIEW_RANGES),
  from: Timestamp,
  to: Timestamp,
  bucketSeconds: z.number().int(),
  source: z.enum(["analytics-engine", "d1"]).describe("Analytics Engine in the cloud, the D1 roll-up locally"),
  buckets: z.array(Timestamp).describe("Where each bucket starts"),
  requests: z.object({
    totals: z.object({ created: z.number(), completed: z.number(), failed: z.number(), cancelled: z.number() }),
    series: z.object({ created: counts, completed: counts, failed: counts, cancelled: counts }),
  }),
  timeToCompleted: z.object({ p50Ms: ms, p95Ms: ms, series: z.object({ p50Ms: millis, p95Ms: millis }) }),
  http: z.object({
    totals: z.object({ requests: z.number(), errors: z.number() }),
    series: z.object({ requests: counts, errors: counts, p95Ms: millis }),
    routes: z.array(z.object({ route: z.string(), count: z.number(), errors: z.number(), p50Ms: ms, p95Ms: ms })),
  }),
  tasks: z.array(z.object({ kind: z.string(), provider: z.string(), outcome: z.string(), count: z.number(), p50Ms: ms, p95Ms: ms, tokens: z.number() })),
  notifications: z.array(z.object({ channel: z.string(), outcome: z.string(), count: z.number() })),
  queues: z.array(z.object({ queue: z.string(), backlog: z.number().nullable().describe("null where the queue's metrics did not answer"), retries: z.number(), deadLetters: z.number() })),
  deadLetters: z.object({ open: z.number(), series: counts }),
});

/** The operations of logging's ops routes, which the gateway's table names row by row. */
export const operations = {
  timeline: { params: CorrelationParam, responses: { 200: json(Timeline, "The entries in time order (at most 2,000 of each kind)") } },
  events: { query: EventsQuery, responses: { 200: json(z.object({ events: z.array(StoredEvent) }), "Newest first") } },
  deadLetters: { query: DeadLettersQuery, responses: { 200: json(z.object({ deadLetters: z.array(DeadLetter) }), "Newest first") } },
  overview: { query: OverviewQuery, responses: { 200: json(Overview) } },
  story: { params: StoryParam, responses: { 200: json(Story) } },
  alerts: { responses: { 200: json(Alerts) } },
  redriveQueue: { body: QueueBody, responses: { 200: json(QueueRedriven, "How many were sent, skipped (erased or redriven meanwhile) and failed (still open)") } },
  logs: { query: LogQuery, responses: { 200: json(LogPage) } },
  audit: { query: AuditQuery, responses: { 200: json(AuditPage) } },
  auditVerify: { responses: { 200: json(AuditVerdict, "The verdict, a broken chain included") } },
  redrive: { params: DeadLetterParam, responses: { 200: json(Redriven, "Sent back to its queue") }, errors: [409, 503] },
} satisfies Record<string, Operation>;
