/**
 * The ops overview: requests, time to completed, routes, tasks, notifications and queues over the last hour, day or
 * week, from the metric data points. One query per source, grouped the same way: in staging and production the
 * Analytics Engine SQL API (where every worker writes), locally the D1 roll-up (where wrangler drops those writes).
 * Both answer rows of (metric, dimensions, value bucket, time bucket, count, sum, extra), and everything else here
 * is the same arithmetic on them — so the console draws the same charts from either. The README ("Metrics") lists
 * which rows feed which chart.
 */
import type { OVERVIEW_RANGES } from "@statex/shared/api/logging";
import { type Database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { redriveQueue } from "./redrive";

export const RANGES = {
  hour: { bucketSeconds: 300, buckets: 12 },
  day: { bucketSeconds: 3_600, buckets: 24 },
  week: { bucketSeconds: 21_600, buckets: 28 },
} as const satisfies Record<(typeof OVERVIEW_RANGES)[number], { bucketSeconds: number; buckets: number }>;
export type Range = keyof typeof RANGES;

/** One group of points: a metric's dimensions and value bucket in one time bucket (`b`, from 0). */
export type Group = { metric: string; d1: string; d2: string; d3: string; le: number; b: number; count: number; sum: number; extra: number };

export type Window = { range: Range; from: number; to: number; bucketSeconds: number; buckets: number };

export function windowOf(range: Range, now = Date.now()): Window {
  const { bucketSeconds, buckets } = RANGES[range];
  const size = bucketSeconds * 1_000;
  const end = Math.floor(now / size) * size + size;
  return { range, from: end - buckets * size, to: end, bucketSeconds, buckets };
}

const METRICS = ["http", "task", "request", "job", "notification", "queue"];

/** The D1 roll-up's groups: one query over the primary key (metric, minute, …). */
export async function groupsFromD1(db: D1Database, w: Window): Promise<Group[]> {
  const { results } = await db
    .prepare(
      `SELECT metric, d1, d2, d3, le, CAST((CAST(strftime('%s', substr(minute, 1, 19)) AS INTEGER) - ?1) / ?2 AS INTEGER) AS b,
              SUM(count) AS count, SUM(sum) AS sum, SUM(extra) AS extra
       FROM metric_rollup
       WHERE metric IN (${METRICS.map((m) => `'${m}'`).join(", ")}) AND minute >= ?3 AND minute < ?4
       GROUP BY metric, d1, d2, d3, le, b`,
    )
    .bind(w.from / 1_000, w.bucketSeconds, new Date(w.from).toISOString(), new Date(w.to).toISOString())
    .all<Group>();
  return results;
}

/** Where the SQL API is: the account's, with a token that may read Analytics Engine. */
export type AnalyticsEnv = { CF_ACCOUNT_ID?: string; METRICS_DATASET?: string; METRICS_API_TOKEN?: string };

const AeAnswer = z.object({
  data: z.array(
    z.object({ metric: z.string(), d1: z.string(), d2: z.string(), d3: z.string(), le: z.coerce.number(), b: z.coerce.number(), count: z.coerce.number(), sum: z.coerce.number(), extra: z.coerce.number() }),
  ),
});

/**
 * The same groups from Analytics Engine (blob1 the metric, blob2-4 the dimensions, blob5 the value bucket, double1
 * the value, double2 the second measure: shared/src/metrics.ts). Sampled rows count `_sample_interval` times.
 */
export async function groupsFromAnalytics(env: Required<AnalyticsEnv>, w: Window, fetcher: typeof fetch = fetch): Promise<Group[]> {
  const dataset = env.METRICS_DATASET.replace(/[^A-Za-z0-9_]/g, "");
  const query = `SELECT blob1 AS metric, blob2 AS d1, blob3 AS d2, blob4 AS d3, blob5 AS le,
      intDiv(toUInt32(timestamp) - ${w.from / 1_000}, ${w.bucketSeconds}) AS b,
      SUM(_sample_interval) AS count, SUM(_sample_interval * double1) AS sum, SUM(_sample_interval * double2) AS extra
    FROM ${dataset}
    WHERE timestamp >= toDateTime(${w.from / 1_000}) AND timestamp < toDateTime(${w.to / 1_000})
    GROUP BY metric, d1, d2, d3, le, b
    FORMAT JSON`;
  const res = await fetcher(`https://api.cloudflare.com/client/v4/accounts/${encodeURIComponent(env.CF_ACCOUNT_ID)}/analytics_engine/sql`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.METRICS_API_TOKEN}` },
    body: query,
  });
  if (!res.ok) throw new ProblemError(502, "metrics-unavailable", `Analytics Engine answered HTTP ${res.status}`);
  return AeAnswer.parse(await res.json()).data;
}

/** Whether the metrics are read from Analytics Engine (staging, production) rather than the D1 roll-up. */
const fromAnalytics = (env: AnalyticsEnv) => Boolean(env.CF_ACCOUNT_ID && env.METRICS_DATASET && env.METRICS_API_TOKEN);

/** The groups of a window from wherever this environment keeps the metrics. */
export async function groupsFor(env: LoggingEnv & AnalyticsEnv, w: Window): Promise<Group[]> {
  if (!fromAnalytics(env)) return groupsFromD1(env.DB, w);
  return groupsFromAnalytics({ CF_ACCOUNT_ID: env.CF_ACCOUNT_ID ?? "", METRICS_DATASET: env.METRICS_DATASET ?? "", METRICS_API_TOKEN: env.METRICS_API_TOKEN ?? "" }, w);
}

/** The value at quantile `q` of histogram groups: the upper bound of the bucket the q-th point falls in. */
export function quantile(groups: Group[], q: number): number | null {
  const byLe = new Map<number, number>();
  for (const g of groups) if (g.le > 0) byLe.set(g.le, (byLe.get(g.le) ?? 0) + g.count);
  const total = [...byLe.values()].reduce((a, b) => a + b, 0);
  if (!total) return null;
  let seen = 0;
  for (const [le, n] of [...byLe].sort((a, b) => a[0] - b[0])) {
    seen += n;
    if (seen >= q * total) return le;
  }
  return null;
}

const sum = (groups: Group[], key: "count" | "sum" | "extra" = "count") => groups.reduce((a, g) => a + g[key], 0);

function perBucket<T>(w: Window, groups: Group[], of: (inBucket: Group[]) => T): T[] {
  const split: Group[][] = Array.from({ length: w.buckets }, () => []);
  for (const g of groups) split[g.b]?.push(g);
  return split.map((inBucket) => of(inBucket));
}

/** Summed by the dimensions `key` picks, largest count first. */
function byKey(groups: Group[], key: (g: Group) => string): Map<string, Group[]> {
  const out = new Map<string, Group[]>();
  for (const g of groups) out.set(key(g), [...(out.get(key(g)) ?? []), g]);
  return new Map([...out].sort((a, b) => sum(b[1]) - sum(a[1])));
}

/** Queues as ops know them (`notify`), from a stored name in any environment (`statex-notify-staging`). */
const queueName = (stored: string) => stored.replace(/-staging$/, "").replace(/^statex-/, "");

export async function overview(env: LoggingEnv & AnalyticsEnv, db: Database, range: Range, now = Date.now()) {
  const w = windowOf(range, now);
  const analytics = fromAnalytics(env);
  const groups = await groupsFor(env, w);
  const of = (metric: string) => groups.filter((g) => g.metric === metric && Number.isInteger(g.b) && g.b >= 0 && g.b < w.buckets);
  const [http, task, request, job, notification, queue] = ["http", "task", "request", "job", "notification", "queue"].map(of) as [Group[], Group[], Group[], Group[], Group[], Group[]];
  const outcome = (o: string) => job.filter((g) => g.d1 === o);
  const completed = outcome("completed");
  // The public surface: the gateway's routes (every worker records its own, for their latencies).
  const gateway = http.filter((g) => g.d3 === "gateway");
  const errors = (gs: Group[]) => gs.filter((g) => Number(g.d2) >= 500);

  const { deadLetters } = schema;
  const open = await db
    .select({ queue: deadLetters.queue, n: sql<number>`count(*)` })
    .from(deadLetters)
    .where(isNull(deadLetters.redrivenAt))
    .groupBy(deadLetters.queue)
    .all();
  const queues = await Promise.all(
    ["orchestrator", "ai-tasks", "notify", "intake", "logging", "logs"].map(async (name) => {
      const producer = redriveQueue(env, `statex-${name}`);
      const backlog = producer ? await producer.metrics().then((m) => m.backlogCount, () => null) : null;
      const mine = queue.filter((g) => queueName(g.d1) === name);
      return {
        queue: name,
        backlog,
        retries: sum(mine.filter((g) => g.d2 === "retry")),
        deadLetters: open.filter((o) => queueName(o.queue) === name).reduce((a, o) => a + o.n, 0),
      };
    }),
  );

  return {
    range,
    from: new Date(w.from).toISOString(),
    to: new Date(w.to).toISOString(),
    bucketSeconds: w.bucketSeconds,
    source: analytics ? "analytics-engine" : "d1",
    buckets: Array.from({ length: w.buckets }, (_, i) => new Date(w.from + i * w.bucketSeconds * 1_000).toISOString()),
    requests: {
      totals: { created: sum(request), completed: sum(completed), failed: sum(outcome("failed")), cancelled: sum(outcome("cancelled")) },
      series: {
        created: perBucket(w, request, sum),
        completed: perBucket(w, completed, sum),
        failed: perBucket(w, outcome("failed"), sum),
        cancelled: perBucket(w, outcome("cancelled"), sum),
      },
    },
    timeToCompleted: {
      p50Ms: quantile(completed, 0.5),
      p95Ms: quantile(completed, 0.95),
      series: { p50Ms: perBucket(w, completed, (g) => quantile(g, 0.5)), p95Ms: perBucket(w, completed, (g) => quantile(g, 0.95)) },
    },
    http: {
      totals: { requests: sum(gateway), errors: sum(errors(gateway)) },
      series: { requests: perBucket(w, gateway, sum), errors: perBucket(w, errors(gateway), sum), p95Ms: perBucket(w, gateway, (g) => quantile(g, 0.95)) },
      routes: [...byKey(gateway, (g) => g.d1)].slice(0, 20).map(([route, gs]) => ({ route, count: sum(gs), errors: sum(errors(gs)), p50Ms: quantile(gs, 0.5), p95Ms: quantile(gs, 0.95) })),
    },
    tasks: [...byKey(task, (g) => JSON.stringify([g.d1, g.d2, g.d3]))].map(([key, gs]) => {
      const [kind, provider, result] = JSON.parse(key) as [string, string, string];
      return { kind, provider, outcome: result, count: sum(gs), p50Ms: quantile(gs, 0.5), p95Ms: quantile(gs, 0.95), tokens: sum(gs, "extra") };
    }),
    notifications: [...byKey(notification, (g) => JSON.stringify([g.d1, g.d2]))].map(([key, gs]) => {
      const [channel, result] = JSON.parse(key) as [string, string];
      return { channel, outcome: result, count: sum(gs) };
    }),
    queues,
    deadLetters: { open: open.reduce((a, o) => a + o.n, 0), series: perBucket(w, queue.filter((g) => g.d2 === "dead"), sum) },
  };
}
