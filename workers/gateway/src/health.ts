/** `GET /api/health`: every worker's /health, asked in parallel with a deadline. */

const services = ["INTAKE", "IDENTITY", "ORCHESTRATOR", "AI", "NOTIFY", "CONTENT", "LOGGING"] as const;
const DEADLINE_MS = 2_000;

type ServiceHealth = { status: "ok" | "down"; latencyMs: number; error?: string };

export async function healthOfAll(env: GatewayEnv) {
  const entries = await Promise.all(
    services.map(async (name): Promise<[string, ServiceHealth]> => {
      const started = Date.now();
      try {
        const res = await env[name].fetch("https://internal/health", { signal: AbortSignal.timeout(DEADLINE_MS) });
        await res.body?.cancel();
        return [name.toLowerCase(), { status: res.ok ? "ok" : "down", latencyMs: Date.now() - started, ...(res.ok ? {} : { error: `HTTP ${res.status}` }) }];
      } catch (err) {
        return [name.toLowerCase(), { status: "down", latencyMs: Date.now() - started, error: err instanceof Error ? err.name : "error" }];
      }
    }),
  );
  const all: Record<string, ServiceHealth> = { gateway: { status: "ok", latencyMs: 0 }, ...Object.fromEntries(entries) };
  const status = Object.values(all).every((s) => s.status === "ok") ? "ok" : "degraded";
  return { status, services: all, time: new Date().toISOString() };
}
