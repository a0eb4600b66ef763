import { env, exports } from "cloudflare:workers";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "@statex/shared/access-token";
import { Jwks, RotatedKeys } from "@statex/shared/api/identity";
import { database } from "@statex/shared/db";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { PUBLISH_BEFORE_SIGNING_MS, RETIRED_KEY_GRACE_MS, purgeRetiredKeys, rotateSigningKey, signingKey, verificationKeys } from "../src/signing-keys";
import { call, register, registerAs } from "./helpers";

type Problem = { status: number; errors?: { field: string }[] };
const db = () => database(env.DB);
const secret = () => env.SIGNING_KEY_SECRET;
const kids = async (now: Date) => (await verificationKeys(db(), secret(), now)).map((k) => k.jwk.kid);

describe("access tokens", () => {
  it("are ES256 JWTs with a kid, fixed issuer and audience, the user, role and session, for 15 minutes, verified by the published keys", async () => {
    const { accessToken, as, user } = await register();
    const header = decodeProtectedHeader(accessToken);
    expect(header).toEqual({ alg: "ES256", kid: expect.any(String), typ: "at+jwt" });

    const res = await call("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const jwks = Jwks.parse(await res.json());
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    // Public halves only.
    for (const k of jwks.keys) expect(Object.keys(k).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);

    const { payload } = await jwtVerify(accessToken, createLocalJWKSet({ keys: jwks.keys }), { issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, algorithms: ["ES256"] });
    expect(payload).toMatchObject({ sub: user.id, role: "client", sid: as.sessionId });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(900);
  });

  it("are signed with a private key kept sealed: the database alone does not hold it", async () => {
    await register();
    const rows = await env.DB.prepare("select kid, public_jwk, sealed_private_jwk from signing_keys").all<{ kid: string; public_jwk: string; sealed_private_jwk: string }>();
    expect(rows.results.length).toBeGreaterThan(0);
    for (const row of rows.results) {
      expect(row.sealed_private_jwk).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(row.sealed_private_jwk).not.toContain('"d"');
      expect(JSON.parse(row.public_jwk)).not.toHaveProperty("d");
    }
    // Under another secret nothing opens (the key cache is per kid, so a kid this isolate never unsealed).
    const other = await rotateSigningKey(db(), secret(), true, new Date(Date.now() + 1_000));
    await expect(signingKey(db(), "not-the-secret", new Date(Date.now() + 2_000))).rejects.toThrow();
    expect(other.kid).toBeTruthy();
  });
});

describe("signing key rotation", () => {
  it("publishes the new key before it signs, then retires the old one, which verifies through its grace only", async () => {
    const t0 = new Date(Date.now() + 3_600_000);
    const before = await signingKey(db(), secret(), t0);
    const { kid: next } = await rotateSigningKey(db(), secret(), false, t0);
    expect(next).not.toBe(before.kid);

    // Published at once, not yet signing: a verifier that fetched the key set now already knows it.
    expect(await kids(t0)).toEqual(expect.arrayContaining([before.kid, next]));
    expect((await signingKey(db(), secret(), new Date(t0.getTime() + PUBLISH_BEFORE_SIGNING_MS - 1))).kid).toBe(before.kid);

    // A minute on, the new key signs and the old one is retired with its grace.
    const t1 = new Date(t0.getTime() + PUBLISH_BEFORE_SIGNING_MS);
    expect((await signingKey(db(), secret(), t1)).kid).toBe(next);
    const retired = await env.DB.prepare("select status, verify_until from signing_keys where kid = ?").bind(before.kid).first<{ status: string; verify_until: string }>();
    expect(retired).toEqual({ status: "retired", verify_until: new Date(t1.getTime() + RETIRED_KEY_GRACE_MS).toISOString() });
    expect(RETIRED_KEY_GRACE_MS).toBeGreaterThan(15 * 60_000);

    // Verifies through its grace, with the moment it stops; then not at all, and the cron's purge removes it.
    const during = await verificationKeys(db(), secret(), new Date(t1.getTime() + RETIRED_KEY_GRACE_MS - 1));
    expect(during.find((k) => k.jwk.kid === before.kid)?.verifyUntil).toBe(t1.getTime() + RETIRED_KEY_GRACE_MS);
    const after = new Date(t1.getTime() + RETIRED_KEY_GRACE_MS);
    expect(await kids(after)).toEqual([next]);
    expect(await purgeRetiredKeys(db(), after)).toBeGreaterThanOrEqual(1);
    expect(await env.DB.prepare("select kid from signing_keys where kid = ?").bind(before.kid).first()).toBeNull();
  });

  it("retires every older key at once when a key leaked", async () => {
    const t0 = new Date(Date.now() + 7_200_000);
    const old = await signingKey(db(), secret(), t0);
    const { kid, keys } = await rotateSigningKey(db(), secret(), true, t0);
    expect(keys.find((k) => k.kid === old.kid)).toMatchObject({ status: "retired", verifyUntil: t0.toISOString() });
    expect(await kids(t0)).toEqual([kid]);
    // No other active key is left, so the new one signs at once.
    expect((await signingKey(db(), secret(), t0)).kid).toBe(kid);
  });

  it("gives the gateway the keys over RPC, and is an ops route with a validated body", async () => {
    const keys = await exports.IdentityApi.jwks();
    expect(keys.length).toBeGreaterThan(0);

    const client = await register();
    const rotate = (init: Parameters<typeof call>[1]) => call("/signing-keys/rotate", { method: "POST", ...init });
    expect((await rotate({ json: {} })).status).toBe(401);
    expect((await rotate({ json: {}, as: client.as })).status).toBe(403);
    const { as: ops } = await registerAs("ops");
    const count = async () => (await env.DB.prepare("select count(*) as n from signing_keys").first<{ n: number }>())?.n;
    const before = await count();
    for (const [res, status, field] of [
      [await rotate({ as: ops, headers: { "content-type": "application/json" }, body: JSON.stringify({ pad: "x".repeat(2_000) }) }), 413, "body"],
      [await rotate({ as: ops, headers: { "content-type": "text/plain" }, body: "{}" }), 415, "content-type"],
      [await rotate({ as: ops, json: { immediately: "yes" } }), 400, "immediately"],
      [await rotate({ as: ops, headers: { "content-type": "application/json" }, body: "{" }), 400, "body"],
    ] as const) {
      expect(res.status).toBe(status);
      expect((await res.json<Problem>()).errors?.map((e) => e.field)).toContain(field);
    }
    expect(await count()).toBe(before);
    const rotated = await rotate({ as: ops, json: {} });
    expect(rotated.status).toBe(201);
    const { kid, keys: now } = RotatedKeys.parse(await rotated.json());
    expect(now.find((k) => k.kid === kid)?.status).toBe("active");
    expect(await count()).toBe((before ?? 0) + 1);
  });
});
