/** Calls the gateway's fetch handler as a client would, and waits for what it left running. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";

/** `overrides` replaces some of the gateway's bindings for this call (a setting turned off, say). */
export async function call(path: string, init?: RequestInit, overrides: Partial<GatewayEnv> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gateway${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The password of the admin `opsHeaders` signs in, which a grant asks for again. */
export const ADMIN_PASSWORD = "correct horse battery";
let admin: Promise<Record<string, string>> | undefined;

/**
 * The headers of an ops call: an admin's access token, since no static token opens ops routes. The admin is made as
 * `npm run create-admin` makes one, an account whose role is set in D1: registered through the gateway (so identity
 * hashes the password its own way), promoted, then signed in. Once per test file: each file has storage of its own,
 * and no file runs for the token's 15 minutes.
 */
export function opsHeaders(): Promise<Record<string, string>> {
  admin ??= (async () => {
    const email = `admin-${crypto.randomUUID()}@example.com`;
    const password = ADMIN_PASSWORD;
    // An address of its own, so these two calls never count against a test's submission limit.
    const init = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "198.18.255.254" }, body: JSON.stringify(body) });
    const registered = await call("/api/users", init({ email, name: "Admin", password }));
    if (registered.status !== 202) throw new Error(`registering the admin answered ${registered.status}`);
    await env.DB.prepare("update users set role = 'admin' where email = ?").bind(email).run();
    const signedIn = await call("/api/sessions", init({ email, password }));
    if (signedIn.status !== 201) throw new Error(`the admin's sign-in answered ${signedIn.status}`);
    return { authorization: `Bearer ${(await signedIn.json<{ accessToken: string }>()).accessToken}` };
  })();
  return admin;
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
