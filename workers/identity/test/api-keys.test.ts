// API keys: created and answered once (only the sha256 kept), listed, revoked; the gateway's check of a presented key;
// service accounts made by ops; every creation and revocation recorded.
import { env, exports } from "cloudflare:workers";
import { API_KEY_ID_HEADER, API_KEY_PATTERN } from "@statex/shared/auth";
import { CreatedApiKey, ServiceAccount, ServiceAccounts } from "@statex/shared/api/identity";
import { database } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { serviceAccountIds } from "../src/routes/api-keys";
import { type AsCaller, call, outboxRows, register, registerAs } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string }[] };
type KeyView = { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null };
type Created = KeyView & { key: string };

const create = (as: AsCaller, json: unknown) => call("/me/api-keys", { method: "POST", as, json });
async function createKey(as: AsCaller, json: Record<string, unknown> = {}): Promise<Created> {
  const res = await create(as, { name: "CI", scopes: ["requests:read"], ...json });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return res.json<Created>();
}
const list = async (as: AsCaller) => (await (await call("/me/api-keys", { as })).json<{ keys: Record<string, unknown>[] }>()).keys;
const securityKinds = async (userId: string) =>
  (await env.DB.prepare("select kind from security_events where user_id = ? order by at").bind(userId).all<{ kind: string }>()).results.map((r) => r.kind);

describe("POST /me/api-keys", () => {
  it("answers the key once, in its documented form, and keeps only its sha256", async () => {
    const { as } = await register();
    const res = await create(as, { name: "  Billing sync ", scopes: ["requests:write", "requests:read", "requests:read"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const created = await res.json<Created>();
    // Not production here: a test key.
    expect(created.key).toMatch(API_KEY_PATTERN);
    expect(created.key.startsWith("sx_test_")).toBe(true);
    expect(created).toMatchObject({ name: "Billing sync", prefix: created.key.slice(0, 16), scopes: ["requests:read", "requests:write"], expiresAt: null, lastUsedAt: null, revokedAt: null });
    const row = await env.DB.prepare("select * from api_keys where id = ?").bind(created.id).first<Record<string, unknown>>();
    expect(row?.key_hash).toBe(await sha256Hex(created.key));
    expect(Object.values(row ?? {})).not.toContain(created.key);
    // The list never shows the key again, nor its hash.
    const keys = await list(as);
    expect(keys).toEqual([{ id: created.id, name: "Billing sync", prefix: created.prefix, scopes: ["requests:read", "requests:write"], createdAt: created.createdAt, lastUsedAt: null, expiresAt: null, revokedAt: null }]);
    expect(JSON.stringify(keys)).not.toContain(created.key.slice(16));
    expect(await securityKinds(as.userId)).toContain("api-key-created");
    // The security event's trigger put it in the audit trail's outbox, in the same transaction.
    expect((await outboxRows("audit.recorded")).some((r) => r.body.includes("security.api-key-created") && r.body.includes(as.userId))).toBe(true);
  });

  it("gives every key its own secret", async () => {
    const { as } = await register();
    const a = await createKey(as);
    const b = await createKey(as);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).not.toBe(b.prefix);
  });

  it("refuses a bad name, no scope, an unknown scope or an expiry in the past (400 naming the field), storing nothing", async () => {
    const { as } = await register();
    for (const [json, field] of [
      [{ name: "", scopes: ["requests:read"] }, "name"],
      [{ name: "x", scopes: [] }, "scopes"],
      [{ name: "x", scopes: ["admin"] }, "scopes.0"],
      [{ name: "x", scopes: ["requests:read"], expiresAt: "2020-01-01T00:00:00Z" }, "expiresAt"],
      [{ name: "x", scopes: ["requests:read"], expiresAt: "tomorrow" }, "expiresAt"],
      [{ name: "x", scopes: ["requests:read"], role: "admin" }, ""],
    ] as const) {
      const res = await create(as, json);
      expect(res.status).toBe(400);
      if (field) expect((await res.json<Problem>()).errors?.map((e) => e.field)).toContain(field);
    }
    expect(await list(as)).toEqual([]);
  });

  it("keeps an expiry given, in UTC", async () => {
    const { as } = await register();
    const created = await createKey(as, { expiresAt: "2099-06-01T12:00:00+02:00" });
    expect(created.expiresAt).toBe("2099-06-01T10:00:00.000Z");
  });

  it("refuses a key made with a key (403 insufficient-scope), whatever its scopes", async () => {
    const { as } = await register();
    const res = await call("/me/api-keys", { method: "POST", as, headers: { [API_KEY_ID_HEADER]: "key_01JAAAAAAAAAAAAAAAAAAAAAAA" }, json: { name: "x", scopes: ["requests:read"] } });
    expect(res.status).toBe(403);
    expect((await res.json<Problem>()).type).toBe("/problems/insufficient-scope");
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope"');
  });

  it("refuses a 21st live key (409); a revoked one no longer counts", async () => {
    const { as } = await register();
    const keys = [];
    for (let i = 0; i < 20; i++) keys.push(await createKey(as, { name: `k${i}` }));
    const res = await create(as, { name: "one more", scopes: ["requests:read"] });
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).type).toBe("/problems/too-many-keys");
    const first = keys[0];
    if (!first) throw new Error("no key");
    expect((await call(`/me/api-keys/${first.id}`, { method: "DELETE", as })).status).toBe(204);
    expect((await create(as, { name: "one more", scopes: ["requests:read"] })).status).toBe(201);
  });

  it("is for signed-in users only (401)", async () => {
    expect((await call("/me/api-keys", { method: "POST", json: { name: "x", scopes: ["requests:read"] } })).status).toBe(401);
    expect((await call("/me/api-keys")).status).toBe(401);
  });
});

