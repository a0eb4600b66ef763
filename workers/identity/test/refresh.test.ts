import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { database } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import worker from "../src/index";
import { REUSE_GRACE_MS, SESSION_IDLE_DAYS, SESSION_MAX_DAYS, clientOf, newSession, refreshSession } from "../src/sessions";
import { type SignedIn, call, callerOf, refresh, register, signIn } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string }[] };
const DAY = 86_400_000;
const db = () => database(env.DB);
const client = { userAgent: "test", network: "192.0.2.1" };
/** Moves the clock past the window in which the token just spent may come back once (the test's clock, reset after it). */
function afterGrace(): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + REUSE_GRACE_MS + 1_000);
  onTestFinished(() => {
    vi.useRealTimers();
  });
}
const count = async (sql: string, ...binds: string[]) => (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())?.n;

describe("POST /sessions/refresh", () => {
  it("spends the refresh token and answers a new pair for the same session; the spent one is kept by hash", async () => {
    const { refreshToken, as, user } = await register();
    const res = await refresh(refreshToken, { "cf-connecting-ip": "2001:db8:aa:bb:1:2:3:4", "user-agent": "Firefox on Linux" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const next = await res.json<SignedIn>();
    expect(next).toMatchObject({ expiresIn: 900, user: { id: user.id } });
    expect(next.refreshToken).not.toBe(refreshToken);
    expect(callerOf(next.accessToken)).toEqual(as);

    const row = await env.DB.prepare("select token_hash, network, user_agent from sessions where id = ?").bind(as.sessionId ?? "").first();
    expect(row).toEqual({ token_hash: await sha256Hex(next.refreshToken), network: "2001:db8:aa:bb::/64", user_agent: "Firefox on Linux" });
    expect(await env.DB.prepare("select session_id from spent_refresh_tokens where token_hash = ?").bind(await sha256Hex(refreshToken)).first()).toEqual({ session_id: as.sessionId });
    expect((await refresh(next.refreshToken)).status).toBe(200);
  });

  it("ends the whole family when a spent token comes back, and records the reuse with the network", async () => {
    const { refreshToken, as, user } = await register();
    const other = await signIn((await register()).input);
    const stolen = refreshToken;
    const rightful = await (await refresh(refreshToken)).json<SignedIn>();

    afterGrace();
    const reused = await refresh(stolen, { "cf-connecting-ip": "198.51.100.23" });
    expect(reused.status).toBe(401);
    expect(await reused.json<Problem>()).toMatchObject({ type: "/problems/session-ended" });
    // The rightful holder's newer token is dead too: which of the two holders is the thief cannot be told.
    expect((await refresh(rightful.refreshToken)).status).toBe(401);
    expect(await env.DB.prepare("select revoked_reason from sessions where id = ?").bind(as.sessionId ?? "").first()).toEqual({ revoked_reason: "refresh-reuse" });
    const events = await env.DB.prepare("select kind, user_id, network, detail from security_events where user_id = ?").bind(user.id).all();
    expect(events.results).toEqual([{ kind: "refresh-reuse", user_id: user.id, network: "198.51.100.23", detail: `session ${as.sessionId}` }]);
    // Another session (another user's here) is untouched.
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it("takes the token just spent once more within the grace window, as the retry of an answer that never arrived", async () => {
    const { refreshToken, as } = await register();
    const lost = await refreshSession(db(), refreshToken, client);
    const retried = await refreshSession(db(), refreshToken, client);
    if (lost.outcome !== "refreshed" || retried.outcome !== "refreshed") throw new Error("both should refresh");
    expect(retried.session.id).toBe(as.sessionId);
    expect(retried.session.refreshToken).not.toBe(lost.session.refreshToken);
    // Only once: the same token a third time is reuse, and so is the token the lost answer carried.
    expect((await refreshSession(db(), refreshToken, client)).outcome).toBe("reused");
    const again = await register();
    const first = await refreshSession(db(), again.refreshToken, client);
    await refreshSession(db(), again.refreshToken, client);
    if (first.outcome !== "refreshed") throw new Error("should refresh");
    expect((await refreshSession(db(), first.session.refreshToken, client)).outcome).toBe("reused");
  });

  it("lets two refreshes racing with the same token both answer, the later holding the session's token", async () => {
    const { refreshToken, as } = await register();
    const outcomes = await Promise.all([refreshSession(db(), refreshToken, client), refreshSession(db(), refreshToken, client)]);
    expect(outcomes.map((o) => o.outcome)).toEqual(["refreshed", "refreshed"]);
    const current = await env.DB.prepare("select token_hash from sessions where id = ?").bind(as.sessionId ?? "").first<{ token_hash: string }>();
    const hashes = await Promise.all(outcomes.map((o) => (o.outcome === "refreshed" ? sha256Hex(o.session.refreshToken) : "")));
    expect(hashes).toContain(current?.token_hash);
  });

  it("takes the token just spent as reuse when it comes back from another network, even within the grace window", async () => {
    const { refreshToken, as } = await register();
    await refreshSession(db(), refreshToken, client);
    expect(await refreshSession(db(), refreshToken, { ...client, network: "198.51.100.99" })).toEqual({ outcome: "reused", userId: as.userId, sessionId: as.sessionId });
  });

  it("takes a spent token after the grace window as reuse", async () => {
    const { refreshToken } = await register();
    await refreshSession(db(), refreshToken, client);
    const later = new Date(Date.now() + REUSE_GRACE_MS + 1_000);
    expect((await refreshSession(db(), refreshToken, client, later)).outcome).toBe("reused");
  });

  it("answers unknown, malformed and ended tokens alike, with nothing recorded", async () => {
    const { refreshToken, as } = await register();
    await call("/sessions/current", { method: "DELETE", as });
    for (const token of [refreshToken, "u".repeat(43), "' or 1=1 --"]) {
      const res = await refresh(token);
      expect(res.status).toBe(401);
      expect(await res.json<Problem>()).toMatchObject({ type: "/problems/session-ended" });
    }
    expect(await count("select count(*) as n from security_events where user_id = ?", as.userId)).toBe(0);
  });

  it("ends a session after 7 days unused and after 30 days in any case, whatever its use", async () => {
    const start = new Date("2027-03-01T12:00:00.000Z");
    const { user } = await register();
    const issued = await newSession(db(), user.id, client, start);
    await issued.insert.run();

    // Unused for the whole idle span: refused, and it stays refused.
    expect(await refreshSession(db(), issued.session.refreshToken, client, new Date(start.getTime() + SESSION_IDLE_DAYS * DAY))).toEqual({ outcome: "refused" });

    // Used every six days: alive until the 30th day, when it ends though it was used the day before.
    const kept = await newSession(db(), user.id, client, start);
    await kept.insert.run();
    let token = kept.session.refreshToken;
    for (let day = 6; day < SESSION_MAX_DAYS; day += 6) {
      const at = new Date(start.getTime() + day * DAY);
      const result = await refreshSession(db(), token, client, at);
      if (result.outcome !== "refreshed") throw new Error(`refused on day ${day}`);
      // The idle end moves on, but never past the absolute end.
      expect(Date.parse(result.session.idleExpiresAt)).toBe(Math.min(at.getTime() + SESSION_IDLE_DAYS * DAY, start.getTime() + SESSION_MAX_DAYS * DAY));
      token = result.session.refreshToken;
    }
    expect(await refreshSession(db(), token, client, new Date(start.getTime() + SESSION_MAX_DAYS * DAY))).toEqual({ outcome: "refused" });
  });

  it("keeps a session from before refresh tokens (no idle end) from refreshing, and the cron removes ended sessions", async () => {
    const { user } = await register();
    const token = "e".repeat(43);
    await env.DB.prepare("insert into sessions (id, user_id, token_hash, expires_at) values (?, ?, ?, ?)")
      .bind("ses_01OLDOPAQUETOKEN000000000", user.id, await sha256Hex(token), new Date(Date.now() + DAY).toISOString())
      .run();
    await env.DB.prepare("insert into sessions (id, user_id, token_hash, expires_at, idle_expires_at) values (?, ?, ?, ?, ?)")
      .bind("ses_01EXPIRED00000000000000000", user.id, await sha256Hex("f".repeat(43)), new Date(Date.now() - 1_000).toISOString(), new Date(Date.now() - 1_000).toISOString())
      .run();
    expect((await refresh(token)).status).toBe(401);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await count("select count(*) as n from sessions where id in ('ses_01OLDOPAQUETOKEN000000000', 'ses_01EXPIRED00000000000000000')")).toBe(0);
    expect(await count("select count(*) as n from sessions where user_id = ?", user.id)).toBe(1);
  });

  it("refuses oversized, malformed, mistyped and unexpected bodies with problems, and writes nothing", async () => {
    const { refreshToken } = await register();
    const before = await count("select count(*) as n from spent_refresh_tokens");
    const post = (body: BodyInit, type = "application/json") => call("/sessions/refresh", { method: "POST", headers: { "content-type": type }, body });
    const cases: [Response, number, string][] = [
      [await post(JSON.stringify({ refreshToken, pad: "x".repeat(5_000) })), 413, "body"],
      [await post("{not json"), 400, "body"],
      [await post(JSON.stringify({ refreshToken }), "text/plain"), 415, "content-type"],
      [await post(JSON.stringify({ refreshToken, extra: 1 })), 400, "extra"],
      [await post(JSON.stringify({ refreshToken: 42 })), 400, "refreshToken"],
      [await post(JSON.stringify({})), 400, "refreshToken"],
    ];
    for (const [res, status, field] of cases) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json<Problem>()).errors?.map((e) => e.field)).toContain(field);
    }
    expect(await count("select count(*) as n from spent_refresh_tokens")).toBe(before);
    expect((await refresh(refreshToken)).status).toBe(200);
  });
});

