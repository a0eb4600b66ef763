import { env } from "cloudflare:workers";
import { USER_SESSION_HEADER } from "@statex/shared/auth";
import { CheckYourEmail } from "@statex/shared/api/identity";
import { database } from "@statex/shared/db";
import { describe, expect, it } from "vitest";
import { issueAccountToken } from "../src/account-tokens";
import { verifyPassword } from "../src/passwords";
import { type AsCaller, call, linkToken, mailsTo, seedSessions, sessionStates, userIdOf } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string; message: string }[] };

let seq = 0;
const fresh = () => `pw${++seq}-${crypto.randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new passphrase";

/** A registered account with three live sessions. */
async function account() {
  const email = fresh();
  expect((await call("/users", { method: "POST", json: { email, name: "Ada", password: PASSWORD } })).status).toBe(202);
  const id = await userIdOf(email);
  const sessions = ["a", "b", "c"].map((s) => `ses_${id}_${s}`);
  await seedSessions(id, sessions);
  return { email, id, sessions, as: { userId: id, role: "client" } satisfies AsCaller };
}

async function storedHash(id: string): Promise<string> {
  const row = await env.DB.prepare("select password_hash from users where id = ?").bind(id).first<{ password_hash: string }>();
  return row?.password_hash ?? "";
}

async function askReset(email: string) {
  return call("/password-resets", { method: "POST", json: { email } });
}

describe("POST /password-resets", () => {
  it("answers 202 with the same body for an address with an account and one without, and mails only the owner", async () => {
    const { email } = await account();
    const nobody = fresh();
    const known = await askReset(email.toUpperCase());
    const unknown = await askReset(nobody);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(CheckYourEmail.parse(await known.json())).toEqual(CheckYourEmail.parse(await unknown.json()));
    const reset = (await mailsTo(email)).find((m) => m.subject === "Reset your StateX password");
    expect(reset?.body).toContain("for the next hour");
    expect(await mailsTo(nobody)).toEqual([]);
    const kinds = await env.DB.prepare("select count(*) as n from security_events where kind = 'password-reset-requested'").first<{ n: number }>();
    expect(kinds?.n).toBeGreaterThanOrEqual(2);
  });

  it("sends at most one link a minute to an address, and still answers alike", async () => {
    const { email } = await account();
    await askReset(email);
    const again = await askReset(email);
    expect(again.status).toBe(202);
    expect((await mailsTo(email)).filter((m) => m.subject === "Reset your StateX password")).toHaveLength(1);
  });
});

describe("POST /password-resets/confirm", () => {
  it("sets the new password, ends every session, verifies the address, mails that it changed, and works once", async () => {
    const { email, id, sessions } = await account();
    await askReset(email);
    const token = await linkToken(email, "/reset.html");
    const res = await call("/password-resets/confirm", { method: "POST", json: { token, password: NEW_PASSWORD } });
    expect(res.status).toBe(204);

    expect(await verifyPassword(env, NEW_PASSWORD, await storedHash(id))).toBe(true);
    expect(await verifyPassword(env, PASSWORD, await storedHash(id))).toBe(false);
    expect(await sessionStates(id)).toEqual(Object.fromEntries(sessions.map((s) => [s, "password-reset"])));
    const row = await env.DB.prepare("select password_changed_at, email_verified_at from users where id = ?").bind(id).first<{ password_changed_at: string | null; email_verified_at: string | null }>();
    expect(row?.password_changed_at).not.toBeNull();
    expect(row?.email_verified_at).not.toBeNull();
    expect((await mailsTo(email)).map((m) => m.subject)).toContain("Your StateX password was changed");

    const again = await call("/password-resets/confirm", { method: "POST", json: { token, password: "yet another passphrase" } });
    expect(again.status).toBe(400);
    expect((await again.json<Problem>()).errors?.map((e) => e.field)).toEqual(["token"]);
    expect(await verifyPassword(env, NEW_PASSWORD, await storedHash(id))).toBe(true);
  });

  it("refuses a link older than an hour (time as a parameter) and keeps a link usable after a refused password", async () => {
    const { email, id } = await account();
    const db = database(env.DB);
    const old = await issueAccountToken(db, id, "reset-password", new Date(Date.now() - 3_600_000 - 1_000));
    await db.batch([...old.statements]);
    expect((await call("/password-resets/confirm", { method: "POST", json: { token: old.token, password: NEW_PASSWORD } })).status).toBe(400);

    await askReset(email);
    const token = await linkToken(email, "/reset.html");
    const weak = await call("/password-resets/confirm", { method: "POST", json: { token, password: `${email.split("@")[0]} forever` } });
    expect(weak.status).toBe(400);
    expect((await weak.json<Problem>()).errors).toEqual([{ field: "password", message: expect.stringContaining("email address") }]);
    const common = await call("/password-resets/confirm", { method: "POST", json: { token, password: "polniypizdec0211" } });
    expect((await common.json<Problem>()).errors).toEqual([{ field: "password", message: expect.stringContaining("most common") }]);
    expect((await call("/password-resets/confirm", { method: "POST", json: { token, password: NEW_PASSWORD } })).status).toBe(204);
  });
});

describe("PUT /me/password", () => {
  it("changes the password with the current one, ends every other session and keeps the caller's", async () => {
    const { email, id, sessions, as } = await account();
    const [mine, ...others] = sessions;
    const res = await call("/me/password", {
      method: "PUT",
      as,
      headers: { [USER_SESSION_HEADER]: mine ?? "" },
      json: { currentPassword: PASSWORD, password: NEW_PASSWORD },
    });
    expect(res.status).toBe(204);
    expect(await sessionStates(id)).toEqual({ [mine ?? ""]: null, ...Object.fromEntries(others.map((s) => [s, "password-changed"])) });
    expect(await verifyPassword(env, NEW_PASSWORD, await storedHash(id))).toBe(true);
    expect((await mailsTo(email)).map((m) => m.subject)).toContain("Your StateX password was changed");
  });

  it("without a session from the gateway (a call that did not come through it) ends every session", async () => {
    const { id, sessions, as } = await account();
    expect((await call("/me/password", { method: "PUT", as, json: { currentPassword: PASSWORD, password: NEW_PASSWORD } })).status).toBe(204);
    expect(Object.values(await sessionStates(id))).toEqual(sessions.map(() => "password-changed"));
  });

  it("refuses a wrong current password (403 naming it) and a weak new one (400 naming it), changing nothing", async () => {
    const { id, as } = await account();
    const before = await storedHash(id);
    const wrong = await call("/me/password", { method: "PUT", as, json: { currentPassword: "not the password at all", password: NEW_PASSWORD } });
    expect(wrong.status).toBe(403);
    expect((await wrong.json<Problem>()).errors?.map((e) => e.field)).toEqual(["currentPassword"]);
    const weak = await call("/me/password", { method: "PUT", as, json: { currentPassword: PASSWORD, password: "short" } });
    expect(weak.status).toBe(400);
    expect((await weak.json<Problem>()).errors?.map((e) => e.field)).toEqual(["password"]);
    expect(await storedHash(id)).toBe(before);
    expect(Object.values(await sessionStates(id)).every((r) => r === null)).toBe(true);
  });

  it("ends an unused reset link: a password changed since must not be reset by an older email", async () => {
    const { email, as } = await account();
    await askReset(email);
    const token = await linkToken(email, "/reset.html");
    await call("/me/password", { method: "PUT", as, json: { currentPassword: PASSWORD, password: NEW_PASSWORD } });
    expect((await call("/password-resets/confirm", { method: "POST", json: { token, password: "the attacker's passphrase" } })).status).toBe(400);
  });
});

describe("DELETE /me", () => {
  it("asks for the password: a wrong one deletes nothing (403 naming it), the right one deletes the account", async () => {
    const { id, as } = await account();
    const wrong = await call("/me", { method: "DELETE", as, json: { password: "not the password at all" } });
    expect(wrong.status).toBe(403);
    expect((await wrong.json<Problem>()).errors?.map((e) => e.field)).toEqual(["password"]);
    expect(await env.DB.prepare("select count(*) as n from users where id = ?").bind(id).first()).toEqual({ n: 1 });
    expect((await call("/me", { method: "DELETE", as, json: {} })).status).toBe(400);
    expect((await call("/me", { method: "DELETE", as, json: { password: PASSWORD } })).status).toBe(204);
    expect(await env.DB.prepare("select count(*) as n from users where id = ?").bind(id).first()).toEqual({ n: 0 });
  });
});
