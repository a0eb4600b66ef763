// Guessing stopped, as an attacker meets it: one account guessed from one network and from many, password spraying
// from one network, registrations and links asked for in bulk; and the owner, who keeps signing in from a session.
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { LinkSent, SecurityEvents } from "@statex/shared/api/identity";
import { sha256Hex } from "@statex/shared/hash";
import { networkOf } from "@statex/shared/network";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import worker from "../src/index";
import { type AsCaller, type SignedIn, call, linkToken, mailsTo, refresh, register, userIdOf } from "./helpers";

type Problem = { status: number; type: string; detail: string };

const PASSWORD = "correct horse battery";
const WRONG = "not the password at all";
const SITE = "http://127.0.0.1:8788";
const LOCKED_SUBJECT = "Signing in to your StateX account is paused";

let seq = 0;
/** A network of its own for each call: IPv4 addresses and IPv6 /64s in turn, as rotating proxies hand them out. */
const network = () => (++seq % 2 ? `198.18.${Math.floor(seq / 250)}.${seq % 250}` : `2001:db8:${seq.toString(16)}:1::${seq.toString(16)}`);
const fresh = () => `guess${++seq}-${crypto.randomUUID().slice(0, 8)}@example.com`;

/** The test's own clock, which the worker and its Durable Objects read too (they run in the tests' isolate). */
function stopClock(): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now());
  onTestFinished(() => {
    vi.useRealTimers();
  });
}
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

function signInFrom(from: string | null, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return call("/sessions", { method: "POST", json: body, headers: { ...(from ? { "cf-connecting-ip": from } : {}), ...headers } });
}

/**
 * Wrong passwords from a new network each, until `failures` were checked and refused (401); a 429 delay is waited
 * out on the test's clock, as a patient attacker would. Returns the refusals met on the way.
 */
async function guess(email: string, failures: number): Promise<number> {
  let refused = 0;
  for (let failed = 0; failed < failures; ) {
    const res = await signInFrom(network(), { email, password: WRONG });
    if (res.status === 401) {
      failed++;
      continue;
    }
    expect(res.status).toBe(429);
    expect(await res.json<Problem>()).toMatchObject({ type: "/problems/too-many-attempts" });
    refused++;
    advance(Number(res.headers.get("retry-after")) * 1_000);
  }
  return refused;
}

async function events(email: string, kind: string) {
  const rows = await env.DB.prepare("select network, detail, user_id from security_events where email_hash = ? and kind = ? order by at, id")
    .bind(await sha256Hex(email.toLowerCase()), kind)
    .all<{ network: string | null; detail: string | null; user_id: string | null }>();
  return rows.results;
}

/** Each sign-in pays for a whole password hash, and these tests make dozens on a machine that may be busy. */
const SLOW = { timeout: 60_000 };

const lockedMails = async (email: string) => (await mailsTo(email)).filter((m) => m.subject === LOCKED_SUBJECT);

