/** POST /password-resets (ask for a link) and POST /password-resets/confirm (use it: a new password, every session ended). */
import { database, schema } from "@statex/shared/db";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import { outboxInsert } from "@statex/shared/outbox";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { ConfirmResetBody, PasswordResetBody } from "@statex/shared/api/identity";
import { sendAfterResponse } from "../account-mail";
import { TOKEN_LIFETIME_MS, claimToken, dropUnusedTokens, issueAccountToken, lastIssuedAt, usableToken } from "../account-tokens";
import { admitAttempt, forgetGuesses } from "../attempts";
import { relayAfterResponse, userEvent } from "../events";
import { refuseEmailInPassword, withPasswordPolicy } from "../password-policy";
import { hashPassword } from "../passwords";
import { securityEvent } from "../security-events";
import { clientOf, revokeUserSessions } from "../sessions";
import { attachEarlierRequests, normalizeEmail, personByEmail, userById } from "../users";
import { RESEND_AFTER_MS, linkRefused } from "./verify";

const ConfirmBody = withPasswordPolicy(ConfirmResetBody);

/** The one answer to a reset request: whether the address has an account is not the caller's to learn. */
const REQUESTED = { status: "check-your-email", message: "If an account uses this address, we sent it a link to choose a new password. It works for an hour." } as const;

export const passwordResetsRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: anyone (the gateway counts these against its stricter submission limit, and identity counts them
  // per address and per network, ../attempts.ts: each one may mail the address).
  .post("/", limitBody(4 * 1024), requireMediaType("application/json"), validate("json", PasswordResetBody), async (c) => {
    const email = normalizeEmail(c.req.valid("json").email);
    const db = database(c.env.DB);
    const { network } = clientOf(c.req.raw.headers);
    // Before the address is looked up: a refusal is the same whether it has an account or not.
    await admitAttempt(c.env, db, { email, network }, { account: "reset", network: "reset-network" }, new Date());
    const user = await personByEmail(db, email);
    // Both ways read the newest link and write one batch, so the answer's timing does not tell them apart either.
    const last = await lastIssuedAt(db, user?.id ?? "", "reset-password");
    const { insert: recorded } = await securityEvent(db, "password-reset-requested", { email, userId: user?.id, network });
    const tooSoon = last !== null && Date.parse(last) + RESEND_AFTER_MS > Date.now();
    if (!user || tooSoon) {
      await db.batch([recorded]);
      return c.json(REQUESTED, 202);
    }
    const link = await issueAccountToken(db, user.id, "reset-password");
    await db.batch([recorded, ...link.statements]);
    c.get("log").info("password reset link issued", { userId: user.id });
    sendAfterResponse(c, {
      to: user.email,
      userId: user.id,
      name: user.emailVerifiedAt ? user.name : undefined,
      template: "password-reset",
      link: `/reset.html?token=${link.token}`,
      linkValidHours: TOKEN_LIFETIME_MS["reset-password"] / 3_600_000,
      idempotencyKey: `reset-password:${link.tokenHash}`,
    });
    return c.json(REQUESTED, 202);
  })
  // Who may call: anyone holding a reset link (the token is the proof of the address).
  .post("/confirm", limitBody(4 * 1024), requireMediaType("application/json"), validate("json", ConfirmBody), async (c) => {
    const { token: text, password } = c.req.valid("json");
    const db = database(c.env.DB);
    const token = await usableToken(db, text, "reset-password");
    if (!token) throw linkRefused();
    const user = await userById(db, token.userId);
    // Refused before the link is used up, so the person can try another password with the same link.
    refuseEmailInPassword(password, user.email);
    const passwordHash = await hashPassword(c.env, password);
    const { claim, claimed } = claimToken(db, token);
    const { users } = schema;
    const now = token.usedAt;
    const event = userEvent(c, "user.updated", { userId: user.id, fields: ["password"] });
    // The link came to the address, so it also proves the address (and gives the account what was sent with it).
    await db.batch([
      claim,
      db
        .update(users)
        .set({ passwordHash, passwordChangedAt: now, emailVerifiedAt: user.emailVerifiedAt ?? now, updatedAt: now })
        .where(and(eq(users.id, user.id), claimed)),
      attachEarlierRequests(db, user, claimed),
      // Whoever knew the old password is signed out everywhere, the person resetting too: they sign in anew.
      revokeUserSessions(db, user.id, "password-reset", undefined, new Date(now)),
      dropUnusedTokens(db, user.id, "reset-password"),
      (await securityEvent(db, "password-reset", { userId: user.id, network: clientOf(c.req.raw.headers).network })).insert,
      outboxInsert(db, event),
    ]);
    // Guesses at the old password are moot now, and the person who proved the address signs in at once.
    await forgetGuesses(c.env, user.email);
    c.get("log").info("password reset", { userId: user.id });
    relayAfterResponse(c, db, event);
    sendAfterResponse(c, { to: user.email, userId: user.id, name: user.name, template: "password-changed", link: "/reset.html", idempotencyKey: newId("acm") });
    return c.body(null, 204);
  });