describe("DELETE /me/api-keys/:id", () => {
  it("revokes the owner's key: listed as revoked, no longer accepted, recorded", async () => {
    const { as } = await register();
    const created = await createKey(as);
    expect(await exports.IdentityApi.apiKey(created.key)).toMatchObject({ userId: as.userId, keyId: created.id });
    expect((await call(`/me/api-keys/${created.id}`, { method: "DELETE", as })).status).toBe(204);
    expect(await exports.IdentityApi.apiKey(created.key)).toBeNull();
    const [listed] = await list(as);
    expect(listed?.revokedAt).toEqual(expect.any(String));
    expect(await securityKinds(as.userId)).toEqual(["api-key-created", "api-key-revoked"]);
    // Once revoked, it is gone as far as revoking goes.
    expect((await call(`/me/api-keys/${created.id}`, { method: "DELETE", as })).status).toBe(404);
  });

  it("answers 404 for another user's key and leaves it working", async () => {
    const owner = await register();
    const other = await register();
    const created = await createKey(owner.as);
    const res = await call(`/me/api-keys/${created.id}`, { method: "DELETE", as: other.as });
    expect(res.status).toBe(404);
    expect(await exports.IdentityApi.apiKey(created.key)).not.toBeNull();
    expect(await list(other.as)).toEqual([]);
  });

  it("refuses an id not of a key's form (400 naming it)", async () => {
    const { as } = await register();
    const res = await call("/me/api-keys/nope", { method: "DELETE", as });
    expect(res.status).toBe(400);
    expect((await res.json<Problem>()).errors?.map((e) => e.field)).toEqual(["param.id"]);
  });
});

