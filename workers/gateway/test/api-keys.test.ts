// API keys at the gateway: `Authorization: Bearer sx_…` checked by identity, the row's scopes, the key acting as its
// owner with a client's reach, its own rate limit.
import { env } from "cloudflare:workers";
import { API_KEY_ID_HEADER, API_KEY_PATTERN, API_KEY_SCOPES_HEADER, API_SCOPES, USER_ID_HEADER, USER_ROLE_HEADER } from "@statex/shared/auth";
import { routes } from "../src/routes";
import { beforeAll, describe, expect, it } from "vitest";
import { LIMIT_TEST_MS, call, exhaustLimit, opsHeaders } from "./call";
import { clientIp, jsonInit, signedUp } from "./clients";

type Problem = { status: number; type: string; detail: string };
type Created = { id: string; prefix: string; scopes: string[]; key: string };
type Person = Awaited<ReturnType<typeof signedUp>>;

async function createKey(who: { authorization: string }, scopes: string[], extra: Record<string, unknown> = {}): Promise<Created & { authorization: string }> {
  const res = await call("/api/me/api-keys", jsonInit({ name: "integration", scopes, ...extra }, { authorization: who.authorization }));
  expect(res.status).toBe(201);
  const created = await res.json<Created>();
  return { ...created, authorization: `Bearer ${created.key}` };
}

const submission = { name: "Ada", email: "ada@example.com", text: "We need a booking website for our clinic." };

async function submit(who: { authorization: string }): Promise<string> {
  const res = await call("/api/requests", jsonInit(submission, { authorization: who.authorization }));
  expect(res.status).toBe(202);
  return (await res.json<{ id: string }>()).id;
}

const get = (path: string, who: { authorization: string }, headers: Record<string, string> = {}) => call(path, { headers: { authorization: who.authorization, "cf-connecting-ip": clientIp(), ...headers } });

describe("a key acting as its owner", () => {
  let owner: Person;
  let other: Person;
  let writer: Created & { authorization: string };
  let reader: Created & { authorization: string };

  beforeAll(async () => {
    owner = await signedUp("key-owner");
    other = await signedUp("key-other");
    writer = await createKey(owner, ["requests:write"]);
    reader = await createKey(owner, ["requests:read"]);
  });

  it("submits a request that belongs to the key's owner, and reads it back with a read key", async () => {
    expect(writer.key).toMatch(API_KEY_PATTERN);
    const id = await submit(writer);
    const row = await env.DB.prepare("select user_id from requests where id = ?").bind(id).first<{ user_id: string | null }>();
    expect(row?.user_id).toBe(owner.user.id);
    const read = await get(`/api/requests/${id}`, reader);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id });
    // The owner's dashboard list, as the key reads it.
    const mine = await get("/api/me/requests", reader);
    expect(mine.status).toBe(200);
    expect(JSON.stringify(await mine.json())).toContain(id);
  });

  it("refuses a route outside the key's scopes (403 insufficient-scope, naming the scope it needs)", async () => {
    const id = await submit(owner);
    const res = await get(`/api/requests/${id}`, writer);
    expect(res.status).toBe(403);
    expect((await res.json<Problem>()).type).toBe("/problems/insufficient-scope");
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="requests:read"');
    const write = await call("/api/requests", jsonInit(submission, { authorization: reader.authorization }));
    expect(write.status).toBe(403);
    // What no key may do, whatever its scopes: its owner's account, sessions and keys, and public rows that name none.
    for (const [path, init] of [
      ["/api/me", {}],
      ["/api/me/sessions", {}],
      ["/api/me/api-keys", {}],
      ["/api/me/api-keys", jsonInit({ name: "more", scopes: ["requests:read"] })],
      ["/api/me/password", jsonInit({ currentPassword: "correct horse battery", password: "a whole new passphrase" }, {}, "PUT")],
      ["/api/pages", {}],
    ] as const) {
      const headers = new Headers((init as RequestInit).headers);
      headers.set("authorization", reader.authorization);
      const refused = await call(path, { ...init, headers });
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
    }
  });

  it("answers 404 for another client's request, as for an unknown one", async () => {
    const theirs = await submit(other);
    for (const [path, init] of [
      [`/api/requests/${theirs}`, {}],
      [`/api/requests/${theirs}/tasks/nlp/result`, {}],
      [`/api/requests/${theirs}/notifications`, {}],
    ] as const) {
      const res = await call(path, { ...init, headers: { authorization: reader.authorization } });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const cancel = await call(`/api/requests/${theirs}/cancel`, { method: "POST", headers: { authorization: writer.authorization } });
    expect(cancel.status).toBe(404);
  });

  it("gives an ops person's key a client's reach: another's request is 404, ops routes 403", async () => {
    const ops = await signedUp("key-ops");
    await env.DB.prepare("update users set role = 'ops' where id = ?").bind(ops.user.id).run();
    // Signed in again, so the access token that creates the key carries the role.
    const opsSession = await call("/api/sessions", jsonInit({ email: ops.email, password: "correct horse battery" }));
    const opsAuth = { authorization: `Bearer ${(await opsSession.json<{ accessToken: string }>()).accessToken}` };
    const key = await createKey(opsAuth, ["requests:read", "requests:write"]);
    const theirs = await submit(other);
    expect((await get(`/api/requests/${theirs}`, key)).status).toBe(404);
    expect((await get(`/api/ops/users?email=${encodeURIComponent(other.email)}`, key)).status).toBe(403);
    expect((await get("/api/ops/audit", key)).status).toBe(403);
    // The same person at a session reads it, as ops may.
    expect((await get(`/api/ops/users?email=${encodeURIComponent(other.email)}`, opsAuth)).status).toBe(200);
  });

  it("drops a key id a client sends itself: only the gateway says a call came with a key", async () => {
    const res = await call("/api/me/api-keys", jsonInit({ name: "mine", scopes: ["requests:read"] }, { authorization: owner.authorization, "x-statex-api-key-id": "key_01JAAAAAAAAAAAAAAAAAAAAAAA" }));
    expect(res.status).toBe(201);
  });
});

