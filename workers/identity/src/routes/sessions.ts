/** POST /sessions (sign in), POST /sessions/refresh and DELETE /sessions/current (sign out). */
import { refuseApiKeys, requireRole } from "@statex/shared/auth";
import { callerSessionId, signedInCaller } from "@statex/shared/caller";
import { database } from "@statex/shared/db";
import { ProblemError, validationProblem } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { type Context, Hono } from "hono";
import { RefreshBody, SignInBody } from "@statex/shared/api/identity";
import { sendAfterResponse } from "../account-mail";
import { type AttemptOf, admitAttempt, settleAttempt } from "../attempts";
import { forgetRefreshCookie, fromSiteOrClient, refreshCookie, signedIn, siteOrigin } from "../answer";
import { upgradeIfNeeded, verifyPassword } from "../passwords";
import { securityEvent } from "../security-events";
import { clientOf, holdsLiveSession, newSession, refreshSession, revokeSession } from "../sessions";
import { normalizeEmail, personByEmail, userByEmail, userById, userView } from "../users";

/**
 * Records a failed sign-in (and the lock it began, if it did) for ops; a lock's owner is told by email, once per lock,
 * with its end. An address without an account is locked all the same (the answer must not tell), but mails no one.
 */
async function signInFailed(c: Context<AppEnv<IdentityEnv>>, about: AttemptOf, user: Awaited<ReturnType<typeof userByEmail>>, lockedUntil: Date | null, now: Date) {
  const db = database(c.env.DB);
  const failed = await securityEvent(db, "sign-in-failed", about, now);
  if (!lockedUntil) {
    c.get("log").info("sign-in refused");
    await failed.insert.run();
    return;
  }
  const locked = await securityEvent(db, "sign-in-locked", { ...about, detail: `until ${lockedUntil.toISOString()}` }, now);
  await db.batch([failed.insert, locked.insert]);
  c.get("log").warn("password sign-in locked after too many wrong passwords", { userId: user?.id, until: lockedUntil.toISOString() });
  if (!user) return;
  sendAfterResponse(c, {
    to: user.email,
    userId: user.id,
    name: user.emailVerifiedAt ? user.name : undefined,
    template: "account-locked",
    link: "/reset.html",
    until: lockedUntil.toISOString(),
    idempotencyKey: `account-locked:${user.id}:${lockedUntil.getTime()}`,
  });
}

/** One answer for every refused refresh (unknown, spent, ended): nothing tells a thief which it was. */
const refused = (headers: Record<string, string>) => new ProblemError(401, "session-ended", "The session has ended; sign in again", undefined, headers);

export const sessionsRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: anyone (the gateway counts sign-ins against its stricter submission limit).
  // Guesses are counted per account and per network before the password is checked (../attempts.ts): too many
  // answer 429 with Retry-After, unchecked.
  .post("/", limitBody(16 * 1024), requireMediaType("application/json"), fromSiteOrClient(), validate("json", SignInBody), async (c) => {
    const { email, password, refreshToken } = c.req.valid("json");
    const db = database(c.env.DB);
    const now = new Date();
    const user = await personByEmail(db, email);
    const about: AttemptOf = { email: normalizeEmail(email), userId: user?.id, network: clientOf(c.req.raw.headers).network };
    // A client holding a live session of this very account is its owner (or has its session anyway): an attacker's
    // lock and delays do not keep it out, and its own guesses are counted apart.
    const origin = siteOrigin(c);
    const held = refreshToken ?? (origin ? refreshCookie(c, origin) : undefined);
    const inSession = user !== undefined && held !== undefined && (await holdsLiveSession(db, held, user.id, now));
    const attempt = await admitAttempt(c.env, db, about, { account: inSession ? "sign-in-session" : "sign-in", network: "sign-in-network" }, now);
    // An unknown email still pays for one hash, and both failures answer alike: nothing tells which it was.
    const ok = await verifyPassword(c.env, password, user?.passwordHash);
    if (!user || !ok) {
      await signInFailed(c, about, user, await settleAttempt(c.env, attempt, false, now), now);
      throw new ProblemError(401, "invalid-credentials", "The email or password is not right");
    }
    await settleAttempt(c.env, attempt, true, now);
    // A hash of an older form (no pepper, another pepper or cost) is made anew while the password is at hand.
    if (await upgradeIfNeeded(c.env, db, user.id, password, user.passwordHash)) c.get("log").info("password hash upgraded", { userId: user.id });
    const { session, insert } = await newSession(db, user.id, clientOf(c.req.raw.headers));
    await insert.run();
    c.get("log").info("signed in", { userId: user.id, sessionId: session.id });
    return signedIn(c, db, userView(user), session, 201);
  })
  // Who may call: anyone holding a live refresh token (in the body, or the site's cookie from one of its origins).
  .post("/refresh", limitBody(4 * 1024), requireMediaType("application/json"), fromSiteOrClient(), validate("json", RefreshBody), async (c) => {
    const origin = siteOrigin(c);
    // The cookie is read only for a request from the site's own origins (SameSite=Strict already keeps other sites'
    // requests from carrying it; this also shuts out a sibling site on the same registrable domain).
    const token = c.req.valid("json").refreshToken ?? (origin ? refreshCookie(c, origin) : undefined);
    if (!token) {
      if (origin) throw refused({});
      throw validationProblem([{ code: "custom", path: ["refreshToken"], message: "required", input: undefined }]);
    }
    const db = database(c.env.DB);
    const result = await refreshSession(db, token, clientOf(c.req.raw.headers));
    if (result.outcome === "reused") c.get("log").warn("a spent refresh token came back: its session is revoked", { userId: result.userId, sessionId: result.sessionId });
    if (result.outcome !== "refreshed") throw refused(forgetRefreshCookie(origin));
    return signedIn(c, db, userView(await userById(db, result.userId)), result.session, 200);
  })
  // Who may call: any signed-in user, for the session of the access token they are using (its `sid`).
  .delete("/current", requireRole("client"), refuseApiKeys(), fromSiteOrClient(), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const sessionId = callerSessionId(c.req.raw.headers);
    // Every access token names its session; only a call that did not come through the gateway may lack one.
    if (sessionId) await revokeSession(database(c.env.DB), userId, sessionId, "signed-out").run();
    for (const [name, value] of Object.entries(forgetRefreshCookie(siteOrigin(c)))) c.header(name, value);
    return c.body(null, 204);
  });
