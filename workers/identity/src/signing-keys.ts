/**
 * The keys that sign access tokens (ES256), in D1: the public JWK in clear (it is served as the JWKS), the private
 * JWK sealed with AES-GCM under a key derived from `SIGNING_KEY_SECRET`, so a copy of the database signs nothing.
 *
 * Rotation: a new key is added as active; it starts signing once it has been published for `PUBLISH_BEFORE_SIGNING_MS`
 * (longer than the gateway waits between two fetches of the key set for an unknown kid, so no gateway can meet a
 * token of a key it was unable to learn), and the keys it replaces are then retired: they keep verifying until every
 * token they may have signed has expired (`verify_until`), then verify nothing and are removed.
 */
import { ACCESS_TOKEN_ALG, ACCESS_TOKEN_TTL_S, PublicJwk, type VerificationKey } from "@statex/shared/access-token";
import { type Database, schema } from "@statex/shared/db";
import { seal, unseal } from "@statex/shared/seal";
import { and, desc, eq, gt, inArray, lte, ne, or } from "drizzle-orm";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from "jose";
import { z } from "zod";

/** Longer than the gateway's least wait between two key-set fetches for an unknown kid (workers/gateway/src/keys.ts). */
export const PUBLISH_BEFORE_SIGNING_MS = 60_000;
/**
 * How long a retired key keeps verifying: the whole life of a token signed at the moment it was retired (a sign-in
 * racing the retirement in another isolate), and a margin for clocks.
 */
export const RETIRED_KEY_GRACE_MS = ACCESS_TOKEN_TTL_S * 1000 + 5 * 60_000;

/** What a sealed private key opens to. */
const PrivateJwk = z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string(), d: z.string() });

/** What the private keys are sealed for: the HKDF salt and info of their AES-GCM key (shared/src/seal.ts). */
const SEALED_FOR = { salt: "statex signing keys", info: "seal private jwk v1" };

/** The private JWK sealed under the secret; the kid is authenticated with it, so a sealed key moved to another row does not open. */
function sealJwk(secret: string, kid: string, privateJwk: object): Promise<string> {
  return seal(secret, SEALED_FOR, kid, JSON.stringify(privateJwk));
}

async function unsealJwk(secret: string, kid: string, sealed: string): Promise<CryptoKey> {
  const jwk = PrivateJwk.parse(JSON.parse(await unseal(secret, SEALED_FOR, kid, sealed)));
  return importJWK(jwk, ACCESS_TOKEN_ALG);
}

/** Makes a new active key; its kid is the RFC 7638 thumbprint of its public key. */
async function createKey(db: Database, secret: string, now: Date): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  const publicJwk = PublicJwk.parse({ ...exported, kid, alg: ACCESS_TOKEN_ALG, use: "sig" });
  await db.insert(schema.signingKeys).values({
    kid,
    alg: ACCESS_TOKEN_ALG,
    publicJwk: JSON.stringify(publicJwk),
    sealedPrivateJwk: await sealJwk(secret, kid, await exportJWK(privateKey)),
    status: "active",
    createdAt: now.toISOString(),
  });
  return kid;
}

const activeKeys = (db: Database) =>
  db.select({ kid: schema.signingKeys.kid, createdAt: schema.signingKeys.createdAt, sealed: schema.signingKeys.sealedPrivateJwk }).from(schema.signingKeys).where(eq(schema.signingKeys.status, "active")).orderBy(desc(schema.signingKeys.createdAt)).all();

/** Unsealed private keys by kid, per isolate: a kid's key never changes. */
const privateKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The key to sign with now: the newest active key published long enough, or the oldest active one while none is
 * (the first key, or two made at once by two isolates: both are in the key set); none at all makes the first.
 * Active keys older than the one chosen have been replaced: they are retired here, with their grace. Asked on every
 * sign-in and refresh (not per request), so a rotation applies at once in every isolate.
 */