describe("each owner's own check of a key's scopes", () => {
  // Straight to the owning worker, as if the gateway had been passed by: the worker refuses a key without one of the
  // row's scopes by itself (and any key on a route for people at a session), and lets the row's scope through.
  const rows = routes.filter((r) => r.scopes?.length || r.access === "signed-in" || r.access === "token");
  const keyHeaders = (scopes: readonly string[]) => ({
    [USER_ID_HEADER]: "usr_01KEYSCOPECHECK0000000000",
    [USER_ROLE_HEADER]: "client",
    [API_KEY_ID_HEADER]: "key_01KEYSCOPECHECK0000000000",
    [API_KEY_SCOPES_HEADER]: scopes.join(" "),
  });
  const direct = (row: (typeof rows)[number], scopes: readonly string[]) =>
    env[row.service].fetch(new Request(`https://internal${(row.target ?? row.path).replace(/:[A-Za-z]+/g, "x")}`, { method: row.method, headers: keyHeaders(scopes) }));

  it.each(rows.map((row) => [`${row.method} ${row.path}`, row] as const))("%s", async (_name, row) => {
    const others = API_SCOPES.filter((scope) => !row.scopes?.includes(scope));
    const refused = await direct(row, others);
    expect(refused.status).toBe(403);
    expect((await refused.json<Problem>()).type).toMatch(/insufficient-scope$/);
    for (const scope of row.scopes ?? []) {
      const allowed = await direct(row, [scope]);
      if (allowed.status === 403) expect((await allowed.json<Problem>()).type).not.toMatch(/insufficient-scope$/);
      else await allowed.body?.cancel();
    }
  });
});

describe("a key that is not (or no longer) good", () => {
  it("is refused with 401 invalid_token when revoked, expired or unknown, on public routes too", async () => {
    const owner = await signedUp("key-revoked");
    const revoked = await createKey(owner, ["requests:read", "requests:write"]);
    const expired = await createKey(owner, ["requests:read", "requests:write"], { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await get("/api/me/requests", revoked)).status).toBe(200);
    expect((await get("/api/me/requests", expired)).status).toBe(200);
    const gone = await call(`/api/me/api-keys/${revoked.id}`, { method: "DELETE", headers: { authorization: owner.authorization } });
    expect(gone.status).toBe(204);
    await env.DB.prepare("update api_keys set expires_at = ? where id = ?").bind(new Date(Date.now() - 1000).toISOString(), expired.id).run();
    const unknown = { authorization: `Bearer sx_test_${"Z".repeat(40)}` };
    for (const who of [revoked, expired, unknown]) {
      for (const [path, init] of [
        ["/api/me/requests", {}],
        ["/api/requests", jsonInit(submission)],
      ] as const) {
        const headers = new Headers((init as RequestInit).headers);
        headers.set("authorization", who.authorization);
        const res = await call(path, { ...init, headers });
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
        expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
        expect((await res.json<Problem>()).type).toBe("/problems/invalid-token");
      }
    }
    // The owner sees which were revoked and which used.
    const listed = await (await get("/api/me/api-keys", owner)).json<{ keys: { id: string; revokedAt: string | null; lastUsedAt: string | null }[] }>();
    expect(listed.keys.find((k) => k.id === revoked.id)).toMatchObject({ revokedAt: expect.any(String), lastUsedAt: expect.any(String) });
  });
});

