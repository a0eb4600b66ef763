import { env } from "cloudflare:workers";
import { checkHealth } from "@statex/shared/health";
import { describe, expect, it } from "vitest";
import { call } from "./helpers";

describe("GET /health", () => {
  it("checks D1 and every queue producer for real, with latencies", async () => {
    const res = await call("GET", "/health", {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { service: string; status: string; checks: Record<string, { ok: boolean; latencyMs: number; required: boolean }> };
    expect(body).toMatchObject({ service: "logging", status: "ok" });
    expect(Object.keys(body.checks).sort()).toEqual(["d1", "queue:ai-tasks", "queue:intake", "queue:logging", "queue:logs", "queue:notify", "queue:orchestrator"]);
    expect(body.checks.d1).toMatchObject({ ok: true, required: true });
    expect(body.checks["queue:logs"]).toMatchObject({ ok: true, required: false });
  });
});

describe("checkHealth", () => {
  const failingD1 = { prepare: () => ({ first: () => Promise.reject(new Error("D1_ERROR: no such database for ada@example.com")) }) };
  const stuckR2 = { head: () => new Promise(() => undefined) };

  it("is down when a required dependency fails or does not answer in time, saying which and why", async () => {
    const health = await checkHealth({ DB: failingD1, FILES: stuckR2, Q_LOGS: env.REDRIVE_LOGS }, 50);
    expect(health.status).toBe("down");
    expect(health.checks.d1).toMatchObject({ ok: false, required: true, error: "D1_ERROR: no such database for [redacted:email]" });
    expect(health.checks.r2).toMatchObject({ ok: false, required: true, error: "timeout" });
    expect(health.checks.r2?.latencyMs).toBeGreaterThanOrEqual(45);
    expect(health.checks["queue:logs"]).toMatchObject({ ok: true });
  });

  it("is degraded when only an optional dependency is down (the model server, behind which the offline provider answers)", async () => {
    const health = await checkHealth({ DB: env.DB, AI_API_URL: "http://127.0.0.1:9/v1" }, 500);
    expect(health).toMatchObject({ status: "degraded", checks: { d1: { ok: true }, model: { ok: false, required: false } } });
  });

  it("checks nothing that is not configured", async () => {
    expect(await checkHealth({ AI_API_URL: "", EMAIL_API_URL: "http://x", EMAIL_PROVIDER: "cloudflare" })).toEqual({ status: "ok", checks: {} });
  });
});
