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

export type Role = "client" | "author" | "ops";
export type Caller = { userId: string; role: Role } | null;

const roles: readonly Role[] = ["client", "author", "ops"];

/** The caller the gateway vouched for, or null for an anonymous request. */
export function callerOf(headers: Headers): Caller {
  const userId = headers.get(USER_ID_HEADER);
  const role = headers.get(USER_ROLE_HEADER);
  if (!userId || !role || !roles.includes(role as Role)) return null;
  return { userId, role: role as Role };
}

/** 401 without a caller, 403 for a caller without one of the roles. */
export function requireRole(...allowed: Role[]): MiddlewareHandler {
  return async function requireRole(c, next) {
    const caller = callerOf(c.req.raw.headers);
    if (!caller) throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, { "www-authenticate": "Bearer" });
    if (!allowed.includes(caller.role)) throw new ProblemError(403, "forbidden", `This needs the ${allowed.join(" or ")} role`);
    await next();
  };
}