describe("a key's own rate limit", () => {
  it("refuses a key past its limit (429) while another key of the same owner, and the network, go on", { timeout: LIMIT_TEST_MS }, async () => {
    const owner = await signedUp("key-limit");
    const busy = await createKey(owner, ["requests:read"]);
    const calm = await createKey(owner, ["requests:read"]);
    const ip = clientIp();
    await exhaustLimit(env.RATE_LIMIT_KEY, busy.id);
    const refused = await get("/api/me/requests", busy, { "cf-connecting-ip": ip });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await refused.json<Problem>()).detail).toContain("API key");
    expect((await get("/api/me/requests", calm, { "cf-connecting-ip": ip })).status).toBe(200);
    expect((await get("/api/me/requests", owner, { "cf-connecting-ip": ip })).status).toBe(200);
  });

  it("counts a key's submissions by the key, not the network it calls from", { timeout: LIMIT_TEST_MS }, async () => {
    const owner = await signedUp("key-submit-limit");
    const key = await createKey(owner, ["requests:write"]);
    const ip = clientIp();
    // The network's submission budget is spent; the key's is not.
    await exhaustLimit(env.RATE_LIMIT_SUBMIT, ip);
    expect((await call("/api/requests", jsonInit(submission, { authorization: key.authorization, "cf-connecting-ip": ip }))).status).toBe(202);
    await exhaustLimit(env.RATE_LIMIT_SUBMIT, `key:${key.id}`);
    expect((await call("/api/requests", jsonInit(submission, { authorization: key.authorization, "cf-connecting-ip": clientIp() }))).status).toBe(429);
  });
});

describe("made-up keys", () => {
  it("are refused by the network (429) once it has presented too many, before identity is asked, for the minute", { timeout: LIMIT_TEST_MS }, async () => {
    const ip = clientIp();
    const madeUp = (n: number) => ({ authorization: `Bearer sx_live_${String(n).padStart(40, "x")}` });
    expect((await get("/api/me/requests", madeUp(1), { "cf-connecting-ip": ip })).status).toBe(401);
    await exhaustLimit(env.RATE_LIMIT_API, `bad-key:${ip}`);
    for (const n of [2, 3]) expect((await get("/api/me/requests", madeUp(n), { "cf-connecting-ip": ip })).status).toBe(429);
    // Another network's made-up key is still told it is not valid.
    expect((await get("/api/me/requests", madeUp(4))).status).toBe(401);
  });
});

describe("service accounts", () => {
  it("are created by ops with a key that submits as the account, and refused to a client (403)", async () => {
    const client = await signedUp("key-client");
    expect((await call("/api/ops/service-accounts", jsonInit({ name: "Importer", scopes: ["requests:write"] }, { authorization: client.authorization }))).status).toBe(403);
    const res = await call("/api/ops/service-accounts", jsonInit({ name: "Importer", scopes: ["requests:write", "requests:read"] }, await opsHeaders()));
    expect(res.status).toBe(201);
    const { account, key } = await res.json<{ account: { id: string; kind: string }; key: Created }>();
    expect(account.kind).toBe("service");
    const id = await submit({ authorization: `Bearer ${key.key}` });
    expect(await env.DB.prepare("select user_id from requests where id = ?").bind(id).first("user_id")).toBe(account.id);
    // Ops revoke it at once, as for a leaked key.
    expect((await call(`/api/ops/api-keys/${key.id}`, { method: "DELETE", headers: await opsHeaders() })).status).toBe(204);
    expect((await get(`/api/requests/${id}`, { authorization: `Bearer ${key.key}` })).status).toBe(401);
  });
});
