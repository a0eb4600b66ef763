import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { sha256Hex } from "@statex/shared/hash";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { call, outboxRows, register } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string }[] };

describe("sessions", () => {
  it("signs in with the right password (any email case) and the token authenticates over RPC", async () => {
    const { user, input } = await register();
    const res = await call("/sessions", { method: "POST", json: { email: input.email.toUpperCase(), password: input.password } });
    expect(res.status).toBe(201);
    const body = await res.json<{ token: string; expiresAt: string; user: { id: string } }>();
    expect(body.user.id).toBe(user.id);
    expect(await exports.IdentityApi.authenticate(body.token)).toEqual({ userId: user.id, email: input.email, name: input.name, role: "client" });
  });

  it("answers a wrong password and an unknown email with the same 401", async () => {
    const { input } = await register();
    const wrong = await call("/sessions", { method: "POST", json: { email: input.email, password: "not the password" } });
    const unknown = await call("/sessions", { method: "POST", json: { email: "nobody@example.com", password: input.password } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json<Problem & { instance?: string; requestId?: string }>(), await unknown.json<Problem & { requestId?: string }>()];
    expect({ ...a, requestId: "" }).toEqual({ ...b, requestId: "" });
  });

  it("signs out only the session in use", async () => {
    const first = await register();
    const second = await call("/sessions", { method: "POST", json: { email: first.input.email, password: first.input.password } });
    const { token: other } = await second.json<{ token: string }>();
    const res = await call("/sessions/current", { method: "DELETE", as: first.as });
    expect(res.status).toBe(204);
    expect(await exports.IdentityApi.authenticate(first.session.token)).toBeNull();
    expect(await exports.IdentityApi.authenticate(other)).toMatchObject({ userId: first.user.id });
  });

  it("does not let one user sign out another's token", async () => {
    const victim = await register();
    const attacker = await register();
    await call("/sessions/current", { method: "DELETE", as: { ...attacker.as, token: victim.session.token } });
    expect(await exports.IdentityApi.authenticate(victim.session.token)).not.toBeNull();
  });

  it("treats expired, unknown and malformed tokens as no session, and the cron purges expired ones", async () => {
    const { user } = await register();
    const token = "e".repeat(43);
    await env.DB.prepare("insert into sessions (id, user_id, token_hash, expires_at) values (?, ?, ?, ?)")
      .bind("ses_expired", user.id, await sha256Hex(token), new Date(Date.now() - 1_000).toISOString())
      .run();
    expect(await exports.IdentityApi.authenticate(token)).toBeNull();
    expect(await exports.IdentityApi.authenticate("u".repeat(43))).toBeNull();
    expect(await exports.IdentityApi.authenticate("' or 1=1 --")).toBeNull();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.DB.prepare("select id from sessions where id = 'ses_expired'").first()).toBeNull();
  });
});

describe("/me", () => {
  it("needs a signed-in caller", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await call("/me", { method });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
  });

  it("reads and renames the caller, publishing user.updated once", async () => {
    const { user, as } = await register();
    expect(await (await call("/me", { as })).json()).toMatchObject({ user: { id: user.id, role: "client" } });
    const res = await call("/me", { method: "PATCH", as, json: { name: "  Grace Hopper " } });
    expect(await res.json()).toMatchObject({ user: { id: user.id, name: "Grace Hopper" } });
    await call("/me", { method: "PATCH", as, json: { name: "Grace Hopper" } });
    const events = (await outboxRows("user.updated")).filter((r) => r.body.includes(user.id));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.body ?? "{}").data).toEqual({ userId: user.id, fields: ["name"] });
    expect((await call("/me", { method: "PATCH", as, json: { email: "x@example.com" } })).status).toBe(400);
  });

  it("deletes the account with its sessions and publishes user.deleted", async () => {
    const { user, session, as, input } = await register();
    expect((await call("/me", { method: "DELETE", as, json: { password: input.password } })).status).toBe(204);
    expect(await exports.IdentityApi.authenticate(session.token)).toBeNull();
    expect(await env.DB.prepare("select count(*) as n from sessions where user_id = ?").bind(user.id).first()).toEqual({ n: 0 });
    expect((await call("/me", { as })).status).toBe(404);
    const event = (await outboxRows("user.deleted")).find((r) => r.body.includes(user.id));
    expect(event?.sent_at).not.toBeNull();
  });
});

describe("PUT /users/:id/role", () => {
  it("lets ops make an author, which the next authentication reflects", async () => {
    const target = await register();
    const ops = await register();
    const res = await call(`/users/${target.user.id}/role`, { method: "PUT", as: { ...ops.as, role: "ops" }, json: { role: "author" } });
    expect(res.status).toBe(200);
    expect(await exports.IdentityApi.authenticate(target.session.token)).toMatchObject({ role: "author" });
    expect((await outboxRows("user.updated")).some((r) => r.body.includes(target.user.id) && r.body.includes('"role"'))).toBe(true);
  });

  it("refuses anonymous callers (401), clients and authors (403), and unknown users (404)", async () => {
    const target = await register();
    const path = `/users/${target.user.id}/role`;
    expect((await call(path, { method: "PUT", json: { role: "ops" } })).status).toBe(401);
    expect((await call(path, { method: "PUT", as: target.as, json: { role: "ops" } })).status).toBe(403);
    expect((await call(path, { method: "PUT", as: { ...target.as, role: "author" }, json: { role: "ops" } })).status).toBe(403);
    const missing = await call("/users/usr_01ARZ3NDEKTSV4RRFFQ69G5FAV/role", { method: "PUT", as: { userId: "ops-token", role: "ops" }, json: { role: "author" } });
    expect(missing.status).toBe(404);
    expect(await exports.IdentityApi.authenticate(target.session.token)).toMatchObject({ role: "client" });
  });
});

describe("outbox cron", () => {
  it("relays an event a failed send left behind", async () => {
    const { user } = await register();
    await env.DB.prepare("update event_outbox set sent_at = null where body like ?").bind(`%${user.id}%`).run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const rows = (await outboxRows()).filter((r) => r.body.includes(user.id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.sent_at !== null && r.attempts === 2)).toBe(true);
  });
});
