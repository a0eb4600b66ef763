// Calls into the identity worker as the gateway would: with the caller's identity in headers.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Role } from "@statex/shared/auth";
import worker from "../src/index";

export type AsCaller = { userId: string; role: Role; token?: string };

export async function call(path: string, init: RequestInit & { as?: AsCaller; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.as) {
    headers.set("x-statex-user-id", init.as.userId);
    headers.set("x-statex-user-role", init.as.role);
    if (init.as.token) headers.set("authorization", `Bearer ${init.as.token}`);
  }
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://identity${path}`, { ...init, headers, body }), env, ctx);
  // The outbox relay runs in waitUntil: let it finish so tests see what was sent.
  await waitOnExecutionContext(ctx);
  return res;
}

export type Registered = { user: { id: string; email: string; name: string; role: Role }; session: { token: string; expiresAt: string } };

let seq = 0;
/** Registers a fresh user (unique email per call) and returns the answer plus a caller for it. */
export async function register(overrides: Partial<{ email: string; name: string; password: string }> = {}) {
  seq++;
  const input = { email: `user${seq}-${crypto.randomUUID().slice(0, 8)}@example.com`, name: `User ${seq}`, password: "correct horse battery", ...overrides };
  const res = await call("/users", { method: "POST", json: input });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = await res.json<Registered>();
  const as: AsCaller = { userId: body.user.id, role: body.user.role, token: body.session.token };
  return { ...body, input, as };
}

export async function outboxRows(type?: string) {
  const sql = type ? "select * from event_outbox where type = ? order by created_at" : "select * from event_outbox order by created_at";
  const stmt = type ? env.DB.prepare(sql).bind(type) : env.DB.prepare(sql);
  return (await stmt.all<{ id: string; type: string; body: string; sent_at: string | null; attempts: number }>()).results;
}
