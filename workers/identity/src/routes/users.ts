/** POST /users (register) and PUT /users/:id/role (ops grants roles). */
import { requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import { outboxInsert } from "@statex/shared/outbox";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { relayAfterResponse, userEvent } from "../events";
import { hashPassword } from "../passwords";
import { newSession } from "../sessions";
import { normalizeEmail, userByEmail, userById, userView } from "../users";

/** Registration. The password's upper bound keeps one request from buying a lot of PBKDF2 time. */
export const RegisterBody = z.strictObject({
  email: z.email("must be an email address").max(254),
  name: z.string().trim().min(1, "required").max(200),
  password: z.string().min(10, "at least 10 characters").max(200, "at most 200 characters"),
});

const RoleBody = z.strictObject({ role: z.enum(["client", "author", "ops"]) });
const IdParam = z.object({ id: z.string().regex(/^usr_[0-9A-Z]{26}$/, "must be a user id") });

function emailTaken(): ProblemError {
  return new ProblemError(409, "email-taken", "An account with this email already exists", [
    { field: "email", message: "already registered" },
  ]);
}

export const usersRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: anyone (the gateway counts registrations against its stricter submission limit).
  .post("/", limitBody(16 * 1024), requireMediaType("application/json"), validate("json", RegisterBody), async (c) => {
    const body = c.req.valid("json");
    const db = database(c.env.DB);
    const email = normalizeEmail(body.email);
    if (await userByEmail(db, email)) throw emailTaken();
    const id = newId("usr");
    const session = await newSession(db, id);
    const event = userEvent(c, "user.registered", { userId: id, email, name: body.name });
    try {
      // User, first session and event in one transaction: none exists without the others.
      await db.batch([
        db.insert(schema.users).values({ id, email, name: body.name, passwordHash: await hashPassword(body.password) }),
        session.insert,
        outboxInsert(db, event),
      ]);
    } catch (err) {
      // Two registrations racing for one email: the unique index decides, the loser hears 409.
      if (String(err).includes("UNIQUE constraint failed: users.email")) throw emailTaken();
      throw err;
    }
    c.get("log").info("user registered", { userId: id });
    relayAfterResponse(c, db, event);
    const user = userView(await userById(db, id));
    return c.json({ user, session: { token: session.token, expiresAt: session.expiresAt } }, 201, { location: "/me" });
  })
  // Who may call: ops only (authors and ops are made here; everyone registers as a client).
  .put("/:id/role", requireRole("ops"), requireMediaType("application/json"), validate("param", IdParam), validate("json", RoleBody), async (c) => {
    const { id } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const db = database(c.env.DB);
    const user = await userById(db, id);
    if (user.role === role) return c.json({ user: userView(user) });
    const event = userEvent(c, "user.updated", { userId: id, fields: ["role"] });
    await db.batch([
      db.update(schema.users).set({ role, updatedAt: new Date().toISOString() }).where(eq(schema.users.id, id)),
      outboxInsert(db, event),
    ]);
    c.get("log").info("role changed", { userId: id, from: user.role, to: role });
    relayAfterResponse(c, db, event);
    return c.json({ user: userView(await userById(db, id)) });
  });
