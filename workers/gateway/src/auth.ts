/**
 * Establishes who is calling: an access token (a JWT identity signed) verified here with the keys held in memory, or
 * an API key (`sx_live_…`, `sx_test_…`) checked by identity over RPC. Nothing else: no static bearer token opens any
 * route, in any environment, so every caller is an account whose role was granted and recorded (ops and admins
 * included; the first admin comes from `npm run create-admin`), or a key such an account made.
 */
import {
  ACCESS_TOKEN_ALG,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TTL_S,
  ACCESS_TOKEN_TYPE,
  AccessClaims,
} from "@statex/shared/access-token";
import { type ApiScope, type Role, hasRole } from "@statex/shared/auth";
import { ProblemError } from "@statex/shared/errors";
import { errors, jwtVerify } from "jose";
import { KeysUnavailable, VerificationKeys } from "./keys";
import type { Route } from "./routes";

/** A person at a session (an access token), or a system with an API key acting as the key's owner. */
export type Caller = { userId: string; role: Role; sessionId: string; keyId?: undefined } | { userId: string; role: Role; keyId: string; scopes: ApiScope[]; sessionId?: undefined } | null;

/** An API key is told from an access token by its prefix alone (a JWT begins `eyJ`), before anything is asked. */
const API_KEY_START = /^sx_(live|test)_/;

function bearer(headers: Headers): string | null {
  const value = headers.get("authorization");
  const m = value ? /^Bearer\s+([A-Za-z0-9._~+/=-]{16,4096})$/i.exec(value) : null;
  return m?.[1] ?? null;
}

/**
 * This isolate's keys. They are fetched through the env of the request that needs them: a binding is the same in
 * every request, so the latest env is as good as any.
 */
let latestEnv: GatewayEnv | undefined;
const keySet = new VerificationKeys(async () => {
  if (!latestEnv) throw new Error("no request has brought the IDENTITY_API binding yet");
  return latestEnv.IDENTITY_API.jwks();
});

/** A key the token's header names that this gateway does not hold (or no longer honours). */
class UnknownKey extends Error {}

/**
 * The caller an access token names, or null when it is not one this platform issued and still honours: a bad
 * signature, an algorithm other than ES256 (`none` and HMAC included: jose refuses them before any key is looked
 * up), an unknown or retired kid, another issuer, audience or type, or an expired token. `now` is a parameter so
 * tests can judge a token at another time.
 */
export async function verifyAccessToken(env: GatewayEnv, token: string, now = new Date()): Promise<Caller> {
  latestEnv = env;
  return verifyWithKeys(keySet, token, now);
}

/**
 * The check itself, against a set of keys: this isolate's (above), or the benchmark's (bench/auth), which times this
 * very check against the session lookup over RPC it replaced, rather than a copy of it that could drift.
 */
export async function verifyWithKeys(keys: VerificationKeys, token: string, now = new Date()): Promise<Caller> {
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        if (typeof header.kid !== "string") throw new UnknownKey();
        const key = await keys.key(header.kid, now.getTime());
        if (!key) throw new UnknownKey();
        return key;
      },
      {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        currentDate: now,
        // A token claiming a longer life than identity ever gives is refused by its age, whatever its exp says.
        maxTokenAge: ACCESS_TOKEN_TTL_S,
        requiredClaims: ["exp"],
      },
    );
    const claims = AccessClaims.safeParse(payload);
    return claims.success ? { userId: claims.data.sub, role: claims.data.role, sessionId: claims.data.sid } : null;
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof UnknownKey) return null;
    if (err instanceof KeysUnavailable) throw new ProblemError(503, "unavailable", "Sign-in cannot be checked right now; try again shortly", undefined, { "retry-after": "10" });
    throw err;
  }
}

/** Whether the request presents an API key rather than an access token (or nothing). */
export function presentsApiKey(headers: Headers): boolean {
  return API_KEY_START.test(bearer(headers) ?? "");
}

/** Who checks a key: identity's RPC entrypoint (`IDENTITY_API`), or the benchmark's worker running the same check. */
export type KeyChecker = { apiKey(key: string): Promise<{ userId: string; keyId: string; scopes: ApiScope[] } | null> };

/**
 * The caller of an API key, or null when identity does not know it as a live key. A key acts as its owner with a
 * client's reach, whatever the owner's role: an ops person's key reads no one else's request, and opens no author or
 * ops route (their rows name no scope either).
 */
export async function verifyApiKey(identity: KeyChecker, key: string): Promise<Caller> {
  const found = await identity.apiKey(key);
  return found ? { userId: found.userId, role: "client", keyId: found.keyId, scopes: found.scopes } : null;
}

/** The authenticated caller, or null. A token that is present but not valid is remembered as `rejected`. */
export async function authenticate(env: GatewayEnv, headers: Headers): Promise<{ caller: Caller; rejected: boolean }> {
  const token = bearer(headers);
  if (!token) return { caller: null, rejected: false };
  const caller = API_KEY_START.test(token) ? await verifyApiKey(env.IDENTITY_API, token) : await verifyAccessToken(env, token);
  return { caller, rejected: !caller };
}

/**
 * Throws 401/403/404 unless the caller may use the route: its access level, and for an API key one of the row's
 * scopes (a row without scopes is for people at a session, or for anyone without a key).
 */
export function authorize(route: Pick<Route, "access" | "scopes">, caller: Caller, rejected: boolean, env: GatewayEnv): void {
  const { access } = route;
  if (access === "dev") {
    // Off in production: the route does not exist there.
    if (env.DEV_TOOLS !== "on") throw new ProblemError(404, "not-found", "No such route");
    return;
  }
  // A bearer token that is not (or no longer) valid is refused on every route, public ones too (RFC 6750): a client
  // that believes it is signed in must learn it is not, rather than act anonymously without knowing. An expired
  // access token is one of these: the client refreshes it and tries again. So is an unknown, revoked or expired API key.
  if (rejected) {
    throw new ProblemError(401, "invalid-token", "The access token or API key is not valid, or has expired or been revoked", undefined, {
      "www-authenticate": 'Bearer error="invalid_token"',
    });
  }
  if (caller?.keyId !== undefined && !caller.scopes.some((scope) => route.scopes?.includes(scope))) {
    const scopes = route.scopes ?? [];
    const detail = scopes.length ? `This route needs an API key with one of the scopes ${scopes.join(", ")}` : "No API key may call this route; sign in";
    // RFC 6750: the scope parameter names what would have been enough.
    throw new ProblemError(403, "insufficient-scope", detail, undefined, { "www-authenticate": `Bearer error="insufficient_scope"${scopes.length ? `, scope="${scopes.join(" ")}"` : ""}` });
  }
  if (access === "public" || access === "token") return;
  if (!caller) {
    throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, {
      "www-authenticate": "Bearer",
    });
  }
  if ((access === "author" || access === "ops") && !hasRole(caller.role, access)) throw new ProblemError(403, "forbidden", `This needs the ${access} role`);
}
