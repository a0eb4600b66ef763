import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MySessions } from "@statex/shared/api/identity";
import { type AsCaller, call, refresh, register, signIn } from "./helpers";

type Problem = { status: number; errors?: { field: string }[] };

async function list(as: AsCaller) {
  const res = await call("/me/sessions", { as });
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("private, no-store");
  return MySessions.parse(await res.json()).sessions;
}

describe("/me/sessions", () => {
  it("lists the caller's live sessions with where they were used from, marking the current one", async () => {
    const phone = await register({}, { "user-agent": "Safari on iPhone", "cf-connecting-ip": "2001:db8:5:6:7:8:9:a" });
    const laptop = await signIn(phone.input, { "user-agent": "Firefox on Linux", "cf-connecting-ip": "203.0.113.50" });
    const ended = await signIn(phone.input);
    await call("/sessions/current", { method: "DELETE", as: ended.as });
    await register();

    const sessions = await list(laptop.as);
    expect(sessions.map((s) => s.id).sort()).toEqual([phone.as.sessionId, laptop.as.sessionId].sort());
    expect(sessions.find((s) => s.current)).toMatchObject({ id: laptop.as.sessionId, userAgent: "Firefox on Linux", network: "203.0.113.50" });
    expect(sessions.find((s) => !s.current)).toMatchObject({ id: phone.as.sessionId, userAgent: "Safari on iPhone", network: "2001:db8:5:6::/64" });
    for (const s of sessions) expect(Date.parse(String(s.lastUsedAt))).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
  });

  it("ends one session of the caller's, which then refreshes no more; another user's id is 404 and changes nothing", async () => {
    const owner = await register();
    const second = await signIn(owner.input);
    const stranger = await register();

    const foreign = await call(`/me/sessions/${owner.as.sessionId}`, { method: "DELETE", as: stranger.as });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("content-type")).toBe("application/problem+json");
    expect((await refresh(owner.refreshToken)).status).toBe(200);

    expect((await call(`/me/sessions/${second.as.sessionId}`, { method: "DELETE", as: owner.as })).status).toBe(204);
    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect((await list(owner.as)).map((s) => s.id)).toEqual([owner.as.sessionId]);
    // Ended already: nothing left to end.
    expect((await call(`/me/sessions/${second.as.sessionId}`, { method: "DELETE", as: owner.as })).status).toBe(404);
    const bad = await call("/me/sessions/not-a-session", { method: "DELETE", as: owner.as });
    expect(bad.status).toBe(400);
    expect((await bad.json<Problem>()).errors?.map((e) => e.field)).toEqual(["param.id"]);
  });

  it("ends every other session of the caller's, keeping the current one and other users' sessions", async () => {
    const me = await register();
    const others = [await signIn(me.input), await signIn(me.input)];
    const stranger = await register();
    const res = await call("/me/sessions", { method: "DELETE", as: me.as });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ended: 2 });
    for (const other of others) expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await list(me.as)).map((s) => ({ id: s.id, current: s.current }))).toEqual([{ id: me.as.sessionId, current: true }]);
    expect((await refresh(stranger.refreshToken)).status).toBe(200);
    const reasons = await env.DB.prepare("select distinct revoked_reason as reason from sessions where user_id = ? and revoked_at is not null").bind(me.user.id).all();
    expect(reasons.results).toEqual([{ reason: "ended-by-user" }]);
  });

  it("needs a signed-in caller", async () => {
    for (const [method, path] of [["GET", "/me/sessions"], ["DELETE", "/me/sessions"], ["DELETE", "/me/sessions/ses_01ARZ3NDEKTSV4RRFFQ69G5FAV"]] as const) {
      const res = await call(path, { method });
      expect(res.status).toBe(401);
    }
  });
});
