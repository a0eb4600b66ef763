/** Calls the gateway's fetch handler as a client would, and waits for what it left running. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";

/** The ops token's bearer header (ops routes). */
export const ops = { authorization: `Bearer ${env.OPS_TOKEN}` };

/** `overrides` replaces some of the gateway's bindings for this call (a setting turned off, say). */
export async function call(path: string, init?: RequestInit, overrides: Partial<GatewayEnv> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gateway${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/**
 * Uses up a client's budget on a rate limiter, and returns with at least `marginMs` left in the limiter's window.
 * The local limiter's windows are aligned to the wall-clock minute, which a test cannot set: starting within the
 * margin of a minute's end, it first waits for the next window, so the refusals that follow never straddle one.
 */
/** A test that uses up a limit may first wait out a minute's last seconds: it needs that much more than the default. */
export const LIMIT_TEST_MS = 30_000;

export async function exhaustLimit(limiter: RateLimit, key: string, marginMs = 10_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
  for (let i = 0; i < 10_000; i++) if (!(await limiter.limit({ key })).success) return;
  throw new Error(`the limiter never refused ${key}`);
}
