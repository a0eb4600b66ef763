/**
 * Establishes who is calling: a session token checked by identity over RPC,
 * or the ops token (a secret) that guards ops routes before ops accounts exist.
 */
import { ProblemError } from "@statex/shared/errors";
import { sameText } from "@statex/shared/tokens";
import { type Role, hasRole } from "@statex/shared/auth";
import type { Access } from "./routes";

export type Caller = { userId: string; role: Role } | null;

function bearer(headers: Headers): string | null {
  const value = headers.get("authorization");
  const m = value ? /^Bearer\s+([A-Za-z0-9._~+/=-]{16,512})$/i.exec(value) : null;
  return m?.[1] ?? null;
}

/** The authenticated caller, or null. A token that is present but not valid is remembered as `rejected`. */
export async function authenticate(env: GatewayEnv, headers: Headers): Promise<{ caller: Caller; rejected: boolean }> {
  const token = bearer(headers);
  if (!token) return { caller: null, rejected: false };
  if (env.OPS_TOKEN && sameText(token, env.OPS_TOKEN)) return { caller: { userId: "ops-token", role: "ops" }, rejected: false };
  const user = await env.IDENTITY_API.authenticate(token);
  return user ? { caller: { userId: user.userId, role: user.role }, rejected: false } : { caller: null, rejected: true };
}

/** Throws 401/403/404 unless the caller may use a route of this access level. */
export function authorize(access: Access, caller: Caller, rejected: boolean, env: GatewayEnv): void {
  if (access === "dev") {
    // Off in production: the route does not exist there.
    if (env.DEV_TOOLS !== "on") throw new ProblemError(404, "not-found", "No such route");
    return;
  }
  // A bearer token that is not (or no longer) valid is refused on every route, public ones too (RFC 6750): a client
  // that believes it is signed in must learn it is not, rather than act anonymously without knowing.
  if (rejected) {
    throw new ProblemError(401, "unauthenticated", "The session has expired or is not valid", undefined, {
      "www-authenticate": 'Bearer error="invalid_token"',
    });
  }
  if (access === "public" || access === "token") return;
  if (!caller) {
    throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, {
      "www-authenticate": "Bearer",
    });
  }
  if ((access === "author" || access === "ops") && !hasRole(caller.role, access)) throw new ProblemError(403, "forbidden", `This needs the ${access} role`);
}
