/**
 * `GET /api/health`: the gateway's own checks and every worker's /health (each checks its dependencies for real,
 * shared/src/health.ts), asked in parallel with a deadline. Anyone learns whether the platform is up; ops and
 * admins also see each worker's checks and latencies, which would tell anyone else what the platform runs on.
 */
import { type Check, type HealthStatus, checkHealth } from "@statex/shared/health";

const services = ["INTAKE", "IDENTITY", "ORCHESTRATOR", "AI", "NOTIFY", "CONTENT", "LOGGING"] as const;
const DEADLINE_MS = 2_000;

export type ServiceHealth = { status: HealthStatus; latencyMs: number; checks: Record<string, Check>; error?: string };
export type HealthReport = { status: HealthStatus; time: string; services: Record<string, ServiceHealth> };

/** What a worker's /health answers (a worker that answers something else is down). */
function isHealth(body: unknown): body is { status: HealthStatus; checks: Record<string, Check> } {
  return typeof body === "object" && body !== null && "status" in body && "checks" in body && ["ok", "degraded", "down"].includes(String(body.status));
}

async function serviceHealth(env: GatewayEnv, name: (typeof services)[number]): Promise<ServiceHealth> {
  const started = Date.now();
  try {
    const res = await env[name].fetch("https://internal/health", { signal: AbortSignal.timeout(DEADLINE_MS) });
    const body: unknown = await res.json().catch(() => null);
    const latencyMs = Date.now() - started;
    if (!isHealth(body)) return { status: "down", latencyMs, checks: {}, error: `HTTP ${res.status}` };
    return { status: body.status, latencyMs, checks: body.checks };
  } catch (err) {
    return { status: "down", latencyMs: Date.now() - started, checks: {}, error: err instanceof Error ? err.name : "error" };
  }
}

export async function healthOfAll(env: GatewayEnv): Promise<HealthReport> {
  const [own, ...others] = await Promise.all([checkHealth(env), ...services.map((name) => serviceHealth(env, name))]);
  const all: Record<string, ServiceHealth> = { gateway: { status: own.status, latencyMs: 0, checks: own.checks } };
  services.forEach((name, i) => {
    const health = others[i];
    if (health) all[name.toLowerCase()] = health;
  });
  const statuses = Object.values(all).map((s) => s.status);
  const status: HealthStatus = statuses.includes("down") ? "down" : statuses.includes("degraded") ? "degraded" : "ok";
  return { status, services: all, time: new Date().toISOString() };
}
