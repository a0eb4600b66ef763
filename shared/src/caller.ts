/**
 * The signed-in caller inside a route guarded by `requireRole`, and the user
 * identity hands the gateway for a session token (the `IdentityApi` RPC answer).
 */
import { type Role, callerOf } from "./auth";
import { ProblemError } from "./errors";

/** What `IdentityApi.authenticate` answers for a valid session token. */
export type AuthenticatedUser = { userId: string; email: string; name: string; role: Role };

/**
 * The caller the gateway vouched for. Routes behind `requireRole` always have
 * one; this narrows the type and still refuses (401) if a route forgot the guard.
 */
export function signedInCaller(headers: Headers): { userId: string; role: Role } {
  const caller = callerOf(headers);
  if (!caller) throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, { "www-authenticate": "Bearer" });
  return caller;
}
