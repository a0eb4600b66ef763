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

export type Registered = { user: { id: string; email: string; name: string; role: Role; emailVerified: boolean }; session: { token: string; expiresAt: string } };

let seq = 0;
/**
 * Registers a fresh user (unique email per call) and signs them in, as a client does: registration answers 202 and
 * signs no one in. Returns the sign-in's user and session, the input, and a caller for it.
 */
export async function register(overrides: Partial<{ email: string; name: string; password: string }> = {}) {
  seq++;
  const input = { email: `user${seq}-${crypto.randomUUID().slice(0, 8)}@example.com`, name: `User ${seq}`, password: "correct horse battery", ...overrides };
  const res = await call("/users", { method: "POST", json: input });
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const signedIn = await call("/sessions", { method: "POST", json: { email: input.email, password: input.password } });
  if (signedIn.status !== 201) throw new Error(`sign-in after registering failed: ${signedIn.status} ${await signedIn.text()}`);
  const body = await signedIn.json<{ token: string; expiresAt: string; user: Registered["user"] }>();
  const as: AsCaller = { userId: body.user.id, role: body.user.role, token: body.token };
  return { user: body.user, session: { token: body.token, expiresAt: body.expiresAt }, input, as };
}

export async function outboxRows(type?: string) {
  const sql = type ? "select * from event_outbox where type = ? order by created_at" : "select * from event_outbox order by created_at";
  const stmt = type ? env.DB.prepare(sql).bind(type) : env.DB.prepare(sql);
  return (await stmt.all<{ id: string; type: string; body: string; sent_at: string | null; attempts: number }>()).results;
}

type Mail = { to: string[]; subject: string; body: string; html: string };

/** The emails the local outbox received for an address, newest first (notify sent them over NotifyApi). */
export async function mailsTo(email: string): Promise<Mail[]> {
  const res = await fetch(`${env.OUTBOX_URL}/outbox/messages?${new URLSearchParams({ to: email })}`);
  return (await res.json<{ messages: Mail[] }>()).messages;
}

/** The token of the newest link to a site page (`/verify.html`, `/reset.html`) mailed to an address. */
export async function linkToken(email: string, page: string): Promise<string> {
  for (const mail of await mailsTo(email)) {
    const match = new RegExp(`${page.replace(".", "\\.")}\\?token=([A-Za-z0-9_-]{43})`).exec(mail.body);
    if (match?.[1]) return match[1];
  }
  throw new Error(`no ${page} link was mailed to ${email}`);
}

/** A user's id by email, straight from D1 (registration answers nothing that tells). */
export async function userIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("select id from users where email = ?").bind(email.toLowerCase()).first<{ id: string }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** Sessions of a user put straight into D1 (how they are made is the sessions' business), live by default. */
export async function seedSessions(userId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    await env.DB.prepare("insert into sessions (id, user_id, token_hash, expires_at) values (?, ?, ?, ?)")
      .bind(id, userId, `hash-of-${id}`, new Date(Date.now() + 86_400_000).toISOString())
      .run();
  }
}

/** Which of a user's sessions are revoked, and why, by id. */
export async function sessionStates(userId: string): Promise<Record<string, string | null>> {
  const rows = await env.DB.prepare("select id, revoked_reason from sessions where user_id = ?").bind(userId).all<{ id: string; revoked_reason: string | null }>();
  return Object.fromEntries(rows.results.map((r) => [r.id, r.revoked_reason]));
}
