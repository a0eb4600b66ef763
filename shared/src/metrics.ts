/**
 * Metric data points, one shape for every worker: an HTTP route's status and duration, an AI task's kind, provider,
 * outcome, duration and model tokens, a request's creation and how its job ended (with the time to completed), a
 * notification's channel and outcome, a queue message's outcome and deliveries.
 *
 * Where the worker has Workers Analytics Engine (`METRICS`, staging and production) a point is written there; locally,
 * where wrangler drops Analytics Engine writes, it travels with the request's log lines to the logging worker, which
 * rolls it up in D1 (metric_rollup). Both keep the same dimensions and the same value bucket (`le`), so the ops
 * overview reads the same rows from either (workers/logging/src/overview.ts). Record a point with `log.metric(…)`.
 */
import { z } from "zod";

const dim = z.string().max(96);

/** One data point: what was measured (`metric`), up to three dimensions, a value (ms) and a second measure. */
export const MetricPoint = z.discriminatedUnion("metric", [
  /** A route answered: d1 the route (`GET /requests/:id`), d2 the status, d3 the worker. */
  z.object({ metric: z.literal("http"), route: dim, status: z.number().int(), service: dim, durationMs: z.number().nonnegative() }),
  /** An AI task's attempt ended: kind, provider (none when no provider answered), outcome; tokens in and out. */
  z.object({ metric: z.literal("task"), kind: dim, provider: dim, outcome: dim, durationMs: z.number().nonnegative(), tokens: z.number().nonnegative().default(0) }),
  /** A request was submitted, on a channel. */
  z.object({ metric: z.literal("request"), channel: dim }),
  /** A request's job ended: completed (with the time since its submission), failed or cancelled. */
  z.object({ metric: z.literal("job"), outcome: z.enum(["completed", "failed", "cancelled"]), durationMs: z.number().nonnegative().optional() }),
  /** A notification's step: sent, delivered, failed (or manual, skipped) on a channel. */
  z.object({ metric: z.literal("notification"), channel: dim, outcome: dim }),
  /** A queue message was handled: acked, retried or set aside as a dead letter, after `attempts` deliveries. */
  z.object({ metric: z.literal("queue"), queue: dim, outcome: z.enum(["ack", "retry", "dead"]), attempts: z.number().int().nonnegative() }),
]);
export type MetricPoint = z.input<typeof MetricPoint>;

/** The stored form: the metric, three dimensions, the value's bucket, the value and the second measure. */
export const MetricRow = z.object({ metric: z.string().min(1).max(32), d1: dim, d2: dim, d3: dim, le: z.number().int().nonnegative(), value: z.number().nonnegative(), extra: z.number().nonnegative() });
export type MetricRow = z.infer<typeof MetricRow>;

/** Buckets grow by a fifth, so a percentile read from them is within 20% of the true one. */
const GROWTH = 1.2;

/** The upper bound of the bucket a value falls in (0 for none or 0): 1, 2, 3, 4, 5, 6, 8, 9, 11, 13, 16… ms. */
export function bucketOf(value: number | undefined): number {
  if (value === undefined || !(value > 0)) return 0;
  return Math.max(1, Math.ceil(GROWTH ** Math.ceil(Math.log(value) / Math.log(GROWTH) - 1e-9)));
}

/** A point as its row: which field is which dimension, the value and the second measure. */
export function rowOf(input: MetricPoint): MetricRow {
  const p = MetricPoint.parse(input);
  const row = (d1: string, d2: string, d3: string, value = 0, extra = 0) => ({ metric: p.metric, d1, d2, d3, le: bucketOf(value), value, extra });
  switch (p.metric) {
    case "http":
      return row(p.route, String(p.status), p.service, p.durationMs);
    case "task":
      return row(p.kind, p.provider, p.outcome, p.durationMs, p.tokens);
    case "request":
      return row(p.channel, "", "");
    case "job":
      return row(p.outcome, "", "", p.durationMs);
    case "notification":
      return row(p.channel, p.outcome, "");
    case "queue":
      return row(p.queue, p.outcome, "", 0, p.attempts);
  }
}

/**
 * The Analytics Engine data point of a row: blob1 the metric, blob2-4 the dimensions, blob5 the bucket (so the SQL
 * API groups the same histogram as D1), double1 the value, double2 the second measure; indexed by metric.
 */
export function dataPointOf(row: MetricRow): AnalyticsEngineDataPoint {
  return { indexes: [row.metric], blobs: [row.metric, row.d1, row.d2, row.d3, String(row.le)], doubles: [row.value, row.extra] };
}

/**
 * Where points go in the cloud: the binding of the `statex_metrics` dataset. `BENCH_OBSERVABILITY` is the
 * benchmark's switch (see {@link observabilityOff}); it is set by `scripts/bench-ops.mjs` alone, never in
 * infra/topology.mjs.
 */
export type MetricsEnv = { METRICS?: AnalyticsEngineDataset; ENVIRONMENT?: string; BENCH_OBSERVABILITY?: string };

/**
 * For the benchmark only: whether `BENCH_OBSERVABILITY=off` turns off recording metric points and redacting log
 * lines, so that what they cost a submission can be measured against the same platform with them on
 * (scripts/bench-ops.mjs). Honoured in development alone (ENVIRONMENT, which the config generator writes), so no
 * setting can make staging or production ship unredacted lines or drop their metrics.
 */
export function observabilityOff(env: MetricsEnv): boolean {
  return env.ENVIRONMENT === "development" && env.BENCH_OBSERVABILITY === "off";
}
