import { env } from "cloudflare:workers";
import { database } from "@statex/shared/db";
import { Logger, echoes, type LogBatch } from "@statex/shared/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordPoints } from "../src/rollup";

/** A queue that keeps what is sent to it. */
function keepingQueue() {
  const sent: LogBatch[] = [];
  const queue = { send: async (body: LogBatch) => void sent.push(body) } as unknown as Queue;
  return { queue, sent };
}

describe("the structured logger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("echoes to the console only from LOG_CONSOLE's level up, and ships every line whatever it echoed", async () => {
    const out = { log: vi.spyOn(console, "log").mockImplementation(() => {}), warn: vi.spyOn(console, "warn").mockImplementation(() => {}) };
    const { queue, sent } = keepingQueue();
    const log = new Logger({ Q_LOGS: queue, LOG_CONSOLE: "warn" }, "intake", "req_01JX00000000000000000000AB");
    log.info("request received", { channel: "api" });
    log.warn("outbox relay failed, will retry", { eventIds: ["evt_1"] });
    expect(out.log).not.toHaveBeenCalled();
    expect(out.warn).toHaveBeenCalledOnce();
    expect(JSON.parse(String(out.warn.mock.calls[0]?.[0]))).toMatchObject({ level: "warn", service: "intake", correlationId: "req_01JX00000000000000000000AB" });

    await log.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.lines.map((l) => [l.level, l.msg, l.correlationId])).toEqual([
      ["info", "request received", "req_01JX00000000000000000000AB"],
      ["warn", "outbox relay failed, will retry", "req_01JX00000000000000000000AB"],
    ]);
  });

  it("echoes everything when LOG_CONSOLE is unset or not a level", () => {
    for (const setting of [undefined, "", "verbose"]) expect(["debug", "info", "warn", "error"].map((l) => echoes(setting, l as never))).toEqual([true, true, true, true]);
    expect(["debug", "info", "warn", "error"].map((l) => echoes("info", l as never))).toEqual([false, true, true, true]);
    expect(["debug", "info", "warn", "error"].map((l) => echoes("error", l as never))).toEqual([false, false, false, true]);
  });
});

describe("the benchmark's switch (BENCH_OBSERVABILITY)", () => {
  const hostile = "sign-in failed for ada@example.com, call +49 30 1234 5678";

  async function shipped(env: { ENVIRONMENT?: string; BENCH_OBSERVABILITY?: string }) {
    const { queue, sent } = keepingQueue();
    const log = new Logger({ Q_LOGS: queue, LOG_CONSOLE: "error", ...env }, "identity", "req_01JX00000000000000000000AB");
    log.info(hostile, { email: "ada@example.com" });
    log.metric({ metric: "http", route: "POST /sessions", status: 401, service: "identity", durationMs: 12 });
    await log.flush();
    return { line: sent[0]?.lines[0], points: sent[0]?.points ?? [] };
  }

  it("turns redaction and metric points off in development, for measuring what they cost", async () => {
    const off = await shipped({ ENVIRONMENT: "development", BENCH_OBSERVABILITY: "off" });
    expect(off.line).toMatchObject({ msg: hostile, fields: { email: "ada@example.com" } });
    expect(off.points).toEqual([]);
  });

  it("is ignored anywhere else and for any other value: lines stay redacted and points recorded", async () => {
    for (const env of [{ ENVIRONMENT: "production", BENCH_OBSERVABILITY: "off" }, { ENVIRONMENT: "staging", BENCH_OBSERVABILITY: "off" }, { BENCH_OBSERVABILITY: "off" }, { ENVIRONMENT: "development", BENCH_OBSERVABILITY: "on" }]) {
      const { line, points } = await shipped(env);
      expect(line?.msg).toBe("sign-in failed for [redacted:email], call [redacted:phone]");
      expect(line?.fields).toEqual({ email: "[redacted:email]" });
      expect(points.map((p) => [p.metric, p.d1, p.d2])).toEqual([["http", "POST /sessions", "401"]]);
    }
  });

  it("turns off the points logging derives from events too, and only in development", async () => {
    const db = database(env.DB);
    const point = [{ metric: "request" as const, channel: "bench-switch" }];
    const at = Date.parse("2026-01-05T10:00:30Z");
    expect(recordPoints({ ENVIRONMENT: "development", BENCH_OBSERVABILITY: "off" }, db, point, at)).toEqual([]);
    const [upsert, ...rest] = recordPoints({ ENVIRONMENT: "production", BENCH_OBSERVABILITY: "off" }, db, point, at);
    if (!upsert) throw new Error("production recorded no point");
    await db.batch([upsert, ...rest]);
    const row = await env.DB.prepare("SELECT minute, count FROM metric_rollup WHERE metric = 'request' AND d1 = 'bench-switch'").first();
    expect(row).toEqual({ minute: "2026-01-05T10:00:00.000Z", count: 1 });
  });
});
