/** POST /sessions (sign in) and DELETE /sessions/current (sign out). */
import { requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { database } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { Hono } from "hono";
import { z } from "zod";
import { upgradeIfNeeded, verifyPassword } from "../passwords";
import { bearerToken, endSession, newSession } from "../sessions";
import { userByEmail, userView } from "../users";

const SignInBody = z.strictObject({
  email: z.email("must be an email address").max(254),
  password: z.string().min(1, "required").max(200),
});

export const sessionsRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: anyone (the gateway counts sign-ins against its stricter submission limit).
  .post("/", limitBody(16 * 1024), requireMediaType("application/json"), validate("json", SignInBody), async (c) => {
    const { email, password } = c.req.valid("json");
    const db = database(c.env.DB);
    const user = await userByEmail(db, email);
    // An unknown email still pays for one hash, and both failures answer alike: nothing tells which it was.
    const ok = await verifyPassword(c.env, password, user?.passwordHash);
    if (!user || !ok) {
      c.get("log").info("sign-in refused");
      throw new ProblemError(401, "invalid-credentials", "The email or password is not right");
    }
    // A hash of an older form (no pepper, another pepper or cost) is made anew while the password is at hand.
    if (await upgradeIfNeeded(c.env, db, user.id, password, user.passwordHash)) c.get("log").info("password hash upgraded", { userId: user.id });
    const session = await newSession(db, user.id);
    await session.insert.run();
    c.get("log").info("signed in", { userId: user.id });
    return c.json({ token: session.token, expiresAt: session.expiresAt, user: userView(user) }, 201);
  })
  // Who may call: any signed-in user, for the session of the token they are using (the gateway forwards it).
  .delete("/current", requireRole("client"), async (c) => {
    const caller = signedInCaller(c.req.raw.headers);
    const token = bearerToken(c.req.raw.headers);
    if (!token) throw new ProblemError(401, "unauthenticated", "No session token to sign out", undefined, { "www-authenticate": "Bearer" });
    await endSession(database(c.env.DB), caller.userId, token);
    return c.body(null, 204);
  });
