// Calls into the identity worker as the gateway would: with the caller's identity in headers.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { AccessClaims } from "@statex/shared/access-token";
import { type Role, USER_ID_HEADER, USER_ROLE_HEADER, USER_SESSION_HEADER } from "@statex/shared/auth";
import { decodeJwt } from "jose";
import worker from "../src/index";

/** Who the gateway says is calling: a user, and the session of their access token. */
export type AsCaller = { userId: string; role: Role; sessionId?: string };

type CallInit = RequestInit & { as?: AsCaller; json?: unknown; env?: Partial<IdentityEnv> };

/** `init.env` replaces some of identity's bindings for this call (another list of site origins, say). */
export async function call(path: string, init: CallInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.as) {
    headers.set(USER_ID_HEADER, init.as.userId);
    headers.set(USER_ROLE_HEADER, init.as.role);
    if (init.as.sessionId) headers.set(USER_SESSION_HEADER, init.as.sessionId);
  }
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://identity${path}`, { ...init, headers, body }), { ...env, ...init.env }, ctx);
  // The outbox relay runs in waitUntil: let it finish so tests see what was sent.
  await waitOnExecutionContext(ctx);
  return res;
}

export type User = { id: string; email: string; name: string; role: Role; emailVerified: boolean };
/** What signing in and refreshing answer an API client. */
export type SignedIn = { accessToken: string; refreshToken: string; expiresIn: number; user: User };

/** The gateway's view of an access token's caller (identity's tests trust the signature; the gateway's check it). */
export function callerOf(accessToken: string): AsCaller {
  const claims = AccessClaims.parse(decodeJwt(accessToken));
  return { userId: claims.sub, role: claims.role, sessionId: claims.sid };
}

/** Signs in as an API client (a new session each time), with any headers a client sends (user agent, address). */
export async function signIn(input: { email: string; password: string }, headers: HeadersInit = {}) {
  const res = await call("/sessions", { method: "POST", json: { email: input.email, password: input.password }, headers });
  if (res.status !== 201) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const body = await res.json<SignedIn>();
  return { ...body, as: callerOf(body.accessToken) };
}

let seq = 0;
/**
 * Registers a fresh user (unique email per call) and signs them in, as a client does: registration answers 202 and
 * signs no one in. Returns the sign-in's answer, the input, and a caller for it; `headers` go with the sign-in.
 */
export async function register(overrides: Partial<{ email: string; name: string; password: string }> = {}, headers: HeadersInit = {}) {
  seq++;
  const input = { email: `user${seq}-${crypto.randomUUID().slice(0, 8)}@example.com`, name: `User ${seq}`, password: "correct horse battery", ...overrides };
  const res = await call("/users", { method: "POST", json: input });
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return { ...(await signIn(input, headers)), input };
}

/**
 * A fresh account given `role` straight in D1, as `npm run create-admin` makes the first admin (roles are otherwise
 * granted by someone who holds more), and signed in afresh so its access token carries the role.
 */
export async function registerAs(role: Role) {
  const { input, user } = await register();
  await env.DB.prepare("update users set role = ? where id = ?").bind(role, user.id).run();
  return { ...(await signIn(input)), input };
}

/** POST /sessions/refresh as an API client. */
export function refresh(refreshToken: string, headers: HeadersInit = {}): Promise<Response> {
  return call("/sessions/refresh", { method: "POST", json: { refreshToken }, headers });
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
