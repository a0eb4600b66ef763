/**
 * The local metrics store: data points rolled up per minute into metric_rollup, where wrangler drops Analytics Engine
 * writes (see shared/src/metrics.ts). Also the points logging derives from the events it stores — a request
 * submitted, how its job ended and how long after its submission, a notification's outcome, a message gone to a
 * dead-letter queue — which go to Analytics Engine where logging has it, as every worker's do.
 */
import { type Database, schema } from "@statex/shared/db";
import type { Envelope } from "@statex/shared/events";
import { type MetricPoint, type MetricRow, type MetricsEnv, dataPointOf, observabilityOff, rowOf } from "@statex/shared/metrics";
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";

/** D1 binds at most 100 parameters a statement; a roll-up row binds 9. */
const ROWS_PER_INSERT = 11;

/** The minute a time falls in, as the roll-up keys it. */
export function minuteOf(time: number): string {
  return new Date(Math.floor(time / 60_000) * 60_000).toISOString();
}

/** Upserts adding rows (summed per key first) to their minute's counts. */
export function rollupUpserts(db: Database, rows: MetricRow[], time: number): BatchItem<"sqlite">[] {
  const minute = minuteOf(time);
  const summed = new Map<string, typeof schema.metricRollup.$inferInsert>();
  for (const r of rows) {
    const key = JSON.stringify([r.metric, r.d1, r.d2, r.d3, r.le]);
    const at = summed.get(key) ?? { minute, metric: r.metric, d1: r.d1, d2: r.d2, d3: r.d3, le: r.le, count: 0, sum: 0, extra: 0 };
    at.count = (at.count ?? 0) + 1;
    at.sum = (at.sum ?? 0) + Math.round(r.value);
    at.extra = (at.extra ?? 0) + Math.round(r.extra);
    summed.set(key, at);
  }
  const values = [...summed.values()];
  const { metricRollup: m } = schema;
  const upserts: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
    upserts.push(
      db
        .insert(m)
        .values(values.slice(i, i + ROWS_PER_INSERT))
        .onConflictDoUpdate({
          target: [m.metric, m.minute, m.d1, m.d2, m.d3, m.le],
          set: { count: sql`${m.count} + excluded.count`, sum: sql`${m.sum} + excluded.sum`, extra: sql`${m.extra} + excluded.extra` },
        }),
    );
  }
  return upserts;
}

/** The points an event says something about (none for most). `submittedAt`: when its request was submitted, if known. */
export function pointsOf(event: Envelope, submittedAt?: string): MetricPoint[] {
  switch (event.type) {
    case "request.created":
      return [{ metric: "request", channel: event.data.channel }];
    case "job.completed": {
      const since = submittedAt ? Date.parse(event.occurredAt) - Date.parse(submittedAt) : event.data.durationMs;
      return [{ metric: "job", outcome: "completed", durationMs: Math.max(0, since) }];
    }
    case "job.failed":
      return [{ metric: "job", outcome: "failed" }];
    case "request.cancelled":
      return [{ metric: "job", outcome: "cancelled" }];
    case "notification.sent":
      return [{ metric: "notification", channel: event.data.channel, outcome: "sent" }];
    case "notification.delivered":
      return [{ metric: "notification", channel: event.data.channel ?? "unknown", outcome: "delivered" }];
    case "notification.failed":
      return [{ metric: "notification", channel: event.data.channel, outcome: "failed" }];
    default:
      return [];
  }
}

/** When each of these requests was submitted, by its request.created (for the time to completed). */
export async function submissionTimes(db: Database, correlationIds: string[]): Promise<Map<string, string>> {
  const times = new Map<string, string>();
  const { events } = schema;
  for (const id of new Set(correlationIds)) {
    const row = await db
      .select({ at: events.occurredAt })
      .from(events)
      .where(and(eq(events.correlationId, id), eq(events.type, "request.created")))
      .get();
    if (row) times.set(id, row.at);
  }
  return times;
}

/**
 * Where logging's own points go: Analytics Engine where it has it (nothing returned), else the roll-up upserts to
 * store in the same batch as what they were derived from.
 */
export function recordPoints(env: MetricsEnv, db: Database, points: MetricPoint[], time: number): BatchItem<"sqlite">[] {
  if (observabilityOff(env)) return [];
  const rows = points.map(rowOf);
  if (env.METRICS) {
    for (const row of rows) env.METRICS.writeDataPoint(dataPointOf(row));
    return [];
  }
  return rows.length ? rollupUpserts(db, rows, time) : [];
}
