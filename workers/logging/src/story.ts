/**
 * A request's whole story for ops, on one page: the request, its job and tasks with their timings, its
 * notifications and their statuses, and in time order every event, log line (those of the HTTP request that
 * submitted it too), dead letter, task step, notification and audit entry about it. Logging reads the other workers'
 * rows of the one D1 (requests, jobs, notifications) here, and only here, as their owners keep them.
 * Who may call: ops only.
 */
import { StoryParam } from "@statex/shared/api/logging";
import { requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import type { LoggerEnv } from "@statex/shared/logger";
import { asc, eq, inArray, or } from "drizzle-orm";
import { Hono } from "hono";
import { auditOf } from "./audit";

/** How many of each kind one story shows: a request's story is long but not this long. */
const MAX = 2_000;


type Entry = { at: string; kind: string } & Record<string, unknown>;

export async function storyOf(d1: D1Database, requestId: string) {
  const db = database(d1);
  const { requests, jobs, notifications, events, logs, deadLetters } = schema;
  // The HTTP requests whose lines led up to this request's id (the submission's own, before its req_ existed).
  const httpIds = (
    await db.selectDistinct({ id: logs.requestId }).from(logs).where(eq(logs.correlationId, requestId)).limit(50).all()
  ).flatMap((r) => (r.id ? [r.id] : []));
  const [request, job, notes, eventRows, logRows, deadRows, audit] = await Promise.all([
    db.select({ id: requests.id, channel: requests.channel, createdAt: requests.createdAt, userId: requests.userId, erasedAt: requests.erasedAt }).from(requests).where(eq(requests.id, requestId)).get(),
    db.select().from(jobs).where(eq(jobs.requestId, requestId)).get(),
    db
      .select({
        id: notifications.id, channel: notifications.channel, kind: notifications.kind, status: notifications.status, attempts: notifications.attempts, error: notifications.error,
        step: notifications.step, createdAt: notifications.createdAt, sentAt: notifications.sentAt, deliveredAt: notifications.deliveredAt, failedAt: notifications.failedAt,
      })
      .from(notifications)
      .where(eq(notifications.requestId, requestId))
      .orderBy(asc(notifications.createdAt))
      .limit(MAX)
      .all(),
    db.select().from(events).where(eq(events.correlationId, requestId)).orderBy(asc(events.occurredAt)).limit(MAX).all(),
    db
      .select()
      .from(logs)
      .where(httpIds.length ? or(eq(logs.correlationId, requestId), inArray(logs.correlationId, httpIds)) : eq(logs.correlationId, requestId))
      .orderBy(asc(logs.ts), asc(logs.id))
      .limit(MAX)
      .all(),
    db.select().from(deadLetters).where(eq(deadLetters.correlationId, requestId)).orderBy(asc(deadLetters.receivedAt)).limit(MAX).all(),
    auditOf(d1, requestId, MAX),
  ]);
  const tasks = (job?.steps ?? []).map((t) => ({ ...t, resultUrl: `/api/ops/jobs/${encodeURIComponent(requestId)}/tasks/${encodeURIComponent(t.id)}/result` }));
  const entries: Entry[] = [
    ...eventRows.map((e) => ({ at: e.occurredAt, kind: "event", id: e.id, type: e.type, source: e.source, data: e.data })),
    ...logRows.map((l) => ({ at: l.ts, kind: "log", id: l.id, level: l.level, service: l.service, msg: l.msg, fields: l.fields })),
    ...deadRows.map((d) => ({ at: d.receivedAt, kind: "dead-letter", id: d.id, queue: d.queue, eventType: d.eventType, reason: d.reason, attempts: d.attempts, redrivenAt: d.redrivenAt })),
    ...tasks.flatMap((t) => {
      const at = t.finishedAt ?? t.startedAt;
      return at ? [{ at, kind: "task", taskId: t.id, taskKind: t.kind, state: t.state, durationMs: t.durationMs, provider: t.provider }] : [];
    }),
    ...notes.map((n) => ({ at: n.deliveredAt ?? n.failedAt ?? n.sentAt ?? n.createdAt, kind: "notification", notificationId: n.id, channel: n.channel, status: n.status })),
    ...audit.map((a) => ({ at: a.at, kind: "audit", seq: a.seq, action: a.action, actor: a.actor })),
  ];
  if (!request && !job && !entries.length) throw notFound("Request");
  // By instant, not by string: producers write timestamps with different precision. Stable: at one instant the
  // order above holds (an event before the lines it caused).
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const truncated = [notes, eventRows, logRows, deadRows, audit].some((rows) => rows.length >= MAX);
  return {
    requestId,
    request: request ? { ...request, erased: request.erasedAt !== null } : null,
    job: job ? { status: job.status, createdAt: job.createdAt, updatedAt: job.updatedAt, completedAt: job.completedAt, error: job.error, tasks } : null,
    notifications: notes,
    entries,
    truncated,
  };
}

export const storyRoutes = new Hono<AppEnv<LoggingEnv & LoggerEnv>>().get("/:id/story", requireRole("ops"), validate("param", StoryParam), async (c) =>
  c.json(await storyOf(c.env.DB, c.req.valid("param").id)),
);
