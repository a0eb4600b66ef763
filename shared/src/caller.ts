/** The signed-in caller inside a route guarded by `requireRole`, and the session their access token belongs to. */
import { type Role, USER_SESSION_HEADER, callerOf } from "./auth";
import { ProblemError } from "./errors";

/**
 * The caller the gateway vouched for. Routes behind `requireRole` always have
 * one; this narrows the type and still refuses (401) if a route forgot the guard.
 */
export function signedInCaller(headers: Headers): { userId: string; role: Role } {
  const caller = callerOf(headers);
  if (!caller) throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, { "www-authenticate": "Bearer" });
  return caller;
}

/** The session of the caller's access token as the gateway vouched for it, or null for a call from elsewhere (a service binding). */
export function callerSessionId(headers: Headers): string | null {
  return headers.get(USER_SESSION_HEADER);
}
