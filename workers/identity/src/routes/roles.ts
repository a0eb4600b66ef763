/**
 * GET /ops/users (find an account by email), PUT /ops/users/:id/role (grant a role) and GET /ops/role-changes (who
 * granted what). Everyone registers as a client; every other role is granted here, by someone who holds more.
 */
import { FindUserQuery, GrantRoleBody, RoleChangesQuery, UserParam } from "@statex/shared/api/identity";
import { type Role, requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import { outboxInsert } from "@statex/shared/outbox";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { Hono } from "hono";
import { sendAfterResponse } from "../account-mail";
import { relayAfterResponse, userEvent } from "../events";
import { wrongPassword } from "../password-policy";
import { verifyPassword } from "../passwords";
import { securityEvent } from "../security-events";
import { revokeUserSessions } from "../sessions";
import { normalizeEmail, userById, userView } from "../users";

/** The roles ops hand out and take back: the site's authors. Anything above is an admin's to grant. */
const AUTHORING: readonly Role[] = ["client", "author"];

/**
 * Whether a granter may move an account from one role to another: an admin any role; ops only between client and
 * author, so ops can neither make ops or admins nor touch an account that holds either.
 */
function mayGrant(granter: Role, from: Role, to: Role): boolean {
  if (granter === "admin") return true;
  return granter === "ops" && AUTHORING.includes(from) && AUTHORING.includes(to);
}

const { users, roleChanges } = schema;

// Each route guards itself rather than through `use`: mounted at /ops, a `use` here would guard every /ops route of
// identity, other files' included. The gateway checks the same role; this holds for a service binding's call too.
export const rolesRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: ops and admins, to find the account they mean to grant a role to.
  .get("/users", requireRole("ops"), validate("query", FindUserQuery), async (c) => {
    const row = await database(c.env.DB).select().from(users).where(eq(users.email, normalizeEmail(c.req.valid("query").email))).get();
    return c.json({ users: row ? [userView(row)] : [] });
  })
  // Who may call: ops (client ↔ author) and admins (any role), never about themselves; with their own password again,
  // so a session left open cannot hand out power.
  .put("/users/:id/role", requireRole("ops"), limitBody(4 * 1024), requireMediaType("application/json"), validate("param", UserParam), validate("json", GrantRoleBody), async (c) => {
    const { userId: actorId } = signedInCaller(c.req.raw.headers);
    const { id } = c.req.valid("param");
    const { role, password } = c.req.valid("json");
    // Without this rule the one admin could demote themselves and leave no one to grant anything.
    if (id === actorId) throw new ProblemError(403, "own-role", "No one changes their own role", [{ field: "id", message: "is you" }]);
    const db = database(c.env.DB);
    const actor = await db.select().from(users).where(eq(users.id, actorId)).get();
    if (!actor) throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, { "www-authenticate": "Bearer" });
    // The password first: without it, a caller learns nothing here, not even whether the account exists.
    if (!(await verifyPassword(c.env, password, actor.passwordHash))) throw wrongPassword("password");
    const target = await userById(db, id);
    // The granter's role as D1 holds it now, not as their access token said it up to 15 minutes ago.
    if (!mayGrant(actor.role, target.role, role)) {
      throw new ProblemError(403, "forbidden", actor.role === "admin" || actor.role === "ops" ? "Ops grant and take back the author role only; admins grant every role" : "This needs the ops role");
    }
    if (target.role === role) return c.json({ user: userView(target) });

    const now = new Date();
    const nowIso = now.toISOString();
    const event = userEvent(c, "user.updated", { userId: id, fields: ["role"] });
    const audit = await securityEvent(db, "role-changed", { userId: id, detail: `${target.role} -> ${role} by ${actorId}` }, now);
    try {
      await db.batch([
        // The role as it was read, or NULL when another grant changed it since: old_role is NOT NULL, so a grant that
        // raced another fails whole, and the record never names an old role the account no longer had.
        db.insert(roleChanges).values({
          id: newId("rch", now.getTime()),
          actorId,
          targetId: id,
          oldRole: sql<Role>`(select ${users.role} from ${users} where ${users.id} = ${id} and ${users.role} = ${target.role})`,
          newRole: role,
          at: nowIso,
        }),
        db.update(users).set({ role, updatedAt: nowIso }).where(eq(users.id, id)),
        // Every session ends: the access tokens already issued keep the old role for their 15 minutes at most, and
        // none refreshes into more (or less) power than the account now has without signing in again.
        revokeUserSessions(db, id, "role-changed", undefined, now),
        audit.insert,
        outboxInsert(db, event),
      ]);
    } catch (err) {
      if (String(err).includes("NOT NULL constraint failed: role_changes.old_role")) {
        throw new ProblemError(409, "conflict", "The account's role changed meanwhile; look again and decide");
      }
      throw err;
    }
    c.get("log").info("role changed", { userId: id, by: actorId, from: target.role, to: role });
    relayAfterResponse(c, db, event);
    sendAfterResponse(c, { to: target.email, userId: target.id, name: target.emailVerifiedAt ? target.name : undefined, template: "role-changed", link: "/account.html", idempotencyKey: newId("acm") });
    return c.json({ user: userView(await userById(db, id)) });
  })
  // Who may call: ops and admins, reading every grant (or one account's), newest first.
  .get("/role-changes", requireRole("ops"), validate("query", RoleChangesQuery), async (c) => {
    const { target, before, limit } = c.req.valid("query");
    const actor = alias(users, "actor");
    const grantee = alias(users, "grantee");
    const rows = await database(c.env.DB)
      .select({
        id: roleChanges.id,
        actorId: roleChanges.actorId,
        // Null once the account is deleted: the record stays, naming no one.
        actorEmail: actor.email,
        targetId: roleChanges.targetId,
        targetEmail: grantee.email,
        oldRole: roleChanges.oldRole,
        newRole: roleChanges.newRole,
        at: roleChanges.at,
      })
      .from(roleChanges)
      .leftJoin(actor, eq(actor.id, roleChanges.actorId))
      .leftJoin(grantee, eq(grantee.id, roleChanges.targetId))
      .where(and(target ? eq(roleChanges.targetId, target) : undefined, before ? lt(roleChanges.id, before) : undefined))
      .orderBy(desc(roleChanges.at), desc(roleChanges.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    return c.json({ changes: page, nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null });
  });
