/** POST /users/verify (open the address's link) and POST /users/verify/resend (a fresh link, signed in). */
import { refuseApiKeys, requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { outboxInsert } from "@statex/shared/outbox";
import { and, eq, isNull } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { LinkTokenBody } from "@statex/shared/api/identity";
import { sendAfterResponse } from "../account-mail";
import { TOKEN_LIFETIME_MS, claimToken, issueAccountToken, lastIssuedAt, usableToken } from "../account-tokens";
import { admitAttempt } from "../attempts";
import { relayAfterResponse, userEvent } from "../events";
import { clientOf } from "../sessions";
import { attachEarlierRequests, userById } from "../users";

/** One answer for a link that is unknown, used, expired or for something else: none tells a guesser more. */
export function linkRefused(): ProblemError {
  return new ProblemError(400, "invalid-link", "This link is not valid: it was used already, has expired, or was replaced by a newer one", [
    { field: "token", message: "not a valid link" },
  ]);
}

/** A minute between two links of the same kind for one account: a click on "send again" is not a way to flood an inbox. */
export const RESEND_AFTER_MS = 60_000;

/** Sends the address its verification link, after the answer (registration and "send again" alike). */
export function sendVerificationLink(c: Context<AppEnv<IdentityEnv>>, to: { email: string; userId: string }, link: { token: string; tokenHash: string }): void {
  const linkValidHours = TOKEN_LIFETIME_MS["verify-email"] / 3_600_000;
  // No name: an unverified account's name is whatever the person who registered typed.
  sendAfterResponse(c, { to: to.email, userId: to.userId, template: "verify-email", link: `/verify.html?token=${link.token}`, linkValidHours, idempotencyKey: `verify-email:${link.tokenHash}` });
}

export const verifyRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: anyone holding a verification link (the token is the proof of the address).
  .post("/", limitBody(4 * 1024), requireMediaType("application/json"), validate("json", LinkTokenBody), async (c) => {
    const db = database(c.env.DB);
    const token = await usableToken(db, c.req.valid("json").token, "verify-email");
    if (!token) throw linkRefused();
    const user = await userById(db, token.userId);
    const { claim, claimed } = claimToken(db, token);
    const { users } = schema;
    const event = userEvent(c, "user.updated", { userId: user.id, fields: ["emailVerified"] });
    // The link is used up, the address marked verified and the requests sent with it become the account's, together.
    await db.batch([
      claim,
      db.update(users).set({ emailVerifiedAt: token.usedAt, updatedAt: token.usedAt }).where(and(eq(users.id, user.id), isNull(users.emailVerifiedAt), claimed)),
      attachEarlierRequests(db, user, claimed),
      outboxInsert(db, event),
    ]);
    c.get("log").info("email verified", { userId: user.id });
    relayAfterResponse(c, db, event);
    return c.json({ emailVerified: true });
  })
  // Who may call: any signed-in user whose address is not verified yet, for their own address; at most one link a
  // minute, and a few an hour per account and per network (../attempts.ts): each one is an email.
  .post("/resend", requireRole("client"), refuseApiKeys(), limitBody(1024), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const db = database(c.env.DB);
    const user = await userById(db, userId);
    if (user.emailVerifiedAt) throw new ProblemError(409, "already-verified", "Your email address is already confirmed");
    const last = await lastIssuedAt(db, userId, "verify-email");
    const wait = last ? Date.parse(last) + RESEND_AFTER_MS - Date.now() : 0;
    if (wait > 0) {
      throw new ProblemError(429, "too-soon", "A link was sent less than a minute ago; check your inbox, or ask again in a minute", undefined, {
        "retry-after": String(Math.ceil(wait / 1000)),
      });
    }
    await admitAttempt(c.env, db, { email: user.email, userId, network: clientOf(c.req.raw.headers).network }, { account: "resend", network: "resend-network" }, new Date());
    const link = await issueAccountToken(db, userId, "verify-email");
    await db.batch([...link.statements]);
    sendVerificationLink(c, { email: user.email, userId: user.id }, link);
    return c.json({ status: "sent" }, 202);
  });
