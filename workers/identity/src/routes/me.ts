/** GET, PATCH and DELETE /me and PUT /me/password: the signed-in user's own account. */
import { refuseApiKeys, requireRole } from "@statex/shared/auth";
import { callerSessionId, signedInCaller } from "@statex/shared/caller";
import { database, schema } from "@statex/shared/db";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import { outboxInsert } from "@statex/shared/outbox";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { ChangePasswordBody, DeleteMeBody, UpdateMeBody } from "@statex/shared/api/identity";
import { sendAfterResponse } from "../account-mail";
import { dropUnusedTokens } from "../account-tokens";
import { relayAfterResponse, userEvent } from "../events";
import { refuseEmailInPassword, withPasswordPolicy, wrongPassword } from "../password-policy";
import { hashPassword, verifyPassword } from "../passwords";
import { revokeUserSessions } from "../sessions";
import { userById, userView } from "../users";
import { dashboardRoutes } from "./dashboard";

const PasswordBody = withPasswordPolicy(ChangePasswordBody);

export const meRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Every /me route: any signed-in user, about themselves only (the id comes from the gateway, never the client).
  .use(requireRole("client"))
  // Who may call: any signed-in user (as for every route below), at a session: a key reads no account.
  .get("/", refuseApiKeys(), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    return c.json({ user: userView(await userById(database(c.env.DB), userId)) });
  })
  // Who may call: any signed-in user, renaming themselves.
  .patch("/", refuseApiKeys(), limitBody(16 * 1024), requireMediaType("application/json"), validate("json", UpdateMeBody), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const body = c.req.valid("json");
    const db = database(c.env.DB);
    const user = await userById(db, userId);
    const changes = body.name !== undefined && body.name !== user.name ? { name: body.name } : {};
    const fields = Object.keys(changes);
    // Nothing changed, nothing to tell anyone: no write and no event.
    if (!fields.length) return c.json({ user: userView(user) });
    const event = userEvent(c, "user.updated", { userId, fields });
    await db.batch([
      db.update(schema.users).set({ ...changes, updatedAt: new Date().toISOString() }).where(eq(schema.users.id, userId)),
      outboxInsert(db, event),
    ]);
    relayAfterResponse(c, db, event);
    return c.json({ user: userView(await userById(db, userId)) });
  })
  // Who may call: any signed-in user at a session (never with an API key), changing their own password (the current
  // one first).
  .put("/password", refuseApiKeys(), limitBody(4 * 1024), requireMediaType("application/json"), validate("json", PasswordBody), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const { currentPassword, password } = c.req.valid("json");
    const db = database(c.env.DB);
    const user = await userById(db, userId);
    if (!(await verifyPassword(c.env, currentPassword, user.passwordHash))) throw wrongPassword("currentPassword");
    refuseEmailInPassword(password, user.email);
    const now = new Date();
    const event = userEvent(c, "user.updated", { userId, fields: ["password"] });
    await db.batch([
      db.update(schema.users).set({ passwordHash: await hashPassword(c.env, password), passwordChangedAt: now.toISOString(), updatedAt: now.toISOString() }).where(eq(schema.users.id, userId)),
      // Every other session ends; the caller's goes on. Without a session id from the gateway (every access token has
      // one, so only a call that did not come through the gateway) there is no "this one" to keep, and every session ends.
      revokeUserSessions(db, userId, "password-changed", callerSessionId(c.req.raw.headers) ?? undefined, now),
      dropUnusedTokens(db, userId, "reset-password"),
      outboxInsert(db, event),
    ]);
    c.get("log").info("password changed", { userId });
    relayAfterResponse(c, db, event);
    sendAfterResponse(c, { to: user.email, userId: user.id, name: user.emailVerifiedAt ? user.name : undefined, template: "password-changed", link: "/reset.html", idempotencyKey: newId("acm") });
    return c.body(null, 204);
  })
  // Who may call: any signed-in user at a session (never with an API key), deleting their own account; the password
  // again, so a session left open on a shared computer cannot erase the account and everything sent with it.
  .delete("/", refuseApiKeys(), limitBody(4 * 1024), requireMediaType("application/json"), validate("json", DeleteMeBody), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const db = database(c.env.DB);
    const { email, passwordHash } = await userById(db, userId);
    if (!(await verifyPassword(c.env, c.req.valid("json").password, passwordHash))) throw wrongPassword("password");
    // The email (kept normalised) lets intake find what the person submitted signed out too.
    const event = userEvent(c, "user.deleted", { userId, email });
    // Sessions go with the account in the same transaction, so no token outlives it.
    await db.batch([
      db.delete(schema.sessions).where(eq(schema.sessions.userId, userId)),
      db.delete(schema.users).where(eq(schema.users.id, userId)),
      outboxInsert(db, event),
    ]);
    c.get("log").info("account deleted", { userId });
    relayAfterResponse(c, db, event);
    return c.body(null, 204);
  })
  // Who may call: any signed-in user, for their own requests.
  .route("/requests", dashboardRoutes);
