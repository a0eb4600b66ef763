import { HealthReport, PublicHealth } from "@statex/shared/api/gateway";
import { describe, expect, it } from "vitest";
import { call, opsHeaders } from "./call";

type Report = { status: string; services: Record<string, { status: string; latencyMs: number; checks: Record<string, { ok: boolean; required: boolean }> }> };

describe("GET /api/health", () => {
  it("tells anyone only up or down", async () => {
    const res = await call("/api/health");
    const body = await res.json<Record<string, unknown>>();
    expect(Object.keys(body)).toEqual(["status"]);
    expect(PublicHealth.parse(body).status).toBe(res.status === 200 ? "up" : "down");
  });

  it("answers before the bearer check: a token that is not valid learns only up or down, never 401", async () => {
    const res = await call("/api/health", { headers: { authorization: "Bearer not-a-token" } });
    expect([200, 503]).toContain(res.status);
    PublicHealth.parse(await res.json());
  });

  it("shows ops every worker's checks of its real dependencies, with latencies", async () => {
    const res = await call("/api/health", { headers: await opsHeaders() });
    const body = await res.json<Report>();
    HealthReport.parse(body);
    expect(Object.keys(body.services).sort()).toEqual(["ai", "content", "gateway", "identity", "intake", "logging", "notify", "orchestrator"]);
    expect(body.services.intake?.checks).toMatchObject({ d1: { ok: true, required: true }, r2: { ok: true, required: true }, "queue:orchestrator": { ok: true, required: true } });
    expect(body.services.logging?.checks.d1).toMatchObject({ ok: true });
    expect(body.services.ai?.checks).toHaveProperty("model");
    expect(body.services.notify?.checks).toHaveProperty("email");
    for (const service of Object.values(body.services)) expect(service.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.status).toBe(body.status === "down" ? 503 : 200);
  });
});
