// The gateway verifies access tokens on its own, as an attacker would probe it: forged, altered, expired, of another
// algorithm or key, or of a key retired past its grace.
import { env } from "cloudflare:workers";
import { type AccessClaims, type VerificationKey } from "@statex/shared/access-token";
import { toBase64Url } from "@statex/shared/base64";
import { SignJWT, calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAccessToken } from "../src/auth";
import { KeysUnavailable, VerificationKeys } from "../src/keys";
import { call } from "./call";

type Problem = { status: number; type: string };
type SignedIn = { accessToken: string; refreshToken: string; expiresIn: number; user: { id: string } };

let ipSeq = 0;
/** A client address of its own per call, so the submission limit (sign-ins count against it) is never reached. */
const ip = () => `198.18.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip(), ...headers }, body: JSON.stringify(body) });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** A new account, signed in as an API client (registration itself signs no one in). */
async function registered(): Promise<SignedIn & { email: string }> {
  const email = `probe-${crypto.randomUUID()}@example.com`;
  expect((await call("/api/users", json({ email, name: "Probe", password: "correct horse battery" }))).status).toBe(202);
  const res = await call("/api/sessions", json({ email, password: "correct horse battery" }));
  expect(res.status).toBe(201);
  return { ...(await res.json<SignedIn>()), email };
}

type TestKey = { kid: string; privateKey: CryptoKey; publicKey: CryptoKey };

/** A key pair of the test's own, put in identity's table as a retired key verifying until `verifyUntil` (or nowhere). */
async function testKey(verifyUntil?: number): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  if (verifyUntil !== undefined) {
    await env.DB.prepare("insert into signing_keys (kid, alg, public_jwk, sealed_private_jwk, status, retired_at, verify_until) values (?, 'ES256', ?, 'not-needed', 'retired', ?, ?)")
      .bind(kid, JSON.stringify({ ...jwk, kid, alg: "ES256", use: "sig" }), new Date().toISOString(), new Date(verifyUntil).toISOString())
      .run();
  }
  return { kid, privateKey, publicKey };
}

const minutes = (n: number) => n * 60;
const nowS = () => Math.floor(Date.now() / 1000);

/** A token signed with `key`; every part can be changed to what an attacker would try. */
function forge(key: TestKey, claims: Partial<AccessClaims> & Record<string, unknown>, opts: { iat?: number; exp?: number; iss?: string; aud?: string; typ?: string; kid?: string } = {}) {
  const iat = opts.iat ?? nowS();
  return new SignJWT({ role: "client", sid: "ses_01ARZ3NDEKTSV4RRFFQ69G5FAV", ...claims })
    .setProtectedHeader({ alg: "ES256", kid: opts.kid ?? key.kid, typ: opts.typ ?? "at+jwt" })
    .setIssuer(opts.iss ?? "statex-identity")
    .setAudience(opts.aud ?? "statex-api")
    .setIssuedAt(iat)
    .setExpirationTime(opts.exp ?? iat + minutes(15))
    .sign(key.privateKey);
}

const b64json = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

async function expectInvalidToken(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(await res.json<Problem>()).toMatchObject({ status: 401, type: "/problems/invalid-token" });
}

let inGrace: TestKey;
let pastGrace: TestKey;
let user: SignedIn & { email: string };

beforeAll(async () => {
  // Before the gateway's first look at the key set in this isolate, so it is in the set it fetches.
  inGrace = await testKey(Date.now() + 3_600_000);
  pastGrace = await testKey(Date.now() - 60_000);
  user = await registered();
});

describe("access tokens at the gateway", () => {
  it("accepts identity's token with no call to identity per request, and forwards the caller and the session", async () => {
    const me = await call("/api/me", bearer(user.accessToken));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { id: user.user.id } });
    const sessions = await call("/api/me/sessions", bearer(user.accessToken));
    expect((await sessions.json<{ sessions: { current: boolean }[] }>()).sessions).toEqual([expect.objectContaining({ current: true })]);
    // A token the test signed with a key identity publishes is as good: the check is the signature, not a lookup.
    expect((await call("/api/me", bearer(await forge(inGrace, { sub: user.user.id })))).status).toBe(200);
  });

  it("refuses altered, forged, expired, other-algorithm and unknown-key tokens with 401 invalid_token", async () => {
    const [header, payload, signature] = user.accessToken.split(".");
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob((payload ?? "").replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0)))) as Record<string, unknown>;
    const realKid = (JSON.parse(atob((header ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { kid: string }).kid;
    const jwks = await (await call("/api/.well-known/jwks.json")).json<{ keys: { kid: string }[] }>();
    const publicJwk = jwks.keys.find((k) => k.kid === realKid);
    const stranger = await testKey();
    // The public key as an attacker finds it, used as an HMAC secret (the classic alg confusion).
    const hmacWith = async (secret: string) => {
      const signingInput = `${b64json({ alg: "HS256", kid: realKid, typ: "at+jwt" })}.${b64json({ ...claims, role: "admin" })}`;
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return `${signingInput}.${toBase64Url(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(signingInput)))}`;
    };
    const sub = user.user.id;
    const forged: [string, string][] = [
      ["its payload changed (role: admin)", `${header}.${b64json({ ...claims, role: "admin" })}.${signature}`],
      ["its signature changed", `${header}.${payload}.${(signature ?? "").slice(0, -4)}AAAA`],
      ["alg none", `${b64json({ alg: "none", kid: realKid, typ: "at+jwt" })}.${b64json({ ...claims, role: "admin" })}.`],
      ["HS256 keyed with the public key (PEM)", await hmacWith(await exportSPKI(inGrace.publicKey))],
      ["HS256 keyed with the public key (JWK)", await hmacWith(JSON.stringify(publicJwk))],
      ["a kid nobody published", await forge(stranger, { sub })],
      ["no kid", `${b64json({ alg: "ES256", typ: "at+jwt" })}.${payload}.${signature}`],
      ["a key retired past its grace", await forge(pastGrace, { sub })],
      ["expired", await forge(inGrace, { sub }, { iat: nowS() - minutes(20), exp: nowS() - minutes(5) })],
      ["a life longer than 15 minutes, past 15", await forge(inGrace, { sub }, { iat: nowS() - minutes(16), exp: nowS() + minutes(60 * 24) })],
      ["another issuer", await forge(inGrace, { sub }, { iss: "https://evil.example" })],
      ["another audience", await forge(inGrace, { sub }, { aud: "statex-admin" })],
      ["another type (an ID token)", await forge(inGrace, { sub }, { typ: "JWT" })],
      ["no session", await forge(inGrace, { sub, sid: undefined })],
      ["a role that does not exist", await forge(inGrace, { sub, role: "root" as AccessClaims["role"] })],
    ];
    for (const [label, token] of forged) {
      const res = await call("/api/me", bearer(token));
      if (res.status !== 401) throw new Error(`${label}: ${res.status}`);
      await expectInvalidToken(res);
      // Public routes too: the client learns its token is bad rather than acting anonymously.
      await expectInvalidToken(await call("/api/pages", bearer(token)));
    }
  });

  it("stops honouring a retired key at its verify_until, even from the key set held in memory", async () => {
    const until = Date.now() + 5 * 60_000;
    const closing = await testKey(until);
    const iat = nowS();
    const token = await forge(closing, { sub: user.user.id }, { iat, exp: iat + minutes(15) });
    // Fetched for its unknown kid (identity publishes it with its verify_until), once the last such fetch (the
    // tests above made one) is further back than the gateway's least interval between two.
    expect(await verifyAccessToken(env, token, new Date(Date.now() + 11_000))).toMatchObject({ userId: user.user.id });
    expect(await verifyAccessToken(env, token, new Date(until - 1))).toMatchObject({ userId: user.user.id });
    expect(await verifyAccessToken(env, token, new Date(until))).toBeNull();
  });

  it("serves the public keys at /api/.well-known/jwks.json", async () => {
    const res = await call("/api/.well-known/jwks.json");
    expect(res.status).toBe(200);
    const { keys } = await res.json<{ keys: Record<string, string>[] }>();
    expect(keys.map((k) => k.kid)).toContain(inGrace.kid);
    expect(keys.map((k) => k.kid)).not.toContain(pastGrace.kid);
    for (const k of keys) expect(k).not.toHaveProperty("d");
  });
});

describe("sessions through the gateway", () => {
  it("refreshes once per refresh token; a spent one, past the newest, ends the session", async () => {
    const me = await registered();
    const res = await call("/api/sessions/refresh", json({ refreshToken: me.refreshToken }));
    expect(res.status).toBe(200);
    const next = await res.json<SignedIn>();
    expect((await call("/api/me", bearer(next.accessToken))).status).toBe(200);
    const newest = await (await call("/api/sessions/refresh", json({ refreshToken: next.refreshToken }))).json<SignedIn>();
    // The first token is spent and no longer the latest spent (no lost answer can explain it): reuse, the session ends.
    expect((await call("/api/sessions/refresh", json({ refreshToken: me.refreshToken }))).status).toBe(401);
    expect((await call("/api/sessions/refresh", json({ refreshToken: newest.refreshToken }))).status).toBe(401);
    // The access token it had still works until it expires: the gateway asks no one about sessions.
    expect((await call("/api/me", bearer(next.accessToken))).status).toBe(200);
  });

  it("passes the site's cookie through: set on sign-in from the site's origin, read on refresh", async () => {
    const origin = "http://127.0.0.1:8788";
    const signedIn = await call("/api/sessions", json({ email: user.email, password: "correct horse battery" }, { origin }));
    expect(signedIn.status).toBe(201);
    expect(await signedIn.json()).not.toHaveProperty("refreshToken");
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^statex-refresh=/);
    const refreshed = await call("/api/sessions/refresh", json({}, { origin, cookie }));
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get("set-cookie")).toMatch(/^statex-refresh=.+; Path=\/api\/sessions; HttpOnly; SameSite=Strict$/);
    expect((await call("/api/sessions/refresh", json({}, { origin: "https://evil.example", cookie }))).status).toBe(403);
  });

  it("signs out the session of the access token, whatever session header the client adds", async () => {
    const a = await registered();
    const b = await (await call("/api/sessions", json({ email: a.email, password: "correct horse battery" }))).json<SignedIn>();
    const bSession = (JSON.parse(atob((b.accessToken.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { sid: string }).sid;
    const out = await call("/api/sessions/current", { method: "DELETE", headers: { authorization: `Bearer ${a.accessToken}`, "x-statex-user-session": bSession } });
    expect(out.status).toBe(204);
    expect((await call("/api/sessions/refresh", json({ refreshToken: a.refreshToken }))).status).toBe(401);
    expect((await call("/api/sessions/refresh", json({ refreshToken: b.refreshToken }))).status).toBe(200);
  });

  it("lets a user end their own sessions only", async () => {
    const owner = await registered();
    const other = await registered();
    const otherSession = (await (await call("/api/me/sessions", bearer(other.accessToken))).json<{ sessions: { id: string }[] }>()).sessions[0]?.id ?? "";
    expect((await call(`/api/me/sessions/${otherSession}`, { method: "DELETE", ...bearer(owner.accessToken) })).status).toBe(404);
    expect((await call(`/api/me/sessions/${otherSession}`, { method: "DELETE" })).status).toBe(401);
    expect((await call("/api/sessions/refresh", json({ refreshToken: other.refreshToken }))).status).toBe(200);
  });

  it("refuses an oversized refresh body with 413 before identity reads it whole", async () => {
    const res = await call("/api/sessions/refresh", json({ refreshToken: "x".repeat(10_000) }));
    expect(res.status).toBe(413);
  });
});

describe("the key set held in memory", () => {
  const key = async (): Promise<VerificationKey> => {
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return { jwk: { kty: "EC", crv: "P-256", x: jwk.x ?? "", y: jwk.y ?? "", kid, alg: "ES256", use: "sig" }, verifyUntil: null };
  };
  const options = { maxAgeMs: 300_000, unknownKidEveryMs: 10_000 };

  it("lets garbage kids cause one fetch per interval at most, however many arrive", async () => {
    const known = await key();
    let fetches = 0;
    const set = new VerificationKeys(async () => {
      fetches++;
      return [known];
    }, options);
    const t = 1_000_000;
    expect(await set.key(known.jwk.kid, t)).not.toBeNull();
    expect(fetches).toBe(1);
    const garbage = await Promise.all(Array.from({ length: 200 }, (_, i) => set.key(`garbage-${i}`, t + 1)));
    expect(garbage.every((k) => k === null)).toBe(true);
    expect(fetches).toBe(2);
    for (let i = 0; i < 50; i++) await set.key(`more-garbage-${i}`, t + 5_000);
    expect(fetches).toBe(2);
    await set.key("garbage-later", t + 1 + options.unknownKidEveryMs);
    expect(fetches).toBe(3);
    // Known kids cost nothing until the set is old.
    for (let i = 0; i < 50; i++) await set.key(known.jwk.kid, t + 60_000);
    expect(fetches).toBe(3);
    await set.key(known.jwk.kid, t + 1 + options.unknownKidEveryMs + options.maxAgeMs);
    expect(fetches).toBe(4);
  });

  it("learns a new key when a token names it, and keeps the keys it holds when identity cannot be reached", async () => {
    const first = await key();
    const second = await key();
    let published = [first];
    let down = false;
    const set = new VerificationKeys(async () => {
      if (down) throw new Error("identity unreachable");
      return published;
    }, options);
    await set.key(first.jwk.kid, 0);
    published = [first, second];
    expect(await set.key(second.jwk.kid, 20_000)).not.toBeNull();
    down = true;
    expect(await set.key(first.jwk.kid, 20_000 + options.maxAgeMs)).not.toBeNull();
    expect(await set.key(second.jwk.kid, 20_000 + options.maxAgeMs + 1)).not.toBeNull();
  });

  it("cannot judge any token while no key was ever fetched", async () => {
    const set = new VerificationKeys(() => Promise.reject(new Error("identity unreachable")), options);
    await expect(set.key("any", 0)).rejects.toBeInstanceOf(KeysUnavailable);
  });
});
