import { env } from "cloudflare:workers";
import { LogPage } from "@statex/shared/api/logging";
import type { LogLine } from "@statex/shared/logger";
import { beforeAll, describe, expect, it } from "vitest";
import { describeOpsOnly } from "../../../shared/test/callers";
import { type LogQuery, searchStatement } from "../src/search";
import { call, deliver } from "./helpers";


const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();

const lines: LogLine[] = [
  { ts: at(0), level: "info", service: "gateway", correlationId: "http-1", msg: "request received" },
  { ts: at(1), level: "info", service: "intake", correlationId: "req_S1", requestId: "http-1", msg: "request stored", fields: { files: 2 } },
  { ts: at(2), level: "warn", service: "orchestrator", correlationId: "req_S1", msg: "task timed out", fields: { kind: "asr", provider: "openai" } },
  { ts: at(3), level: "error", service: "ai", correlationId: "req_S1", msg: "provider failed", fields: { error: { message: "Quota EXCEEDED for model" } } },
  { ts: at(4), level: "debug", service: "notify", correlationId: "req_S2", msg: "ladder looked at" },
  { ts: at(5), level: "error", service: "notify", correlationId: "req_S2", msg: "send failed: 50% of 100_000" },
  { ts: at(5), level: "info", service: "notify", msg: "cron ran" },
];

async function search(query: string) {
  const res = await call("GET", `/logs?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return LogPage.parse(await res.json());
}

const range = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(10))}`;

describe("GET /logs", () => {
  beforeAll(async () => {
    await deliver("statex-logs", [{ body: { lines } }]);
  });

  it("answers the range newest first, with the HTTP request id a submission's lines were written under", async () => {
    const page = await search(range);
    expect(page.lines.map((l) => l.msg)).toEqual(["cron ran", "send failed: 50% of 100_000", "ladder looked at", "provider failed", "task timed out", "request stored", "request received"]);
    expect(page.lines.find((l) => l.msg === "request stored")).toMatchObject({ correlationId: "req_S1", requestId: "http-1" });
    expect(page.next).toBeNull();
  });

  it("filters by worker, by level and above, and by time", async () => {
    expect((await search(`${range}&worker=notify`)).lines.map((l) => l.msg)).toEqual(["cron ran", "send failed: 50% of 100_000", "ladder looked at"]);
    expect((await search(`${range}&level=warn`)).lines.map((l) => l.level)).toEqual(["error", "error", "warn"]);
    expect((await search(`from=${encodeURIComponent(at(2))}&to=${encodeURIComponent(at(4))}`)).lines.map((l) => l.msg)).toEqual(["provider failed", "task timed out"]);
  });

  it("finds a request's lines by its correlation id, and those before it existed by the request id they share", async () => {
    expect((await search(`${range}&correlationId=req_S1`)).lines.map((l) => l.service)).toEqual(["ai", "orchestrator", "intake"]);
    expect((await search(`${range}&correlationId=http-1`)).lines.map((l) => l.msg)).toEqual(["request stored", "request received"]);
  });

  it("finds text in messages and fields, whatever its case, with LIKE's wildcards taken literally", async () => {
    expect((await search(`${range}&q=quota%20exceeded`)).lines.map((l) => l.msg)).toEqual(["provider failed"]);
    expect((await search(`${range}&q=timed`)).lines.map((l) => l.msg)).toEqual(["task timed out"]);
    expect((await search(`${range}&q=${encodeURIComponent('"openai"')}`)).lines.map((l) => l.msg)).toEqual(["task timed out"]);
    expect((await search(`${range}&q=${encodeURIComponent("50%")}`)).lines.map((l) => l.msg)).toEqual(["send failed: 50% of 100_000"]);
    expect((await search(`${range}&q=0_`)).lines.map((l) => l.msg)).toEqual(["send failed: 50% of 100_000"]);
    expect((await search(`${range}&q=nowhere-to-be-found`)).lines).toEqual([]);
  });

  it("walks a word on many lines a chunk of matches at a time, newest first by arrival, and pages through them all", async () => {
    // More matches than the walk's first chunks hold, most outside the range or of another worker, so a page takes
    // several steps of the walk and the filters apply within each.
    const many: LogLine[] = Array.from({ length: 1_500 }, (_, i) => ({
      ts: new Date(Date.UTC(2026, 11, 2, 9, 0, 0, i)).toISOString(),
      level: "info",
      service: i % 5 === 0 ? "content" : "gateway",
      correlationId: `req_W${i}`,
      msg: `cache refreshed ${i}`,
    }));
    await deliver("statex-logs", [0, 500, 1_000].map((i) => ({ body: { lines: many.slice(i, i + 500) } })));
    const day = `from=${encodeURIComponent(new Date(Date.UTC(2026, 11, 2, 9)).toISOString())}&to=${encodeURIComponent(new Date(Date.UTC(2026, 11, 2, 10)).toISOString())}`;
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 20; i++) {
      const page = await search(`${day}&q=refreshed&worker=content&limit=50${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.lines.map((l) => l.correlationId ?? ""));
      if (!page.next) break;
      cursor = page.next;
    }
    const expected = many.filter((l) => l.service === "content").map((l) => l.correlationId ?? "");
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    // Outside the range, none of them.
    expect((await search(`${range}&q=refreshed`)).lines).toEqual([]);
  });

  it("pages with the cursor through lines of one instant without losing or repeating one", async () => {
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 10; i++) {
      const page = await search(`${range}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.lines.map((l) => l.msg));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toHaveLength(lines.length);
    expect(new Set(seen).size).toBe(lines.length);
  });

  it("refuses what it cannot search, naming the field", async () => {
    for (const [query, field] of [["worker=nobody", "worker"], ["level=loud", "level"], ["from=yesterday", "from"], ["q=x", "q"], ["cursor=bm9wZQ", "cursor"], [`from=${at(5)}&to=${at(1)}`, "to"], ["sort=asc", ""]] as const) {
      const res = await call("GET", `/logs?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { errors?: { field: string }[] };
      if (field) expect(body.errors?.map((e) => e.field), query).toContain(`query.${field}`);
    }
  });
});

describe("the search's query plans", () => {
  const plan = async (query: Partial<LogQuery>) => {
    const { sql, params } = searchStatement({ limit: 100, ...query }, Date.UTC(2026, 11, 1));
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
    return results.map((r) => r.detail);
  };

  it.each([
    ["the range alone", {}, "logs_ts"],
    ["a worker", { worker: "notify" }, "logs_service"],
    ["a level", { level: "error" }, "logs_level"],
    ["a correlation id", { correlationId: "req_S1" }, "logs_correlation"],
    ["text", { q: "quota" }, "logs_search"],
  ] as const)("%s is served by an index", async (_what, query, index) => {
    const steps = await plan(query);
    console.log(`${_what}:\n  ${steps.join("\n  ")}`);
    expect(steps.join("\n")).toContain(index);
    expect(steps.some((s) => /^SCAN logs\b(?! USING)/.test(s))).toBe(false);
  });
});

describeOpsOnly([{ method: "GET", path: "/logs", served: 200 }], call);
