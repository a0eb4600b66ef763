/**
 * What a client gets when it signs in, registers or refreshes: a new access token, and the session's new refresh
 * token — in the JSON for an API client, in an HttpOnly cookie for the site, where the page's scripts never see it.
 *
 * Which is which: a request with an `Origin` header comes from a browser (browsers send it with every POST and
 * DELETE), and must name one of the site's origins (`CORS_ORIGINS`, the gateway's list); one from anywhere else is
 * refused before anything is read or written. A request without `Origin` is an API client's.
 */
import { ACCESS_TOKEN_ALG, ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ACCESS_TOKEN_TTL_S, ACCESS_TOKEN_TYPE } from "@statex/shared/access-token";
import type { Role } from "@statex/shared/auth";
import { type Database } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import type { AppEnv } from "@statex/shared/http";
import type { Context, MiddlewareHandler } from "hono";
import { generateCookie, getCookie, setCookie } from "hono/cookie";
import { SignJWT } from "jose";
import type { IssuedSession } from "./sessions";
import { signingKey } from "./signing-keys";

/** The browser sends the refresh cookie to the session routes only: sign-in, refresh and sign-out. */
export const REFRESH_COOKIE_PATH = "/api/sessions";

type IdentityContext = Context<AppEnv<IdentityEnv>>;

/** The site's origin the request comes from, or null for an API client; a foreign origin is refused (403). */
export function siteOrigin(c: IdentityContext): string | null {
  const origin = c.req.header("origin");
  if (origin === undefined) return null;
  const allowed = c.env.CORS_ORIGINS.split(",").map((o) => o.trim());
  if (!allowed.includes(origin)) throw new ProblemError(403, "origin-not-allowed", "Requests from this origin may not sign in", [{ field: "origin", message: "not one of the site's origins" }]);
  return origin;
}

/** Refuses a request from a foreign origin before its body is read. */
export function fromSiteOrClient(): MiddlewareHandler<AppEnv<IdentityEnv>> {
  return async function fromSiteOrClient(c, next) {
    siteOrigin(c);
    await next();
  };
}

/**
 * Over HTTPS the cookie is `Secure` and carries the `__Secure-` prefix, which browsers refuse to accept from a
 * page that is not secure; a development origin over plain HTTP gets neither, or the browser would drop it.
 */
function cookieFor(origin: string): { name: string; secure: boolean } {
  const secure = new URL(origin).protocol === "https:";
  return { name: secure ? "__Secure-statex-refresh" : "statex-refresh", secure };
}

/** The refresh token in the site's cookie, read only for a request from one of the site's origins. */
export function refreshCookie(c: IdentityContext, origin: string): string | undefined {
  return getCookie(c, cookieFor(origin).name);
}

/**
 * The header that tells a browser to forget the refresh cookie (signing out, a refresh refused), as a record so a
 * problem can carry it too; none for an API client.
 */
export function forgetRefreshCookie(origin: string | null): Record<string, string> {
  if (!origin) return {};
  const { name, secure } = cookieFor(origin);
  return { "set-cookie": generateCookie(name, "", { path: REFRESH_COOKIE_PATH, secure, httpOnly: true, sameSite: "Strict", maxAge: 0 }) };
}

/** A signed access token for a user in a session: 15 minutes, ES256, with the key's `kid`. */
export async function accessToken(db: Database, secret: string, claims: { sub: string; role: Role; sid: string }, now = new Date()): Promise<string> {
  const { kid, key } = await signingKey(db, secret, now);
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: claims.role, sid: claims.sid })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_S)
    .sign(key);
}

/**
 * The answer to a sign-in, registration or refresh: `{ accessToken, refreshToken, expiresIn, user }` for an API
 * client; for the site the same without `refreshToken`, which goes in the cookie instead (until the session's idle
 * end, renewed at each refresh). Never cached: it carries credentials.
 */
export async function signedIn<U extends { id: string; role: Role }>(
  c: IdentityContext,
  db: Database,
  user: U,
  session: IssuedSession,
  status: 200 | 201,
  headers: Record<string, string> = {},
): Promise<Response> {
  const origin = siteOrigin(c);
  const token = await accessToken(db, c.env.SIGNING_KEY_SECRET, { sub: user.id, role: user.role, sid: session.id });
  const answer = { accessToken: token, expiresIn: ACCESS_TOKEN_TTL_S, user };
  c.header("cache-control", "no-store");
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  if (!origin) return c.json({ ...answer, refreshToken: session.refreshToken }, status);
  const { name, secure } = cookieFor(origin);
  const maxAge = Math.max(0, Math.round((Date.parse(session.idleExpiresAt) - Date.now()) / 1000));
  setCookie(c, name, session.refreshToken, { path: REFRESH_COOKIE_PATH, httpOnly: true, sameSite: "Strict", secure, maxAge });
  return c.json(answer, status);
}
