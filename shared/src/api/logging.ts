/**
 * logging's part of the public API, for ops: a request's timeline and story, events, dead letters and their
 * redrive, log search, the audit trail and the overview. logging validates with these very schemas. The answers are
 * not described here yet (the document says so), only what each route takes.
 */
import { z } from "zod";
import { Service, eventTypes, type EventType } from "../events";
import { LogLevel } from "../logger";
import type { Operation } from "../openapi";

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

/** The operations of logging's ops routes, which the gateway's table names row by row (what each takes). */
export const operations = {
  timeline: { params: CorrelationParam },
  events: { query: EventsQuery },
  deadLetters: { query: DeadLettersQuery },
  overview: { query: OverviewQuery },
  story: { params: StoryParam },
  redriveQueue: { body: QueueBody },
  logs: { query: LogQuery },
  audit: { query: AuditQuery },
  redrive: { params: DeadLetterParam, errors: [409] },
} satisfies Record<string, Operation>;