export async function signingKey(db: Database, secret: string, now = new Date()): Promise<{ kid: string; key: CryptoKey }> {
  const at = now.getTime();
  const active = await activeKeys(db);
  const published = active.find((k) => Date.parse(k.createdAt) <= at - PUBLISH_BEFORE_SIGNING_MS) ?? active.at(-1);
  let kid: string;
  let sealed: string | undefined;
  if (!published) {
    kid = await createKey(db, secret, now);
  } else {
    ({ kid, sealed } = published);
    const replaced = active.filter((k) => k.createdAt < published.createdAt).map((k) => k.kid);
    if (replaced.length) {
      await db
        .update(schema.signingKeys)
        .set({ status: "retired", retiredAt: now.toISOString(), verifyUntil: new Date(at + RETIRED_KEY_GRACE_MS).toISOString() })
        .where(and(inArray(schema.signingKeys.kid, replaced), eq(schema.signingKeys.status, "active")));
    }
  }
  let key = privateKeys.get(kid);
  if (!key) {
    const row = sealed ?? (await db.select({ sealed: schema.signingKeys.sealedPrivateJwk }).from(schema.signingKeys).where(eq(schema.signingKeys.kid, kid)).get())?.sealed;
    if (!row) throw new Error(`signing key ${kid} is gone`);
    const signingKid = kid;
    key = unsealJwk(secret, signingKid, row);
    void key.catch(() => privateKeys.delete(signingKid));
    privateKeys.set(kid, key);
  }
  return { kid, key: await key };
}

/**
 * Every key that verifies access tokens now: the active ones (a new one is published before it signs) and the retired
 * ones still in their grace. With no key yet, the first is made, so the set the gateway learns is never empty.
 */
export async function verificationKeys(db: Database, secret: string, now = new Date()): Promise<VerificationKey[]> {
  const nowIso = now.toISOString();
  const read = () =>
    db
      .select({ publicJwk: schema.signingKeys.publicJwk, verifyUntil: schema.signingKeys.verifyUntil })
      .from(schema.signingKeys)
      .where(or(eq(schema.signingKeys.status, "active"), and(eq(schema.signingKeys.status, "retired"), gt(schema.signingKeys.verifyUntil, nowIso))))
      .orderBy(desc(schema.signingKeys.createdAt))
      .all();
  let rows = await read();
  if (!rows.length) {
    await createKey(db, secret, now);
    rows = await read();
  }
  return rows.map((r) => ({ jwk: PublicJwk.parse(JSON.parse(r.publicJwk)), verifyUntil: r.verifyUntil ? Date.parse(r.verifyUntil) : null }));
}

export type SigningKeyView = { kid: string; status: "active" | "retired"; createdAt: string; retiredAt: string | null; verifyUntil: string | null };

/**
 * Adds a new signing key (the rotation). Normally the keys it replaces retire once it signs, and verify through
 * their grace. `immediately` is for a key that leaked: every other key is unpublished now, and each gateway drops it
 * at its next fetch of the key set (within 5 minutes); then every access token already issued is refused and its
 * client refreshes (refresh tokens do not depend on signing keys).
 */
export async function rotateSigningKey(db: Database, secret: string, immediately: boolean, now = new Date()): Promise<{ kid: string; keys: SigningKeyView[] }> {
  const kid = await createKey(db, secret, now);
  if (immediately) {
    const nowIso = now.toISOString();
    await db
      .update(schema.signingKeys)
      .set({ status: "retired", retiredAt: nowIso, verifyUntil: nowIso })
      .where(and(ne(schema.signingKeys.kid, kid), or(eq(schema.signingKeys.status, "active"), gt(schema.signingKeys.verifyUntil, nowIso))));
  }
  const keys = await db
    .select({ kid: schema.signingKeys.kid, status: schema.signingKeys.status, createdAt: schema.signingKeys.createdAt, retiredAt: schema.signingKeys.retiredAt, verifyUntil: schema.signingKeys.verifyUntil })
    .from(schema.signingKeys)
    .orderBy(desc(schema.signingKeys.createdAt))
    .all();
  return { kid, keys };
}

/** Removes retired keys past their grace (the cron's housekeeping); they already verify nothing. */
export async function purgeRetiredKeys(db: Database, now = new Date()): Promise<number> {
  const result = await db
    .delete(schema.signingKeys)
    .where(and(eq(schema.signingKeys.status, "retired"), lte(schema.signingKeys.verifyUntil, now.toISOString())))
    .run();
  return result.meta.changes;
}