describe("the site's refresh cookie", () => {
  const site = "http://127.0.0.1:8788";
  const cookieOf = (res: Response) => res.headers.get("set-cookie") ?? "";
  const valueOf = (setCookie: string) => /^[^=]+=([^;]*)/.exec(setCookie)?.[1] ?? "";

  it("holds the refresh token for a browser on the site's origin: HttpOnly, SameSite=Strict, the session routes only, never in the JSON", async () => {
    const { input } = await register();
    const res = await call("/sessions", { method: "POST", json: { email: input.email, password: input.password }, headers: { origin: site } });
    expect(res.status).toBe(201);
    const body = await res.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(["accessToken", "expiresIn", "user"]);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^statex-refresh=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/api\/sessions; HttpOnly; SameSite=Strict$/);
    // Plain HTTP (development): a Secure cookie would be dropped by the browser.
    expect(cookie).not.toContain("Secure");
  });

  it("is Secure, with the __Secure- prefix, where the site is served over HTTPS", async () => {
    const https = { CORS_ORIGINS: "https://statex.app" } as const;
    const { input } = await register();
    const res = await call("/sessions", { method: "POST", json: { email: input.email, password: input.password }, headers: { origin: "https://statex.app" }, env: https });
    expect(cookieOf(res)).toMatch(/^__Secure-statex-refresh=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/api\/sessions; HttpOnly; Secure; SameSite=Strict$/);
    const refreshed = await call("/sessions/refresh", { method: "POST", json: {}, headers: { origin: "https://statex.app", cookie: cookieOf(res).split(";")[0] ?? "" }, env: https });
    expect(refreshed.status).toBe(200);
  });

  it("refreshes from the cookie only with the site's Origin, rotating the cookie, and forgets it when refused", async () => {
    const { input } = await register();
    const signedIn = await call("/sessions", { method: "POST", json: { email: input.email, password: input.password }, headers: { origin: site } });
    const cookie = `statex-refresh=${valueOf(cookieOf(signedIn))}`;

    // No Origin: an API client, whose body must name the token; the cookie is not read.
    const noOrigin = await call("/sessions/refresh", { method: "POST", json: {}, headers: { cookie } });
    expect(noOrigin.status).toBe(400);
    expect((await noOrigin.json<Problem>()).errors?.map((e) => e.field)).toEqual(["refreshToken"]);
    // Another origin: refused before anything is read.
    const foreign = await call("/sessions/refresh", { method: "POST", json: {}, headers: { cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect((await foreign.json<Problem>()).errors?.map((e) => e.field)).toEqual(["origin"]);

    const ok = await call("/sessions/refresh", { method: "POST", json: {}, headers: { cookie, origin: site } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).not.toHaveProperty("refreshToken");
    const rotated = valueOf(cookieOf(ok));
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(`statex-refresh=${rotated}`).not.toBe(cookie);

    // The old cookie again, after the grace window, is a reuse: refused, and the browser is told to drop the cookie.
    afterGrace();
    const again = await call("/sessions/refresh", { method: "POST", json: {}, headers: { cookie, origin: site } });
    expect(again.status).toBe(401);
    expect(cookieOf(again)).toMatch(/^statex-refresh=; Max-Age=0; Path=\/api\/sessions; HttpOnly; SameSite=Strict$/);
    // Without any cookie the site is simply signed out.
    expect((await call("/sessions/refresh", { method: "POST", json: {}, headers: { origin: site } })).status).toBe(401);
  });

  it("refuses to sign in from another origin, and writes nothing", async () => {
    const { input } = await register();
    const sessions = await count("select count(*) as n from sessions");
    const res = await call("/sessions", { method: "POST", json: { email: input.email, password: input.password }, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await count("select count(*) as n from sessions")).toBe(sessions);
  });

  it("is dropped on sign-out", async () => {
    const { as } = await register();
    const res = await call("/sessions/current", { method: "DELETE", as, headers: { origin: site } });
    expect(res.status).toBe(204);
    expect(cookieOf(res)).toMatch(/^statex-refresh=; Max-Age=0; Path=\/api\/sessions/);
  });
});

describe("the network a session is used from", () => {
  it("is the IPv4 address or the IPv6 /64 of cf-connecting-ip, never a client-set header", async () => {
    const headers = (h: Record<string, string>) => new Headers(h);
    expect(clientOf(headers({ "cf-connecting-ip": "203.0.113.7", "x-real-ip": "10.0.0.1" })).network).toBe("203.0.113.7");
    expect(clientOf(headers({ "cf-connecting-ip": "2001:0db8:0000:0042:abcd:ef01:2345:6789" })).network).toBe("2001:db8:0:42::/64");
    expect(clientOf(headers({ "cf-connecting-ip": "2001:db8::1" })).network).toBe("2001:db8::/64");
    expect(clientOf(headers({ "cf-connecting-ip": "::ffff:198.51.100.4" })).network).toBe("198.51.100.4");
    expect(clientOf(headers({ "x-real-ip": "203.0.113.7", "x-forwarded-for": "203.0.113.8" })).network).toBeNull();
    expect(clientOf(headers({ "cf-connecting-ip": "not an address" })).network).toBeNull();
  });
});
