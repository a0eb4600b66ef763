/**
 * Who is calling, as the gateway established it.
 *
 * Internal workers have no public route (workers_dev = false, no routes): only
 * the gateway reaches them, over service bindings. The gateway authenticates
 * the caller, strips any client-sent identity headers, and forwards the result
 * in these headers, so internal workers can trust them.
 */
import type { MiddlewareHandler } from "hono";
import { ProblemError } from "./errors";

export const USER_ID_HEADER = "x-statex-user-id";
export const USER_ROLE_HEADER = "x-statex-user-role";
/** The session of the caller's access token (its `sid`): what signing out ends, and which session is "this one". */
export const USER_SESSION_HEADER = "x-statex-user-session";

/**
 * The API key a call came with (its id, never the key), beside the key owner's user headers: the owner's services
 * treat the call as the owner's, and may refuse what only a person at a session should do.
 */
export const API_KEY_ID_HEADER = "x-statex-api-key-id";
/** The scopes of that key, space-separated as OAuth writes them, so the owner checks them too (`requireScope`). */
export const API_KEY_SCOPES_HEADER = "x-statex-api-key-scopes";

/**
 * An API key as issued: `sx_live_` in production, `sx_test_` elsewhere, then 40 base62 characters (238 bits) from
 * crypto random. The fixed prefix lets a secret scanner find a leaked key; it is the pattern the README documents.
 */
export const API_KEY_PATTERN = /^sx_(live|test)_[A-Za-z0-9]{40}$/;

/**
 * The roles, least to most: clients submit requests, authors also write the site, ops also run the platform,
 * admins also grant roles. Each role may do what the roles below it may.
 */
export const ROLES = ["client", "author", "ops", "admin"] as const;
export type Role = (typeof ROLES)[number];
export type Caller = { userId: string; role: Role } | null;

/**
 * What an API key may do, each naming a family of routes in the gateway's table: `requests:write` submits, uploads
 * and cancels; `requests:read` reads the owner's requests, results and notifications; `webhooks:write` manages the
 * owner's webhooks. A key never reaches a route without a scope (sessions, account settings, author and ops routes).
 */
export const API_SCOPES = ["requests:write", "requests:read", "webhooks:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Accounts a person signs in to, and service accounts ops create for systems, which only ever call with API keys. */
export const ACCOUNT_KINDS = ["person", "service"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Whether a role may do what `needed` may: the same role or one above it. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The caller the gateway vouched for, or null for an anonymous request. */
export function callerOf(headers: Headers): Caller {
  const userId = headers.get(USER_ID_HEADER);
  const role = headers.get(USER_ROLE_HEADER);
  if (!userId || !role || !isRole(role)) return null;
  return { userId, role };
}

/** 401 without a caller, 403 for a caller below the role `needed`. */
export function requireRole(needed: Role): MiddlewareHandler {
  return async function requireRole(c, next) {
    const caller = callerOf(c.req.raw.headers);
    if (!caller) throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, { "www-authenticate": "Bearer" });
    if (!hasRole(caller.role, needed)) throw new ProblemError(403, "forbidden", `This needs the ${needed} role`);
    await next();
  };
}

/** The scopes of the API key the gateway vouched for, or null for a call without a key. */
export function keyScopesOf(headers: Headers): ApiScope[] | null {
  if (!headers.has(API_KEY_ID_HEADER)) return null;
  const named = (headers.get(API_KEY_SCOPES_HEADER) ?? "").split(" ");
  return API_SCOPES.filter((scope) => named.includes(scope));
}

/**
 * 403 for a call made with an API key that holds none of `scopes`; a call without a key passes (a person at a session,
 * or a status-token holder). The gateway checks the same scopes by its table's row first; this is the owner's own
 * check, so a route's scopes hold even for a call that reached the worker another way.
 */
export function requireScope(...scopes: ApiScope[]): MiddlewareHandler {
  return async function requireScope(c, next) {
    const held = keyScopesOf(c.req.raw.headers);
    if (held && !held.some((scope) => scopes.includes(scope))) {
      const detail = scopes.length ? `This needs an API key with one of the scopes ${scopes.join(", ")}` : "An API key cannot do this; sign in";
      const challenge = `Bearer error="insufficient_scope"${scopes.length ? `, scope="${scopes.join(" ")}"` : ""}`;
      throw new ProblemError(403, "insufficient-scope", detail, undefined, { "www-authenticate": challenge });
    }
    await next();
  };
}

/**
 * 403 for a call made with an API key: for what only the account's person may do (managing keys, the password,
 * preferences), whatever scopes the key holds. The gateway refuses these first (their rows name no scope).
 */
export const refuseApiKeys = (): MiddlewareHandler => requireScope();
