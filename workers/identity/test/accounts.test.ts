import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sha256Hex } from "@statex/shared/hash";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { type SignedIn, call, callerOf, outboxRows, refresh, register, signIn } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string }[] };

describe("sessions", () => {
  it("signs in with the right password (any email case) into a new session, storing only the refresh token's hash", async () => {
    const { user, input, as } = await register();
    const res = await call("/sessions", { method: "POST", json: { email: input.email.toUpperCase(), password: input.password } });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json<SignedIn>();
    expect(body).toMatchObject({ expiresIn: 900, user: { id: user.id, email: input.email, role: "client" } });
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const caller = callerOf(body.accessToken);
    expect(caller).toMatchObject({ userId: user.id, role: "client", sessionId: expect.stringMatching(/^ses_[0-9A-Z]{26}$/) });
    expect(caller.sessionId).not.toBe(as.sessionId);
    const row = await env.DB.prepare("select token_hash, expires_at, idle_expires_at from sessions where id = ?").bind(caller.sessionId ?? "").first<{ token_hash: string; expires_at: string; idle_expires_at: string }>();
    expect(row?.token_hash).toBe(await sha256Hex(body.refreshToken));
    expect(Date.parse(row?.expires_at ?? "") - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.parse(row?.idle_expires_at ?? "") - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect((await refresh(body.refreshToken)).status).toBe(200);
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

  it("signs out only the session of the access token in use", async () => {
    const first = await register();
    const second = await signIn(first.input);
    const res = await call("/sessions/current", { method: "DELETE", as: first.as });
    expect(res.status).toBe(204);
    expect((await refresh(first.refreshToken)).status).toBe(401);
    expect((await refresh(second.refreshToken)).status).toBe(200);
    expect(await env.DB.prepare("select revoked_reason from sessions where id = ?").bind(first.as.sessionId ?? "").first()).toEqual({ revoked_reason: "signed-out" });
  });

  it("does not let one user sign out another's session", async () => {
    const victim = await register();
    const attacker = await register();
    expect((await call("/sessions/current", { method: "DELETE", as: { ...attacker.as, sessionId: victim.as.sessionId } })).status).toBe(204);
    expect((await refresh(victim.refreshToken)).status).toBe(200);
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
    const { user, refreshToken, as, input } = await register();
    expect((await call("/me", { method: "DELETE", as, json: { password: input.password } })).status).toBe(204);
    expect((await refresh(refreshToken)).status).toBe(401);
    expect(await env.DB.prepare("select count(*) as n from sessions where user_id = ?").bind(user.id).first()).toEqual({ n: 0 });
    expect((await call("/me", { as })).status).toBe(404);
    const event = (await outboxRows("user.deleted")).find((r) => r.body.includes(user.id));
    expect(event?.sent_at).not.toBeNull();
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
