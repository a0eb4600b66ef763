// Granting roles: who may grant what, the granter's password again, the grantee's sessions ended, and the record.
import { env } from "cloudflare:workers";
import { FoundUsers, OneUser, RoleChanges } from "@statex/shared/api/identity";
import type { Role } from "@statex/shared/auth";
import { describe, expect, it } from "vitest";
import { type AsCaller, type SignedIn, call, callerOf, mailsTo, outboxRows, refresh, register, registerAs, sessionStates, signIn } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string }[] };
type Change = { id: string; actorId: string; actorEmail: string | null; targetId: string; targetEmail: string | null; oldRole: Role; newRole: Role; at: string };

const grant = (as: AsCaller, id: string, json: unknown) => call(`/ops/users/${id}/role`, { method: "PUT", as, json });
const roleOf = async (id: string) => (await env.DB.prepare("select role from users where id = ?").bind(id).first<{ role: Role }>())?.role;
const changesOf = async (id: string) => (await env.DB.prepare("select actor_id, old_role, new_role from role_changes where target_id = ?").bind(id).all()).results;

describe("PUT /ops/users/:id/role", () => {
  it("lets an admin make ops: one record, one security event, the grantee's sessions ended and told by email", async () => {
    const admin = await registerAs("admin");
    const target = await register();
    const res = await grant(admin.as, target.user.id, { role: "ops", password: admin.input.password });
    expect(res.status).toBe(200);
    expect(OneUser.parse(await res.json()).user).toMatchObject({ id: target.user.id, role: "ops" });
    expect(await changesOf(target.user.id)).toEqual([{ actor_id: admin.user.id, old_role: "client", new_role: "ops" }]);
    const audit = await env.DB.prepare("select kind, detail from security_events where user_id = ?").bind(target.user.id).all();
    expect(audit.results).toEqual([{ kind: "role-changed", detail: `client -> ops by ${admin.user.id}` }]);
    expect((await outboxRows("user.updated")).some((r) => r.body.includes(target.user.id) && r.body.includes('"role"'))).toBe(true);
    // The old refresh token no longer refreshes: the next access token comes from a new sign-in, with the new role.
    expect(Object.values(await sessionStates(target.user.id))).toEqual(["role-changed"]);
    expect((await refresh(target.refreshToken)).status).toBe(401);
    expect((await signIn(target.input)).as.role).toBe("ops");
    expect((await mailsTo(target.input.email)).map((m) => m.subject)).toContain("Your StateX role was changed");
    // The granter's own session goes on.
    expect((await refresh(admin.refreshToken)).status).toBe(200);
  });

  it("lets ops make an author and take it back", async () => {
    const ops = await registerAs("ops");
    const target = await register();
    expect((await grant(ops.as, target.user.id, { role: "author", password: ops.input.password })).status).toBe(200);
    expect(await roleOf(target.user.id)).toBe("author");
    expect((await grant(ops.as, target.user.id, { role: "client", password: ops.input.password })).status).toBe(200);
    expect(await roleOf(target.user.id)).toBe("client");
    expect(await changesOf(target.user.id)).toHaveLength(2);
  });

  it("refuses ops making ops or admins, or touching an ops or admin account (403), and changes nothing", async () => {
    const ops = await registerAs("ops");
    const client = await register();
    const otherOps = await registerAs("ops");
    const admin = await registerAs("admin");
    for (const [target, role] of [
      [client, "ops"],
      [client, "admin"],
      [otherOps, "client"],
      [otherOps, "author"],
      [admin, "author"],
    ] as const) {
      const res = await grant(ops.as, target.user.id, { role, password: ops.input.password });
      expect(res.status).toBe(403);
      expect((await res.json<Problem>()).type).toBe("/problems/forbidden");
      expect(await changesOf(target.user.id)).toEqual([]);
      expect(Object.values(await sessionStates(target.user.id)).every((reason) => reason === null)).toBe(true);
    }
    expect([await roleOf(client.user.id), await roleOf(otherOps.user.id), await roleOf(admin.user.id)]).toEqual(["client", "ops", "admin"]);
  });

  it("refuses a wrong password (403 naming it) and changes nothing, ending no session", async () => {
    const admin = await registerAs("admin");
    const target = await register();
    const res = await grant(admin.as, target.user.id, { role: "author", password: "not the admin's password" });
    expect(res.status).toBe(403);
    expect((await res.json<Problem>()).errors?.map((e) => e.field)).toEqual(["password"]);
    expect(await roleOf(target.user.id)).toBe("client");
    expect(await changesOf(target.user.id)).toEqual([]);
    expect(await env.DB.prepare("select count(*) as n from security_events where user_id = ?").bind(target.user.id).first()).toEqual({ n: 0 });
    expect((await refresh(target.refreshToken)).status).toBe(200);
    expect((await refresh(admin.refreshToken)).status).toBe(200);
  });

  it("of two grants racing, each either changes the role with a true record of it or changes nothing (409)", async () => {
    const admin = await registerAs("admin");
    const target = await register();
    const answers = await Promise.all((["author", "ops"] as const).map((role) => grant(admin.as, target.user.id, { role, password: admin.input.password })));
    expect(answers.map((r) => r.status).every((s) => s === 200 || s === 409)).toBe(true);
    const records = (await env.DB.prepare("select old_role, new_role from role_changes where target_id = ? order by id").bind(target.user.id).all<{ old_role: Role; new_role: Role }>()).results;
    expect(records).toHaveLength(answers.filter((r) => r.status === 200).length);
    // The records chain: each starts from the role the one before left, the first from client, the last ends at the role now.
    expect(records.map((r) => r.old_role)).toEqual(["client", ...records.slice(0, -1).map((r) => r.new_role)]);
    expect(records.at(-1)?.new_role).toBe(await roleOf(target.user.id));
  });

  it("lets no one change their own role, an admin included", async () => {
    const admin = await registerAs("admin");
    const res = await grant(admin.as, admin.user.id, { role: "client", password: admin.input.password });
    expect(res.status).toBe(403);
    expect(await roleOf(admin.user.id)).toBe("admin");
  });

  it("judges the granter by the role D1 holds now, not the one an access token still carries", async () => {
    const ops = await registerAs("ops");
    const target = await register();
    await env.DB.prepare("update users set role = 'client' where id = ?").bind(ops.user.id).run();
    expect((await grant(ops.as, target.user.id, { role: "author", password: ops.input.password })).status).toBe(403);
    expect(await roleOf(target.user.id)).toBe("client");
  });

  it("refuses anonymous callers (401), clients and authors (403), unknown users (404) and roles that do not exist (400)", async () => {
    const target = await register();
    const admin = await registerAs("admin");
    const body = { role: "author", password: target.input.password };
    expect((await call(`/ops/users/${target.user.id}/role`, { method: "PUT", json: body })).status).toBe(401);
    expect((await grant(target.as, target.user.id, body)).status).toBe(403);
    expect((await grant({ ...target.as, role: "author" }, target.user.id, body)).status).toBe(403);
    const missing = await grant(admin.as, "usr_01ARZ3NDEKTSV4RRFFQ69G5FAV", { role: "author", password: admin.input.password });
    expect(missing.status).toBe(404);
    const unknown = await grant(admin.as, target.user.id, { role: "root", password: admin.input.password });
    expect(unknown.status).toBe(400);
    expect((await unknown.json<Problem>()).errors?.map((e) => e.field)).toEqual(["role"]);
    expect(callerOf((await (await refresh(target.refreshToken)).json<SignedIn>()).accessToken)).toMatchObject({ role: "client" });
  });
});

