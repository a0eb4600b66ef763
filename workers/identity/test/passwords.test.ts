import { env } from "cloudflare:workers";
import { toBase64 } from "@statex/shared/base64";
import { dictionary } from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";
import common from "../src/common-passwords.json";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "../src/password-policy";
import { ITERATIONS, MAX_ITERATIONS, hashPassword, needsUpgrade, pbkdf2, pepperId, verifyPassword } from "../src/passwords";
import { call, userIdOf } from "./helpers";

const PASSWORD = "correct horse battery";

/** A first-version hash (no pepper), made here with WebCrypto alone, as the code before peppers made them. */
async function legacyHash(password: string, iterations = 100_000): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const hash = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return `pbkdf2$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

describe("password hashing", () => {
  it("stores version, cost and pepper id with a 16-byte salt, and verifies the right password only", async () => {
    const stored = await hashPassword(env, PASSWORD);
    const [, scheme, params, salt, hash] = stored.split("$");
    expect(scheme).toBe("pbkdf2-sha256");
    expect(params).toBe(`v=2,i=${ITERATIONS},p=${await pepperId(env.PASSWORD_PEPPER)}`);
    expect(atob(salt ?? "")).toHaveLength(16);
    expect(atob(hash ?? "")).toHaveLength(32);
    expect(await verifyPassword(env, PASSWORD, stored)).toBe(true);
    expect(await verifyPassword(env, "correct horse batterY", stored)).toBe(false);
    expect(await hashPassword(env, PASSWORD)).not.toBe(stored);
  });

  it("never exceeds Workers' production cap of 100,000 iterations, which wrangler dev does not enforce", async () => {
    expect(MAX_ITERATIONS).toBe(100_000);
    expect(ITERATIONS).toBeLessThanOrEqual(MAX_ITERATIONS);
    const salt = new Uint8Array(16);
    await expect(pbkdf2(new Uint8Array(8), salt, MAX_ITERATIONS + 1)).rejects.toThrow(RangeError);
    await expect(pbkdf2(new Uint8Array(8), salt, MAX_ITERATIONS)).resolves.toHaveLength(32);
    // A stored hash that claims more is never tried (it would fail in production), and matches nothing.
    const greedy = (await legacyHash(PASSWORD, 1_000)).replace("pbkdf2$1000$", "pbkdf2$100001$");
    expect(await verifyPassword(env, PASSWORD, greedy)).toBe(false);
  });

  it("peppers: the same password and salt under another pepper is another hash, and a hash of a lost pepper matches nothing", async () => {
    const stored = await hashPassword(env, PASSWORD);
    const other = { PASSWORD_PEPPER: "another pepper entirely" };
    expect(await verifyPassword(other, PASSWORD, stored)).toBe(false);
    expect(await needsUpgrade(other, stored)).toBe(true);
    // During a rotation the previous pepper still verifies, and the hash is due for an upgrade.
    const rotating = { PASSWORD_PEPPER: "another pepper entirely", PASSWORD_PEPPER_PREVIOUS: env.PASSWORD_PEPPER };
    expect(await verifyPassword(rotating, PASSWORD, stored)).toBe(true);
    expect(await needsUpgrade(rotating, stored)).toBe(true);
    expect(await needsUpgrade(env, stored)).toBe(false);
  });

  it("verifies first-version hashes without a pepper, and normalises (NFKC) only in the new version", async () => {
    expect(await verifyPassword(env, PASSWORD, await legacyHash(PASSWORD))).toBe(true);
    const composed = "caf\u00e9 au lait, s'il vous pla\u00eet";
    const decomposed = composed.normalize("NFD");
    expect(await verifyPassword(env, decomposed, await hashPassword(env, composed))).toBe(true);
  });

  it.each([
    ["no account (undefined)", undefined],
    ["another scheme", "bcrypt$10$abc$def"],
    ["bad base64", "pbkdf2$100000$!!!$???"],
    ["missing parts", "pbkdf2$100000"],
    ["an unknown pepper id", "$pbkdf2-sha256$v=2,i=100000,p=00000000$c2FsdHNhbHRzYWx0c2FsdA==$AAAA"],
  ])("never matches (or throws on) %s", async (_label, stored) => {
    expect(await verifyPassword(env, "anything at all", stored)).toBe(false);
  });
});

describe("an old hash on sign-in", () => {
  it("signs in with a first-version hash and rewrites it peppered; the next sign-in finds nothing to upgrade", async () => {
    const email = `legacy-${crypto.randomUUID().slice(0, 8)}@example.com`;
    expect((await call("/users", { method: "POST", json: { email, name: "Old", password: "a placeholder passphrase" } })).status).toBe(202);
    const id = await userIdOf(email);
    const legacy = await legacyHash("oldpass-10");
    await env.DB.prepare("update users set password_hash = ? where id = ?").bind(legacy, id).run();

    // Chosen under older rules (10 characters was the minimum): it still signs in.
    expect((await call("/sessions", { method: "POST", json: { email, password: "oldpass-10" } })).status).toBe(201);
    const upgraded = (await env.DB.prepare("select password_hash from users where id = ?").bind(id).first<{ password_hash: string }>())?.password_hash ?? "";
    expect(upgraded).toMatch(new RegExp(`^\\$pbkdf2-sha256\\$v=2,i=100000,p=${await pepperId(env.PASSWORD_PEPPER)}\\$`));
    expect(await needsUpgrade(env, upgraded)).toBe(false);
    expect((await call("/sessions", { method: "POST", json: { email, password: "oldpass-10" } })).status).toBe(201);
    expect((await env.DB.prepare("select password_hash from users where id = ?").bind(id).first<{ password_hash: string }>())?.password_hash).toBe(upgraded);

    // A wrong password upgrades nothing.
    await env.DB.prepare("update users set password_hash = ? where id = ?").bind(legacy, id).run();
    expect((await call("/sessions", { method: "POST", json: { email, password: "oldpass-11" } })).status).toBe(401);
    expect((await env.DB.prepare("select password_hash from users where id = ?").bind(id).first<{ password_hash: string }>())?.password_hash).toBe(legacy);
  });
});

describe("the password rules", () => {
  it("refuse exactly the 10,000 most common passwords of @zxcvbn-ts/language-common (npm run passwords writes the list)", () => {
    expect(common).toEqual(dictionary["passwords-common"].slice(0, 10_000));
    const long = common.filter((p) => [...p].length >= MIN_PASSWORD_LENGTH);
    expect(long.length).toBeGreaterThan(0);
    for (const p of long) expect(passwordProblem(p)).toMatch(/most common/);
    expect(passwordProblem("a sentence nobody has typed before")).toBeUndefined();
  });
});