describe("guessing one account's password", SLOW, () => {
  it("checks the first 5 wrong passwords at once, then makes each next attempt wait longer: 1 s, then 2 s", async () => {
    const { input } = await register({ email: fresh() });
    stopClock();
    for (let i = 0; i < 5; i++) expect((await signInFrom(network(), { email: input.email, password: WRONG })).status).toBe(401);

    const early = await signInFrom(network(), { email: input.email, password: PASSWORD });
    expect(early.status).toBe(429);
    expect(early.headers.get("retry-after")).toBe("1");
    expect(early.headers.get("content-type")).toBe("application/problem+json");
    // Refused unchecked, so even the right password does not sign in, and the refusal is no failure.
    expect(await events(input.email, "sign-in-failed")).toHaveLength(5);

    advance(1_000);
    expect((await signInFrom(network(), { email: input.email, password: WRONG })).status).toBe(401);
    const later = await signInFrom(network(), { email: input.email, password: WRONG });
    expect(later.status).toBe(429);
    expect(later.headers.get("retry-after")).toBe("2");
    advance(2_000);
    expect((await signInFrom(network(), { email: input.email, password: PASSWORD })).status).toBe(201);
    // The owner is in: the count starts again.
    for (let i = 0; i < 5; i++) expect((await signInFrom(network(), { email: input.email, password: WRONG })).status).toBe(401);
  });

  it("locks password sign-in after 10 failures within 15 minutes from rotating networks: 429 with Retry-After from every network, the owner mailed once", async () => {
    const { input, user } = await register({ email: fresh() });
    stopClock();
    expect(await guess(input.email, 10)).toBe(5);

    for (const password of [WRONG, PASSWORD, PASSWORD]) {
      const res = await signInFrom(network(), { email: input.email, password });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("900");
      expect(await res.json<Problem>()).toMatchObject({ status: 429, type: "/problems/sign-in-locked" });
    }

    const mails = await lockedMails(input.email);
    expect(mails).toHaveLength(1);
    const end = new Date(Math.ceil((Date.now() + 15 * 60_000) / 60_000) * 60_000).toISOString().slice(0, 16).replace("T", " ");
    expect(mails[0]?.body).toContain(`paused until ${end} UTC`);
    expect(mails[0]?.body).toContain("/reset.html");

    // Each failure with its own network; the lock once; one refusal per wait (five delays and the lock), not one per request.
    const failed = await events(input.email, "sign-in-failed");
    expect(failed).toHaveLength(10);
    expect(new Set(failed.map((e) => e.network)).size).toBe(10);
    expect(failed.every((e) => e.user_id === user.id)).toBe(true);
    expect(await events(input.email, "sign-in-locked")).toEqual([expect.objectContaining({ user_id: user.id, detail: `until ${new Date(Date.now() + 15 * 60_000).toISOString()}` })]);
    const refusals = await events(input.email, "attempt-refused");
    expect(refusals).toHaveLength(6);
    expect(refusals.at(-1)?.detail).toMatch(/^sign-in until /);
  });

  it("locks an address without an account just the same, so the answer does not tell, and mails no one", async () => {
    const email = fresh();
    stopClock();
    await guess(email, 10);
    const res = await signInFrom(network(), { email, password: WRONG });
    expect(res.status).toBe(429);
    expect(await res.json<Problem>()).toMatchObject({ type: "/problems/sign-in-locked" });
    expect(await mailsTo(email)).toEqual([]);
  });

  it("ends the lock after 15 minutes", async () => {
    const { input } = await register({ email: fresh() });
    stopClock();
    await guess(input.email, 10);
    advance(15 * 60_000 - 1_000);
    expect((await signInFrom(network(), { email: input.email, password: PASSWORD })).status).toBe(429);
    advance(1_000);
    expect((await signInFrom(network(), { email: input.email, password: PASSWORD })).status).toBe(201);
  });

  it("lets the holder of a live session of the account sign in with the right password while it is locked, without spending its refresh token", async () => {
    const owner = await register({ email: fresh() });
    const someoneElse = await register({ email: fresh() });
    stopClock();
    await guess(owner.input.email, 10);

    // An API client sends its refresh token with the sign-in.
    const api = await signInFrom(network(), { email: owner.input.email, password: PASSWORD, refreshToken: owner.refreshToken });
    expect(api.status).toBe(201);
    expect((await api.json<SignedIn>()).user.id).toBe(owner.user.id);
    // The site's cookie reaches POST /api/sessions too (its path is /api/sessions).
    const site = await signInFrom(network(), { email: owner.input.email, password: PASSWORD }, { origin: SITE, cookie: `statex-refresh=${owner.refreshToken}` });
    expect(site.status).toBe(201);
    // Looked at, never spent: it still refreshes.
    const refreshed = await refresh(owner.refreshToken);
    expect(refreshed.status).toBe(200);
    const { refreshToken: next } = await refreshed.json<SignedIn>();

    // The lock holds for everyone else: another account's token, or a made-up one.
    for (const refreshToken of [someoneElse.refreshToken, "A".repeat(43)]) {
      const res = await signInFrom(network(), { email: owner.input.email, password: PASSWORD, refreshToken });
      expect(res.status).toBe(429);
    }
    // From the session, a wrong password is checked and refused like any other (and counted apart from the attacker's).
    expect((await signInFrom(network(), { email: owner.input.email, password: WRONG, refreshToken: next })).status).toBe(401);
    expect((await signInFrom(network(), { email: owner.input.email, password: PASSWORD, refreshToken: next })).status).toBe(201);
  });

  it("does not stop asking for the password again inside a session: changing it works while sign-in is locked", async () => {
    const { input, as } = await register({ email: fresh() });
    stopClock();
    await guess(input.email, 10);
    const res = await call("/me/password", { method: "PUT", as, json: { currentPassword: PASSWORD, password: "a brand new passphrase" } });
    expect(res.status).toBe(204);
  });

  it("lifts the lock once a reset link set a new password", async () => {
    const { input } = await register({ email: fresh() });
    stopClock();
    await guess(input.email, 10);
    expect((await call("/password-resets", { method: "POST", json: { email: input.email }, headers: { "cf-connecting-ip": network() } })).status).toBe(202);
    const token = await linkToken(input.email, "/reset.html");
    expect((await call("/password-resets/confirm", { method: "POST", json: { token, password: "a brand new passphrase" } })).status).toBe(204);
    expect((await signInFrom(network(), { email: input.email, password: "a brand new passphrase" })).status).toBe(201);
  });

  it("counts a burst of parallel guesses one by one: 5 are checked, the rest wait", async () => {
    const { input } = await register({ email: fresh() });
    stopClock();
    const answers = await Promise.all(Array.from({ length: 12 }, () => signInFrom(network(), { email: input.email, password: WRONG })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});

describe("guessing from one network", SLOW, () => {
  it("refuses a network's sign-ins after 30 failures within 15 minutes, whatever the accounts, and only that network's", async () => {
    const { input } = await register({ email: fresh() });
    const sprayer = network();
    stopClock();
    // One common password tried on many addresses: no account's lock ever trips.
    for (let i = 0; i < 30; i++) expect((await signInFrom(sprayer, { email: fresh(), password: "password123456789" })).status).toBe(401);
    const refused = await signInFrom(sprayer, { email: input.email, password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("900");
    expect((await signInFrom(network(), { email: input.email, password: PASSWORD })).status).toBe(201);
    advance(15 * 60_000);
    expect((await signInFrom(sprayer, { email: input.email, password: PASSWORD })).status).toBe(201);
  });

  it("counts by network, never by x-real-ip, which any client can set", async () => {
    const sprayer = network();
    stopClock();
    for (let i = 0; i < 30; i++) expect((await signInFrom(sprayer, { email: fresh(), password: WRONG }, { "x-real-ip": network() })).status).toBe(401);
    expect((await signInFrom(sprayer, { email: fresh(), password: WRONG }, { "x-real-ip": network() })).status).toBe(429);
  });
});

describe("registering and asking for links in bulk", SLOW, () => {
  const register202 = (email: string, from: string) => call("/users", { method: "POST", json: { email, name: "Eve", password: PASSWORD }, headers: { "cf-connecting-ip": from } });
  const askReset = (email: string, from: string) => call("/password-resets", { method: "POST", json: { email }, headers: { "cf-connecting-ip": from } });

  it("takes 3 registrations of one address an hour, from any networks, and 10 from one network", async () => {
    stopClock();
    const email = fresh();
    for (let i = 0; i < 3; i++) expect((await register202(email, network())).status).toBe(202);
    const fourth = await register202(email, network());
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get("retry-after"))).toBe(3_600);
    expect(await fourth.json<Problem>()).toMatchObject({ type: "/problems/too-many-attempts" });
    // The owner heard of two attempts on their address after it was made, not of the refused one.
    expect((await mailsTo(email)).filter((m) => m.subject.startsWith("Someone tried"))).toHaveLength(2);

    const from = network();
    for (let i = 0; i < 10; i++) expect((await register202(fresh(), from)).status).toBe(202);
    expect((await register202(fresh(), from)).status).toBe(429);
    advance(3_600_000);
    expect((await register202(fresh(), from)).status).toBe(202);
  });

  it("takes 3 reset requests for one address an hour whether it has an account or not, and 10 from one network", async () => {
    stopClock();
    const { input } = await register({ email: fresh() });
    for (const email of [input.email, fresh()]) {
      for (let i = 0; i < 3; i++) expect((await askReset(email, network())).status).toBe(202);
      const refused = await askReset(email, network());
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("3600");
    }
    const from = network();
    for (let i = 0; i < 10; i++) expect((await askReset(fresh(), from)).status).toBe(202);
    expect((await askReset(fresh(), from)).status).toBe(429);
  });

  it("sends a verification link again at most 3 times an hour", async () => {
    stopClock();
    const email = fresh();
    expect((await register202(email, network())).status).toBe(202);
    const as: AsCaller = { userId: await userIdOf(email), role: "client" };
    const resend = () => call("/users/verify/resend", { method: "POST", as, headers: { "cf-connecting-ip": network() } });
    for (let i = 0; i < 3; i++) {
      advance(61_000);
      const sent = await resend();
      expect(sent.status).toBe(202);
      expect(LinkSent.parse(await sent.json())).toEqual({ status: "sent" });
    }
    advance(61_000);
    const refused = await resend();
    expect(refused.status).toBe(429);
    expect(await refused.json<Problem>()).toMatchObject({ type: "/problems/too-many-attempts" });
    expect(Number(refused.headers.get("retry-after"))).toBe(3_600 - 3 * 61);
  });
});

describe("GET /ops/security-events", SLOW, () => {
  const ops: AsCaller = { userId: "usr_01OPS000000000000000000000", role: "ops" };

  it("lists an address's failed sign-ins for ops, newest first, with the network and time, a page at a time", async () => {
    const { input, user } = await register({ email: fresh() });
    const networks = [network(), network(), network()];
    for (const from of networks) expect((await signInFrom(from, { email: input.email, password: WRONG })).status).toBe(401);

    const query = (q: Record<string, string>) => call(`/ops/security-events?${new URLSearchParams(q)}`, { as: ops });
    const first = await query({ kind: "sign-in-failed", email: input.email.toUpperCase(), limit: "2" });
    expect(first.status).toBe(200);
    const page1 = SecurityEvents.parse(await first.json());
    expect(page1.events.map((e) => e.network)).toEqual([networkOf(networks[2]), networkOf(networks[1])]);
    expect(page1.events[0]).toMatchObject({ kind: "sign-in-failed", emailHash: await sha256Hex(input.email), userId: user.id });
    expect(Date.parse(page1.events[0]?.at ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(page1.next).not.toBeNull();

    const page2 = SecurityEvents.parse(await (await query({ kind: "sign-in-failed", email: input.email, limit: "2", before: page1.next ?? "" })).json());
    expect(page2).toEqual({ events: [expect.objectContaining({ network: networkOf(networks[0]) })], next: null });
    expect((await query({ before: "not-a-cursor" })).status).toBe(400);
  });

  it("is refused to a client (403) and to an anonymous caller (401)", async () => {
    const { as } = await register({ email: fresh() });
    expect((await call("/ops/security-events", { as })).status).toBe(403);
    expect((await call("/ops/security-events")).status).toBe(401);
  });

  it("records a refresh token's reuse with the address's hash and the network it came from", async () => {
    const { refreshToken, input } = await register({ email: fresh() });
    expect((await refresh(refreshToken)).status).toBe(200);
    const thief = network();
    expect((await refresh(refreshToken, { "cf-connecting-ip": thief })).status).toBe(401);
    expect(await events(input.email, "refresh-reuse")).toEqual([expect.objectContaining({ network: networkOf(thief) })]);
  });

  it("forgets events after 90 days, at the cron", async () => {
    const old = new Date(Date.now() - 91 * 86_400_000).toISOString();
    await env.DB.prepare("insert into security_events (id, kind, at) values ('sev_01OLD0000000000000000000000', 'sign-in-failed', ?)").bind(old).run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.DB.prepare("select count(*) as n from security_events where at <= ?").bind(old).first<{ n: number }>()).toEqual({ n: 0 });
  });
});

describe("the Throttle object", () => {
  it("keeps no storage once its attempts are older than any rule looks back", async () => {
    const stub = env.THROTTLE.getByName(`network:${network()}`);
    expect(await stub.admit("register-network", Date.now())).toMatchObject({ admitted: true });
    const rows = () => runInDurableObject(stub, (_object, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM attempts").one().n);
    expect(await rows()).toBe(1);
    stopClock();
    advance(2 * 3_600_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (_object, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'attempts'").one().n)).toBe(0);
    // And counts again when asked.
    expect(await stub.admit("register-network", Date.now())).toMatchObject({ admitted: true });
    expect(await rows()).toBe(1);
  });
});
