import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { CheckYourEmail, Verified } from "@statex/shared/api/identity";
import { database } from "@statex/shared/db";
import { describe, expect, it } from "vitest";
import { issueAccountToken, usableToken } from "../src/account-tokens";
import worker from "../src/index";
import { type AsCaller, call, linkToken, mailsTo, outboxRows, userIdOf } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string; message: string }[] };

let seq = 0;
const fresh = () => `reg${++seq}-${crypto.randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = "correct horse battery";

async function registerAs(email: string, name = "Ada Lovelace", password = PASSWORD) {
  return call("/users", { method: "POST", json: { email, name, password } });
}

const asUser = (userId: string): AsCaller => ({ userId, role: "client" });

describe("POST /users (register)", () => {
  it("answers 202, signs no one in, stores a peppered hash, mails a 24-hour verification link and relays user.registered", async () => {
    const email = fresh();
    const res = await registerAs(email);
    expect(res.status).toBe(202);
    const body = CheckYourEmail.parse(await res.json());
    expect(body).toEqual({ status: "check-your-email", message: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/token|session/i);

    const id = await userIdOf(email);
    const row = await env.DB.prepare("select password_hash, email_verified_at from users where id = ?").bind(id).first<{ password_hash: string; email_verified_at: string | null }>();
    expect(row?.password_hash).toMatch(/^\$pbkdf2-sha256\$v=2,i=100000,p=[0-9a-f]{8}\$/);
    expect(row?.email_verified_at).toBeNull();
    expect(await env.DB.prepare("select count(*) as n from sessions where user_id = ?").bind(id).first()).toEqual({ n: 0 });

    const [mail, ...more] = await mailsTo(email);
    expect(more).toEqual([]);
    expect(mail?.subject).toBe("Confirm your email address");
    expect(mail?.body).toContain("for the next 24 hours");
    // No name in an email to an address nobody has proved: the name is whatever the registrant typed.
    expect(mail?.body).not.toContain("Ada Lovelace");
    const token = await linkToken(email, "/verify.html");
    const stored = await env.DB.prepare("select token_hash, purpose, expires_at from account_tokens where user_id = ?").bind(id).all<{ token_hash: string; purpose: string; expires_at: string }>();
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0]?.purpose).toBe("verify-email");
    expect(stored.results[0]?.token_hash).not.toContain(token);
    expect(Date.parse(stored.results[0]?.expires_at ?? "") - Date.now()).toBeGreaterThan(23.9 * 3_600_000);

    // Every event reaches the audit trail: none may carry the link.
    const events = (await outboxRows()).filter((r) => r.body.includes(id));
    expect(events.map((e) => e.type)).toContain("user.registered");
    expect(events.every((e) => !e.body.includes(token))).toBe(true);
  });

  it("answers a taken address exactly as a new one, writes no second account, and tells the owner someone tried", async () => {
    const email = fresh();
    const first = await registerAs(email, "Grace Hopper");
    const taken = await registerAs(email.toUpperCase(), "Mallory", "another long passphrase");
    expect(taken.status).toBe(first.status);
    expect(taken.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(await taken.json()).toEqual(await first.json());
    expect(await env.DB.prepare("select count(*) as n from users where email = ?").bind(email).first()).toEqual({ n: 1 });

    const subjects = (await mailsTo(email)).map((m) => m.subject);
    expect(subjects.sort()).toEqual(["Confirm your email address", "Someone tried to create a StateX account with your address"]);
    const attempt = (await mailsTo(email)).find((m) => m.subject.startsWith("Someone tried"));
    expect(attempt?.body).not.toContain("Mallory");
    const recorded = await env.DB.prepare("select kind, user_id, email_hash from security_events where kind = 'register-attempt' and user_id = ?").bind(await userIdOf(email)).first<{ email_hash: string }>();
    expect(recorded?.email_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["a password under 15 characters", { password: "fourteen chars" }, "at least 15 characters"],
    ["one of the 10,000 most common passwords", { password: "mailcreated5240" }, "most common"],
    ["a common password in other case", { password: "MailCreated5240" }, "most common"],
    ["a password holding the address's local part", { email: "lovelace.ada@example.com", password: "my name is lovelace.ada!!" }, "email address"],
    ["a password holding the part before a +tag", { email: "grace+news@example.com", password: "grace is my password" }, "email address"],
  ])("refuses %s, naming the field, and writes nothing", async (_label, overrides, message) => {
    const json = { email: fresh(), name: "A", ...overrides };
    const res = await call("/users", { method: "POST", json });
    expect(res.status).toBe(400);
    const problem = await res.json<Problem>();
    expect(problem.errors).toEqual([{ field: "password", message: expect.stringContaining(message) }]);
    expect(await env.DB.prepare("select count(*) as n from users where email = ?").bind(json.email).first()).toEqual({ n: 0 });
  });

  it.each([
    ["a bad email", { email: "nope", name: "A", password: PASSWORD }, "email"],
    ["a missing name", { email: "a@example.com", password: PASSWORD }, "name"],
    ["a role of one's own choosing", { email: "a@example.com", name: "A", password: PASSWORD, role: "ops" }, "role"],
  ])("refuses %s with a problem naming the field", async (_label, json, field) => {
    const res = await call("/users", { method: "POST", json });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json<Problem>()).errors?.map((e) => e.field)).toContain(field);
  });

  it("tells every field's problem at once: the password's rules beside a missing name, an unknown field and a bad address", async () => {
    const res = await call("/users", { method: "POST", json: { email: "nope", password: "mailcreated5240", role: "ops" } });
    expect(res.status).toBe(400);
    const fields = Object.fromEntries(((await res.json<Problem>()).errors ?? []).map((e) => [e.field, e.message]));
    expect(fields).toEqual({ email: expect.any(String), name: expect.any(String), role: expect.any(String), password: expect.stringContaining("most common") });
  });

  it("counts characters, not bytes: fifteen non-Latin characters are enough", async () => {
    expect((await registerAs(fresh(), "Ada", "пароль-с-буквой")).status).toBe(202);
  });
});

describe("verifying the address", () => {
  it("marks the address verified once, tells /me, and refuses the same link again", async () => {
    const email = fresh();
    await registerAs(email);
    const id = await userIdOf(email);
    expect(await (await call("/me", { as: asUser(id) })).json()).toMatchObject({ user: { emailVerified: false } });

    const token = await linkToken(email, "/verify.html");
    const res = await call("/users/verify", { method: "POST", json: { token } });
    expect(res.status).toBe(200);
    expect(Verified.parse(await res.json())).toEqual({ emailVerified: true });
    expect(await (await call("/me", { as: asUser(id) })).json()).toMatchObject({ user: { emailVerified: true } });

    const again = await call("/users/verify", { method: "POST", json: { token } });
    expect(again.status).toBe(400);
    expect((await again.json<Problem>()).errors?.map((e) => e.field)).toEqual(["token"]);
    const events = (await outboxRows("user.updated")).filter((r) => r.body.includes(id));
    expect(events.map((e) => JSON.parse(e.body).data.fields)).toEqual([["emailVerified"]]);
  });

  it("refuses a link after 24 hours, with time as a parameter", async () => {
    const email = fresh();
    await registerAs(email);
    const id = await userIdOf(email);
    const db = database(env.DB);
    const dayAgo = new Date(Date.now() - 24 * 3_600_000 - 1_000);
    const old = await issueAccountToken(db, id, "verify-email", dayAgo);
    await db.batch([...old.statements]);
    expect(await usableToken(db, old.token, "verify-email", new Date(dayAgo.getTime() + 24 * 3_600_000 - 1))).not.toBeNull();
    expect(await usableToken(db, old.token, "verify-email")).toBeNull();
    expect((await call("/users/verify", { method: "POST", json: { token: old.token } })).status).toBe(400);
    // A verification token opens no password reset, and the other way round.
    expect(await usableToken(db, old.token, "reset-password", dayAgo)).toBeNull();
  });

  it("resends a fresh link to the signed-in owner, which replaces the old one, at most once a minute", async () => {
    const email = fresh();
    await registerAs(email);
    const id = await userIdOf(email);
    const first = await linkToken(email, "/verify.html");
    // A registration a minute ago, so a resend is due.
    await env.DB.prepare("update account_tokens set created_at = ? where user_id = ?").bind(new Date(Date.now() - 61_000).toISOString(), id).run();

    const res = await call("/users/verify/resend", { method: "POST", as: asUser(id) });
    expect(res.status).toBe(202);
    const second = await linkToken(email, "/verify.html");
    expect(second).not.toBe(first);
    const tooSoon = await call("/users/verify/resend", { method: "POST", as: asUser(id) });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get("retry-after"))).toBeGreaterThan(0);

    expect((await call("/users/verify", { method: "POST", json: { token: first } })).status).toBe(400);
    expect((await call("/users/verify", { method: "POST", json: { token: second } })).status).toBe(200);
    expect((await call("/users/verify/resend", { method: "POST", as: asUser(id) })).status).toBe(409);
    expect((await call("/users/verify/resend", { method: "POST" })).status).toBe(401);
  });
});

describe("the cron", () => {
  it("forgets links a day after they expired, and keeps the rest", async () => {
    const email = fresh();
    await registerAs(email);
    const id = await userIdOf(email);
    const db = database(env.DB);
    const stale = await issueAccountToken(db, id, "reset-password", new Date(Date.now() - 26 * 3_600_000));
    await db.batch([...stale.statements]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const purposes = await env.DB.prepare("select purpose from account_tokens where user_id = ?").bind(id).all<{ purpose: string }>();
    expect(purposes.results).toEqual([{ purpose: "verify-email" }]);
  });
});

describe("requests sent with the address before the account", () => {
  async function seedRequest(id: string, email: string) {
    await env.DB.prepare("insert into requests (id, channel, name, email, text, user_id, created_at) values (?, 'web', 'N', ?, ?, null, ?)")
      .bind(id, email, `text of ${id}`, new Date().toISOString())
      .run();
  }
  const listed = async (userId: string) =>
    (await (await call("/me/requests", { as: asUser(userId) })).json<{ items: { id: string }[] }>()).items.map((r) => r.id);

  it("become the account's only once the address is verified, so registering someone else's address shows nothing of theirs", async () => {
    const email = fresh();
    await seedRequest(`req_${crypto.randomUUID()}`, email.toUpperCase());
    await seedRequest(`req_other_${crypto.randomUUID()}`, fresh());
    await registerAs(email);
    const id = await userIdOf(email);
    expect(await listed(id)).toEqual([]);

    await call("/users/verify", { method: "POST", json: { token: await linkToken(email, "/verify.html") } });
    const mine = await listed(id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(/^req_(?!other)/);
  });
});
