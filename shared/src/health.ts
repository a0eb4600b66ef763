/**
 * A worker's health, checked for real: each dependency its bindings name is asked something cheap, with a deadline
 * — D1 a query, R2 a head, each queue producer its metrics, the model server and the email API (where configured)
 * a request. What a worker cannot work without is `required`: one of those down makes the worker `down` (503); an
 * optional one down (a provider with a fallback behind it) makes it `degraded`.
 *
 * The probes come from the bindings themselves, so a worker gains a check by gaining a binding, with no list to
 * keep beside its wrangler.toml.
 */
import { redactText } from "./logger";

/** One dependency's answer: whether it answered in time and how long it took. */
export type Check = { ok: boolean; latencyMs: number; required: boolean; error?: string };
export type HealthStatus = "ok" | "degraded" | "down";
export type Health = { status: HealthStatus; checks: Record<string, Check> };

type Probe = { required: boolean; run: (signal: AbortSignal) => Promise<unknown> };

/** Long enough for a cold D1 replica, short enough that the gateway's own deadline (2 s) still gets an answer. */
const DEADLINE_MS = 1_500;

const isQueue = (v: unknown): v is Queue => typeof v === "object" && v !== null && "send" in v && "sendBatch" in v;

/** A URL that answers over plain HTTP, or null for an empty or malformed setting (the dependency is not configured). */
function configured(value: unknown): URL | null {
  if (typeof value !== "string" || !value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Any answer counts as up: a 401 or 404 from an API still says it is there and answering. Only 5xx is down. */
async function reachable(url: URL, signal: AbortSignal): Promise<void> {
  const res = await fetch(url, { method: "GET", signal });
  await res.body?.cancel();
  if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
}

/** The probes of an env: one per dependency binding or configured API. */
export function probesOf(bindings: object): Record<string, Probe> {
  const env = bindings as Record<string, unknown>;
  const probes: Record<string, Probe> = {};
  const db = env.DB as D1Database | undefined;
  if (db) probes.d1 = { required: true, run: () => db.prepare("SELECT 1").first() };
  const files = env.FILES as R2Bucket | undefined;
  if (files) probes.r2 = { required: true, run: () => files.head("health/probe") };
  for (const [name, binding] of Object.entries(env)) {
    // Producers only: Q_* publish, REDRIVE_* send dead letters back. Metrics ask the queue without adding to it.
    const queue = /^(Q|REDRIVE)_(.+)$/.exec(name)?.[2]?.toLowerCase().replaceAll("_", "-");
    if (!queue || !isQueue(binding) || probes[`queue:${queue}`]) continue;
    // Log lines are best effort everywhere (a lost line fails no request): their queue is not required.
    probes[`queue:${queue}`] = { required: queue !== "logs", run: () => binding.metrics() };
  }
  // The ai worker's model server: behind it the offline provider answers, so it is not required.
  const model = configured(env.AI_API_URL);
  if (model) probes.model = { required: false, run: (signal) => reachable(new URL(`${model.pathname.replace(/\/$/, "")}/models`, model), signal) };
  // notify's email API, when it sends through one (not the Cloudflare binding): messages wait in their queue meanwhile.
  const email = configured(env.EMAIL_API_URL);
  if (email && env.EMAIL_PROVIDER !== "cloudflare") probes.email = { required: false, run: (signal) => reachable(email, signal) };
  return probes;
}

/** Runs every probe at once, each with the deadline, and sums them up. */
export async function checkHealth(env: object, deadlineMs = DEADLINE_MS): Promise<Health> {
  const entries = await Promise.all(
    Object.entries(probesOf(env)).map(async ([name, probe]): Promise<[string, Check]> => {
      const started = Date.now();
      const signal = AbortSignal.timeout(deadlineMs);
      try {
        await Promise.race([
          probe.run(signal),
          new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("timeout")), { once: true })),
        ]);
        return [name, { ok: true, latencyMs: Date.now() - started, required: probe.required }];
      } catch (err) {
        // Ops read it: an address or key in a dependency's message stays out, as in a log line.
        const error = signal.aborted ? "timeout" : err instanceof Error ? redactText(err.message).slice(0, 200) : "error";
        return [name, { ok: false, latencyMs: Date.now() - started, required: probe.required, error }];
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  const failed = entries.filter(([, c]) => !c.ok);
  const status: HealthStatus = failed.some(([, c]) => c.required) ? "down" : failed.length ? "degraded" : "ok";
  return { status, checks };
}