describe("IdentityApi.apiKey", () => {
  it("answers the owner, role, key id and scopes for a live key", async () => {
    const { as } = await registerAs("author");
    const created = await createKey(as, { scopes: ["requests:write", "webhooks:write"] });
    expect(await exports.IdentityApi.apiKey(created.key)).toEqual({ userId: as.userId, role: "author", keyId: created.id, scopes: ["requests:write", "webhooks:write"] });
  });

  it("answers null for an unknown key, one of another form, and an expired one", async () => {
    const { as } = await register();
    const created = await createKey(as, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(await exports.IdentityApi.apiKey(created.key)).not.toBeNull();
    await env.DB.prepare("update api_keys set expires_at = ? where id = ?").bind(new Date(Date.now() - 1000).toISOString(), created.id).run();
    expect(await exports.IdentityApi.apiKey(created.key)).toBeNull();
    expect(await exports.IdentityApi.apiKey(`sx_test_${"A".repeat(40)}`)).toBeNull();
    expect(await exports.IdentityApi.apiKey("not a key")).toBeNull();
    // The right secret under the other environment's prefix is another key.
    expect(await exports.IdentityApi.apiKey(created.key.replace("sx_test_", "sx_live_"))).toBeNull();
  });

  it("records the use at most once a minute", async () => {
    const { as } = await register();
    const created = await createKey(as);
    const lastUsed = async () => (await env.DB.prepare("select last_used_at from api_keys where id = ?").bind(created.id).first<{ last_used_at: string | null }>())?.last_used_at;
    await exports.IdentityApi.apiKey(created.key);
    // The write runs after the answer: wait for it to land.
    await expect.poll(lastUsed).toEqual(expect.any(String));
    const first = await lastUsed();
    await exports.IdentityApi.apiKey(created.key);
    await new Promise((r) => setTimeout(r, 50));
    expect(await lastUsed()).toBe(first);
    // A minute later it is written again.
    const aMinuteAgo = new Date(Date.now() - 61_000).toISOString();
    await env.DB.prepare("update api_keys set last_used_at = ? where id = ?").bind(aMinuteAgo, created.id).run();
    await exports.IdentityApi.apiKey(created.key);
    await expect.poll(lastUsed).not.toBe(aMinuteAgo);
    expect(((await list(as))[0] as KeyView).lastUsedAt).toEqual(await lastUsed());
  });

  it("stops answering for a deleted account's keys", async () => {
    const { as, input } = await register();
    const created = await createKey(as);
    expect((await call("/me", { method: "DELETE", as, json: { password: input.password } })).status).toBe(204);
    expect(await exports.IdentityApi.apiKey(created.key)).toBeNull();
    expect(await env.DB.prepare("select count(*) as n from api_keys where user_id = ?").bind(as.userId).first("n")).toBe(0);
  });
});

describe("POST /ops/service-accounts", () => {
  it("lets ops create an account for a system with its first key, recorded in the audit trail", async () => {
    const ops = await registerAs("ops");
    const res = await call("/ops/service-accounts", { method: "POST", as: ops.as, json: { name: "Nightly importer", scopes: ["requests:write"] } });
    expect(res.status).toBe(201);
    const { account, key } = await res.json<{ account: { id: string; email: string; role: string; kind: string }; key: Created }>();
    expect(account).toMatchObject({ role: "client", kind: "service" });
    expect(account.email.endsWith(".invalid")).toBe(true);
    expect(key.key).toMatch(API_KEY_PATTERN);
    expect(await exports.IdentityApi.apiKey(key.key)).toEqual({ userId: account.id, role: "client", keyId: key.id, scopes: ["requests:write"] });
    const audit = (await outboxRows("audit.recorded")).map((r) => JSON.parse(r.body) as { data: { action: string; actor: { id: string }; target: { id: string } } });
    expect(audit.find((e) => e.data.action === "account.service-created")?.data).toMatchObject({ actor: { id: ops.user.id }, target: { id: account.id } });
    // No password signs in to it, and no reset link is made for it.
    const signIn = await call("/sessions", { method: "POST", json: { email: account.email, password: "!" } });
    expect(signIn.status).toBe(401);
    expect((await call("/password-resets", { method: "POST", json: { email: account.email } })).status).toBe(202);
    expect(await env.DB.prepare("select count(*) as n from account_tokens where user_id = ?").bind(account.id).first("n")).toBe(0);
  });

  it("refuses a client (403) and creates nothing", async () => {
    const client = await register();
    const before = await env.DB.prepare("select count(*) as n from users where kind = 'service'").first("n");
    const res = await call("/ops/service-accounts", { method: "POST", as: client.as, json: { name: "Mine", scopes: ["requests:read"] } });
    expect(res.status).toBe(403);
    expect(await env.DB.prepare("select count(*) as n from users where kind = 'service'").first("n")).toBe(before);
  });

  it("lets ops revoke anyone's key, and refuses a client doing so (403)", async () => {
    const ops = await registerAs("ops");
    const owner = await register();
    const created = await createKey(owner.as);
    expect((await call(`/ops/api-keys/${created.id}`, { method: "DELETE", as: owner.as })).status).toBe(403);
    expect((await call(`/ops/api-keys/${created.id}`, { method: "DELETE", as: ops.as })).status).toBe(204);
    expect(await exports.IdentityApi.apiKey(created.key)).toBeNull();
    const detail = await env.DB.prepare("select detail from security_events where user_id = ? and kind = 'api-key-revoked'").bind(owner.user.id).first("detail");
    expect(detail).toContain(`by ${ops.user.id}`);
  });
});

/** A service account made by ops, parsed with the answer's schema. */
async function serviceAccount(as: AsCaller, name = "Importer", scopes = ["requests:write"]) {
  const res = await call("/ops/service-accounts", { method: "POST", as, json: { name, scopes } });
  if (res.status !== 201) throw new Error(`service account: ${res.status} ${await res.text()}`);
  return z.object({ account: ServiceAccount, key: CreatedApiKey }).parse(await res.json());
}
const serviceKey = (as: AsCaller, accountId: string, json: unknown) => call(`/ops/service-accounts/${accountId}/api-keys`, { method: "POST", as, json });
async function serviceAccounts(as: AsCaller, query = "") {
  const res = await call(`/ops/service-accounts${query}`, { as });
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toContain("no-store");
  return ServiceAccounts.parse(await res.json());
}

describe("GET /ops/service-accounts", () => {
  it("lists service accounts newest first with their keys, page by page, and no person's account", async () => {
    const ops = await registerAs("ops");
    const person = await register();
    await createKey(person.as);
    const made: Awaited<ReturnType<typeof serviceAccount>>[] = [];
    for (const name of ["First", "Second", "Third"]) made.push(await serviceAccount(ops.as, name, ["requests:read", "requests:write"]));
    const [first, , third] = made;
    if (!first || !third) throw new Error("no accounts");
    expect((await call(`/ops/api-keys/${first.key.id}`, { method: "DELETE", as: ops.as })).status).toBe(204);

    const seen = [];
    let before: string | null = "";
    while (before !== null) {
      const page = await serviceAccounts(ops.as, `?limit=2${before ? `&before=${before}` : ""}`);
      expect(page.accounts.length).toBeLessThanOrEqual(2);
      seen.push(...page.accounts);
      before = page.next;
    }
    // Other tests of this file made service accounts too: ours are in it, newest first, and no one else's kind.
    const ours = seen.filter((a) => made.some((m) => m.account.id === a.id));
    expect(ours.map((a) => a.name)).toEqual(["Third", "Second", "First"]);
    expect(seen.every((a) => a.kind === "service")).toBe(true);
    expect(seen.map((a) => a.id)).not.toContain(person.user.id);
    expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);
    // Each with its keys as its owner would see them (the revoked one too), never the key or its hash.
    expect(ours.find((a) => a.id === third.account.id)?.keys).toEqual([{ id: third.key.id, name: "Third", prefix: third.key.prefix, scopes: ["requests:read", "requests:write"], createdAt: third.key.createdAt, lastUsedAt: null, expiresAt: null, revokedAt: null }]);
    expect(ours.find((a) => a.id === first.account.id)?.keys[0]?.revokedAt).toEqual(expect.any(String));
    const body = JSON.stringify(seen);
    for (const m of made) expect(body).not.toContain(m.key.key.slice(16));
    expect(body).not.toContain("key_hash");
  });

  it("reads a page through the users_kind_id index, in its order, with no sort of the accounts", async () => {
    const page = serviceAccountIds(database(env.DB), "usr_01KZZZZZZZZZZZZZZZZZZZZZZZ", 50).toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${page.sql}`)
      .bind(...page.params)
      .all<{ detail: string }>();
    const steps = results.map((r) => r.detail);
    expect(steps.join("\n")).toContain("USING COVERING INDEX users_kind_id");
    expect(steps.join("\n")).not.toContain("TEMP B-TREE");
  });

  it("answers the default page of 50, and refuses a limit or cursor out of bounds (400)", async () => {
    const ops = await registerAs("ops");
    await serviceAccount(ops.as);
    expect((await serviceAccounts(ops.as)).accounts.length).toBeGreaterThan(0);
    for (const query of ["?limit=0", "?limit=201", "?before=key_01JAAAAAAAAAAAAAAAAAAAAAAA", "?after=x"]) {
      expect((await call(`/ops/service-accounts${query}`, { as: ops.as })).status, query).toBe(400);
    }
  });

  it("refuses a client (403) and a call with a key (403)", async () => {
    const client = await register();
    expect((await call("/ops/service-accounts", { as: client.as })).status).toBe(403);
    const ops = await registerAs("ops");
    const res = await call("/ops/service-accounts", { as: ops.as, headers: { [API_KEY_ID_HEADER]: "key_01JAAAAAAAAAAAAAAAAAAAAAAA" } });
    expect(res.status).toBe(403);
    expect((await res.json<Problem>()).type).toBe("/problems/insufficient-scope");
  });
});

describe("POST /ops/service-accounts/:id/api-keys", () => {
  it("gives a service account another key that acts as it, recorded as a security event and in the audit trail", async () => {
    const ops = await registerAs("ops");
    const { account, key: firstKey } = await serviceAccount(ops.as, "Nightly importer", ["requests:write"]);
    const res = await serviceKey(ops.as, account.id, { name: "Rotated", scopes: ["requests:read", "requests:write"], expiresAt: "2099-01-01T00:00:00Z" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const created = CreatedApiKey.parse(await res.json());
    expect(created).toMatchObject({ name: "Rotated", prefix: created.key.slice(0, 16), scopes: ["requests:read", "requests:write"], expiresAt: "2099-01-01T00:00:00.000Z", revokedAt: null });
    expect(await exports.IdentityApi.apiKey(created.key)).toEqual({ userId: account.id, role: "client", keyId: created.id, scopes: ["requests:read", "requests:write"] });
    // Rotating: the first key revoked, the new one still works.
    expect((await call(`/ops/api-keys/${firstKey.id}`, { method: "DELETE", as: ops.as })).status).toBe(204);
    expect(await exports.IdentityApi.apiKey(firstKey.key)).toBeNull();
    expect(await exports.IdentityApi.apiKey(created.key)).not.toBeNull();
    const [listed] = (await serviceAccounts(ops.as)).accounts.filter((a) => a.id === account.id);
    expect(listed?.keys.map((k) => [k.id, k.revokedAt === null])).toEqual([
      [created.id, true],
      [firstKey.id, false],
    ]);
    const detail = await env.DB.prepare("select detail from security_events where user_id = ? and kind = 'api-key-created' and detail like ?").bind(account.id, `${created.id}%`).first("detail");
    expect(detail).toBe(`${created.id} ${created.prefix} requests:read,requests:write by ${ops.user.id}`);
    const audit = (await outboxRows("audit.recorded")).map((r) => JSON.parse(r.body) as { data: { action: string; actor: { id: string; role: string }; target: { type: string; id: string }; change: Record<string, unknown> } });
    expect(audit.find((e) => e.data.action === "account.service-key-created" && e.data.target.id === account.id)?.data).toEqual({
      action: "account.service-key-created",
      actor: { id: ops.user.id, role: "ops" },
      target: { type: "user", id: account.id },
      change: { name: "Rotated", keyId: created.id, prefix: created.prefix, scopes: ["requests:read", "requests:write"] },
    });
  });

  it("answers 404 for a person's account and an unknown one, making no key", async () => {
    const ops = await registerAs("ops");
    const person = await register();
    for (const id of [person.user.id, ops.user.id, "usr_01JAAAAAAAAAAAAAAAAAAAAAAA"]) {
      expect((await serviceKey(ops.as, id, { name: "x", scopes: ["requests:read"] })).status, id).toBe(404);
    }
    expect(await list(person.as)).toEqual([]);
    expect((await serviceKey(ops.as, "nope", { name: "x", scopes: ["requests:read"] })).status).toBe(400);
  });

  it("refuses a client (403) and a call with a key (403), making no key", async () => {
    const ops = await registerAs("ops");
    const client = await register();
    const { account } = await serviceAccount(ops.as);
    expect((await serviceKey(client.as, account.id, { name: "x", scopes: ["requests:read"] })).status).toBe(403);
    const res = await call(`/ops/service-accounts/${account.id}/api-keys`, { method: "POST", as: ops.as, headers: { [API_KEY_ID_HEADER]: "key_01JAAAAAAAAAAAAAAAAAAAAAAA" }, json: { name: "x", scopes: ["requests:read"] } });
    expect(res.status).toBe(403);
    const [listed] = (await serviceAccounts(ops.as)).accounts.filter((a) => a.id === account.id);
    expect(listed?.keys).toHaveLength(1);
  });

  it("refuses a key past the live-key limit (409); a revoked one no longer counts", async () => {
    const ops = await registerAs("ops");
    const { account, key } = await serviceAccount(ops.as);
    for (let i = 1; i < 20; i++) expect((await serviceKey(ops.as, account.id, { name: `k${i}`, scopes: ["requests:read"] })).status).toBe(201);
    const res = await serviceKey(ops.as, account.id, { name: "one more", scopes: ["requests:read"] });
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).type).toBe("/problems/too-many-keys");
    expect((await call(`/ops/api-keys/${key.id}`, { method: "DELETE", as: ops.as })).status).toBe(204);
    expect((await serviceKey(ops.as, account.id, { name: "one more", scopes: ["requests:read"] })).status).toBe(201);
  });

  it("refuses a bad body (400 naming the field)", async () => {
    const ops = await registerAs("ops");
    const { account } = await serviceAccount(ops.as);
    const res = await serviceKey(ops.as, account.id, { name: "x", scopes: ["admin"] });
    expect(res.status).toBe(400);
    expect((await res.json<Problem>()).errors?.map((e) => e.field)).toContain("scopes.0");
  });
});

describe("what a key never does at identity", () => {
  it("refuses a call with a key on the password, the account's deletion and the sessions (403), and does nothing", async () => {
    const { as, input } = await register();
    const key = { [API_KEY_ID_HEADER]: "key_01JAAAAAAAAAAAAAAAAAAAAAAA" };
    for (const [path, method, json] of [
      ["/me/password", "PUT", { currentPassword: input.password, password: "another long passphrase here" }],
      ["/me", "DELETE", { password: input.password }],
      ["/me/sessions", "GET", undefined],
      ["/me/sessions", "DELETE", undefined],
    ] as const) {
      const res = await call(path, { method, as, headers: key, ...(json ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await call("/me", { as })).status).toBe(200);
    expect((await call("/sessions", { method: "POST", json: { email: input.email, password: input.password } })).status).toBe(201);
  });
});
