/** POST /users (register) and /users/verify (the address's link). Roles are granted in ./roles.ts. */
import { database, schema } from "@statex/shared/db";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import { outboxInsert } from "@statex/shared/outbox";
import { Hono } from "hono";
import { RegisterBody } from "@statex/shared/api/identity";
import { sendAfterResponse } from "../account-mail";
import { issueAccountToken } from "../account-tokens";
import { admitAttempt } from "../attempts";
import { relayAfterResponse, userEvent } from "../events";
import { withPasswordPolicy } from "../password-policy";
import { hashPassword } from "../passwords";
import { securityEvent } from "../security-events";
import { clientOf } from "../sessions";
import { normalizeEmail, userByEmail } from "../users";
import { sendVerificationLink, verifyRoutes } from "./verify";

/** Registration: the password is judged on its own (length, common) and against the address it would belong to. */
const Registration = withPasswordPolicy(RegisterBody);

/**
 * The one answer to a registration, whether the address was new or had an account: nothing in it, or in its timing
 * (both ways hash the password and write one D1 batch; the email goes after the answer), tells which.
 */
const REGISTERED = {
  status: "check-your-email",
  message: "We sent an email to this address. Sign in with your email and password, and confirm your address with the link in the email.",
} as const;

export const usersRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: anyone (the gateway counts registrations against its stricter submission limit, and identity
  // counts them per address and per network, ../attempts.ts: each one mails the address).
  .post("/", limitBody(16 * 1024), requireMediaType("application/json"), validate("json", Registration), async (c) => {
    const body = c.req.valid("json");
    const db = database(c.env.DB);
    const email = normalizeEmail(body.email);
    const { network } = clientOf(c.req.raw.headers);
    // Before the address is looked up: a refusal is the same whether it has an account or not.
    await admitAttempt(c.env, db, { email, network }, { account: "register", network: "register-network" }, new Date());
    const existing = await userByEmail(db, email);
    const passwordHash = await hashPassword(c.env, body.password);
    if (existing) {
      // The owner hears of it (by the account's name only if verified: the name is whoever registered's choice).
      await db.batch([(await securityEvent(db, "register-attempt", { email, userId: existing.id, network })).insert]);
      c.get("log").info("registration of a taken address", { userId: existing.id });
      sendAfterResponse(c, { to: existing.email, userId: existing.id, name: existing.emailVerifiedAt ? existing.name : undefined, template: "register-attempt", idempotencyKey: newId("acm") });
      return c.json(REGISTERED, 202);
    }
    const id = newId("usr");
    const link = await issueAccountToken(db, id, "verify-email");
    const event = userEvent(c, "user.registered", { userId: id, email, name: body.name });
    try {
      // User, verification link and event in one transaction: none exists without the others.
      await db.batch([db.insert(schema.users).values({ id, email, name: body.name, passwordHash }), ...link.statements, outboxInsert(db, event)]);
    } catch (err) {
      // Two registrations racing for one address: the unique index decides, and the loser answers as the winner did.
      if (String(err).includes("UNIQUE constraint failed: users.email")) return c.json(REGISTERED, 202);
      throw err;
    }
    c.get("log").info("user registered", { userId: id });
    relayAfterResponse(c, db, event);
    sendVerificationLink(c, { email, userId: id }, link);
    return c.json(REGISTERED, 202);
  })
  .route("/verify", verifyRoutes);