describe("GET /ops/users and /ops/role-changes", () => {
  it("finds an account by its email (any case) for ops only", async () => {
    const ops = await registerAs("ops");
    const target = await register();
    const found = await call(`/ops/users?email=${encodeURIComponent(target.input.email.toUpperCase())}`, { as: ops.as });
    expect(found.status).toBe(200);
    expect(FoundUsers.parse(await found.json())).toEqual({ users: [{ ...target.user, emailVerified: false, createdAt: expect.any(String) }] });
    expect(FoundUsers.parse(await (await call("/ops/users?email=nobody%40example.com", { as: ops.as })).json())).toEqual({ users: [] });
    expect((await call(`/ops/users?email=${encodeURIComponent(target.input.email)}`, { as: target.as })).status).toBe(403);
    expect((await call("/ops/users?email=not-an-address", { as: ops.as })).status).toBe(400);
  });

  it("lists grants newest first, by account, a page at a time", async () => {
    const admin = await registerAs("admin");
    const target = await register();
    for (const role of ["author", "ops", "client"] as const) {
      expect((await grant(admin.as, target.user.id, { role, password: admin.input.password })).status).toBe(200);
    }
    const page = async (query: string): Promise<{ changes: Change[]; nextBefore: string | null }> => RoleChanges.parse(await (await call(`/ops/role-changes?${query}`, { as: admin.as })).json());
    const first = await page(`target=${target.user.id}&limit=2`);
    expect(first.changes.map((c) => [c.oldRole, c.newRole])).toEqual([["ops", "client"], ["author", "ops"]]);
    expect(first.changes[0]).toMatchObject({ actorId: admin.user.id, actorEmail: admin.input.email, targetId: target.user.id, targetEmail: target.input.email });
    const second = await page(`target=${target.user.id}&limit=2&before=${first.nextBefore ?? ""}`);
    expect(second).toMatchObject({ changes: [{ oldRole: "client", newRole: "author" }], nextBefore: null });
    expect((await page("limit=200")).changes.some((c) => c.targetId === target.user.id)).toBe(true);
    expect((await call("/ops/role-changes", { as: { ...admin.as, role: "author" } })).status).toBe(403);
  });
});
