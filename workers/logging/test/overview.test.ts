import { env } from "cloudflare:workers";
import { Overview } from "@statex/shared/api/logging";
import { createEvent } from "@statex/shared/events";
import { Logger } from "@statex/shared/logger";
import { bucketOf } from "@statex/shared/metrics";
import { describe, expect, it } from "vitest";
import { describeOpsOnly } from "../../../shared/test/callers";
import { groupsFromAnalytics, quantile, windowOf } from "../src/overview";
import { call, createdEvent, deliver } from "./helpers";

/** What a worker's logger ships: its points ride with its lines to the logs queue, as locally. */
async function shippedPoints(record: (log: Logger) => void) {
  const sent: unknown[] = [];
  const log = new Logger({ Q_LOGS: { send: async (body: unknown) => void sent.push(body) } as unknown as Queue }, "gateway");
  record(log);
  await log.flush();
  await deliver("statex-logs", sent.map((body) => ({ body })));
}

describe("GET /overview", () => {
  it("counts requests and their outcomes, times to completed, routes, tasks, notifications and queues from the roll-up", async () => {
    const now = Date.now();
    const created = [1, 2, 3, 4].map((n) => createdEvent(`req_O${n}`, new Date(now - 60_000)));
    const meta = (id: string) => ({ correlationId: id, source: "orchestrator" as const });
    await deliver("statex-logging", created.map((body) => ({ body })));
    await deliver("statex-logging", [
      { body: createEvent("job.completed", { requestId: "req_O1", durationMs: 1 }, { ...meta("req_O1"), occurredAt: new Date(now - 50_000) }) },
      { body: createEvent("job.completed", { requestId: "req_O2", durationMs: 1 }, { ...meta("req_O2"), occurredAt: new Date(now - 30_000) }) },
      { body: createEvent("job.failed", { requestId: "req_O3", reason: "x" }, meta("req_O3")) },
      { body: createEvent("request.cancelled", { requestId: "req_O4", by: "ops" }, meta("req_O4")) },
      { body: createEvent("notification.sent", { notificationId: "n1", channel: "email", recipient: "a@b.co", template: "received" }, { correlationId: "req_O1", source: "notify" }) },
      { body: createEvent("notification.failed", { notificationId: "n2", channel: "telegram", error: "blocked", attempts: 1 }, { correlationId: "req_O1", source: "notify" }) },
    ]);
    await shippedPoints((log) => {
      for (const ms of [20, 30, 40]) log.metric({ metric: "http", route: "POST /api/requests", status: 202, service: "gateway", durationMs: ms });
      log.metric({ metric: "http", route: "GET /api/requests/:id", status: 503, service: "gateway", durationMs: 900 });
      log.metric({ metric: "http", route: "POST /requests", status: 202, service: "intake", durationMs: 10 });
      log.metric({ metric: "task", kind: "nlp", provider: "openai", outcome: "succeeded", durationMs: 1_200, tokens: 700 });
      log.metric({ metric: "task", kind: "nlp", provider: "openai", outcome: "succeeded", durationMs: 1_500, tokens: 300 });
      log.metric({ metric: "queue", queue: "statex-notify", outcome: "retry", attempts: 2 });
    });
    await deliver("statex-notify-dlq", [{ id: "dl-ov", body: { type: "request.created", correlationId: "req_O9" } }]);

    const res = await call("GET", "/overview?range=hour");
    expect(res.status).toBe(200);
    const o = Overview.parse(await res.json());
    expect(o.source).toBe("d1");
    expect(o.buckets).toHaveLength(12);
    expect(o.requests.totals).toEqual({ created: 4, completed: 2, failed: 1, cancelled: 1 });
    expect(o.requests.series.created?.reduce((a, b) => a + b, 0)).toBe(4);
    // From submission to completed: 10 s and 30 s, read from their buckets (within a fifth).
    expect(o.timeToCompleted.p50Ms).toBe(bucketOf(10_000));
    expect(o.timeToCompleted.p95Ms).toBe(bucketOf(30_000));
    expect(o.http.totals).toEqual({ requests: 4, errors: 1 });
    expect(o.http.routes[0]).toMatchObject({ route: "POST /api/requests", count: 3, errors: 0 });
    expect(o.tasks).toEqual([expect.objectContaining({ kind: "nlp", provider: "openai", outcome: "succeeded", count: 2, tokens: 1_000 })]);
    expect(o.notifications).toEqual(expect.arrayContaining([{ channel: "email", outcome: "sent", count: 1 }, { channel: "telegram", outcome: "failed", count: 1 }]));
    const notify = o.queues.find((q) => q.queue === "notify");
    expect(notify).toMatchObject({ deadLetters: 1, retries: 1 });
    expect(typeof notify?.backlog).toBe("number");
    expect(o.deadLetters.open).toBeGreaterThanOrEqual(1);
    expect(o.deadLetters.series.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("refuses a range it does not know", async () => {
    expect((await call("GET", "/overview?range=year")).status).toBe(400);
  });
});

describe("the overview's arithmetic", () => {
  it("reads quantiles from the value buckets", () => {
    const g = (le: number, count: number) => ({ metric: "job", d1: "completed", d2: "", d3: "", le, b: 0, count, sum: 0, extra: 0 });
    expect(quantile([g(10, 50), g(100, 45), g(1_000, 5)], 0.5)).toBe(10);
    expect(quantile([g(10, 50), g(100, 45), g(1_000, 5)], 0.95)).toBe(100);
    expect(quantile([], 0.5)).toBeNull();
    expect([1, 10, 1_000, 60_000].map((v) => bucketOf(v) / v).every((r) => r >= 1 && r < 1.21)).toBe(true);
  });

  it("asks Analytics Engine's SQL API for the same groups, weighted by the sample interval", async () => {
    const w = windowOf("day", Date.UTC(2026, 11, 3, 12, 30));
    let asked = "";
    const fetcher = (async (_url: string, init?: RequestInit) => {
      asked = String(init?.body);
      return Response.json({ data: [{ metric: "job", d1: "completed", d2: "", d3: "", le: "11", b: "3", count: "2", sum: "20", extra: "0" }] });
    }) as typeof fetch;
    const groups = await groupsFromAnalytics({ CF_ACCOUNT_ID: "acc", METRICS_DATASET: "statex_metrics", METRICS_API_TOKEN: "t" }, w, fetcher);
    expect(groups).toEqual([{ metric: "job", d1: "completed", d2: "", d3: "", le: 11, b: 3, count: 2, sum: 20, extra: 0 }]);
    expect(asked).toContain("SUM(_sample_interval)");
    expect(asked).toContain("FROM statex_metrics");
  });
});

describeOpsOnly([{ method: "GET", path: "/overview", served: 200 }], call);
