/**
 * Password hashing: PBKDF2-SHA256 (WebCrypto) over an HMAC-SHA256 of the password under a secret pepper, stored with
 * everything needed to check it again:
 *
 *     $pbkdf2-sha256$v=2,i=100000,p=<pepper id>$<salt, base64>$<hash, base64>
 *
 * The pepper (`PASSWORD_PEPPER`) is a secret of the worker, never in D1, so a leaked users table alone cannot be
 * guessed against. Its id is a fingerprint of it (the first 32 bits of an HMAC), which says which pepper made a hash
 * without revealing it; during a rotation `PASSWORD_PEPPER_PREVIOUS` still verifies the hashes the old one made.
 * The first version, `pbkdf2$<iterations>$<salt>$<hash>`, had no pepper: it still verifies, and the first successful
 * sign-in rewrites it in the current form (`upgradeIfNeeded`), as it does a hash of an older pepper or cost.
 */
import { fromBase64, toBase64 } from "@statex/shared/base64";
import { type Database, schema } from "@statex/shared/db";
import { hex } from "@statex/shared/hash";
import { optionalSecret } from "@statex/shared/secrets";
import { hmac } from "@statex/shared/tokens";
import { and, eq } from "drizzle-orm";

/**
 * Workers refuse PBKDF2 above 100,000 iterations in production, and wrangler dev does not: a cost above it would
 * pass every local test and break every sign-in once deployed. So it is our cost, and `pbkdf2` refuses more.
 */
export const MAX_ITERATIONS = 100_000;
export const ITERATIONS = MAX_ITERATIONS;
/** The current version of the stored form: 2 is peppered and NFKC-normalised. */
export const VERSION = 2;
const SALT_BYTES = 16;
const HASH_BITS = 256;

/** The worker's pepper secrets: the current one, and optionally the one before it (read by name). */
export type PepperEnv = { PASSWORD_PEPPER: string };

type Stored = { version: 1 | 2; iterations: number; pepperId: string | null; salt: Uint8Array<ArrayBuffer>; hash: Uint8Array<ArrayBuffer> };

const V1 = /^pbkdf2\$(\d{1,7})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;
const V2 = /^\$pbkdf2-sha256\$v=2,i=(\d{1,7}),p=([0-9a-f]{8})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** A stored hash's parameters, or null for anything malformed (which then never matches). */
function parse(stored: string): Stored | null {
  const v2 = V2.exec(stored);
  const v1 = v2 ? null : V1.exec(stored);
  const [iterations, pepperId, salt, hash] = v2 ? [v2[1], v2[2], v2[3], v2[4]] : v1 ? [v1[1], null, v1[2], v1[3]] : [];
  if (!iterations || !salt || !hash) return null;
  try {
    return { version: v2 ? 2 : 1, iterations: Number(iterations), pepperId: pepperId ?? null, salt: fromBase64(salt), hash: fromBase64(hash) };
  } catch {
    return null;
  }
}

/** The fingerprint that names a pepper in the hashes it made. */
export async function pepperId(secret: string): Promise<string> {
  return hex(await hmac(secret, "statex password pepper id")).slice(0, 8);
}

/** The peppers this worker can verify with, by id; the first is the current one. */
async function peppers(env: PepperEnv): Promise<Map<string, string>> {
  const secrets = [env.PASSWORD_PEPPER, optionalSecret(env, "PASSWORD_PEPPER_PREVIOUS")].filter((s): s is string => Boolean(s));
  return new Map(await Promise.all(secrets.map(async (s) => [await pepperId(s), s] as const)));
}

/** PBKDF2-SHA256; throws for a cost above what Workers allow in production, whatever the local runtime accepts. */
export async function pbkdf2(input: BufferSource, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1 to ${MAX_ITERATIONS} (Workers' limit), not ${iterations}`);
  }
  const key = await crypto.subtle.importKey("raw", input, "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS));
}

/** What PBKDF2 is given: version 1 the password's UTF-8; version 2 its HMAC under the pepper, after NFKC (NIST 800-63B). */
async function keyMaterial(password: string, pepper: string | null): Promise<BufferSource> {
  return pepper === null ? new TextEncoder().encode(password) : hmac(pepper, password.normalize("NFKC"));
}

/** A new salted, peppered hash of a password, in the current stored form. */
export async function hashPassword(env: PepperEnv, password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await pbkdf2(await keyMaterial(password, env.PASSWORD_PEPPER), salt, ITERATIONS);
  return `$pbkdf2-sha256$v=${VERSION},i=${ITERATIONS},p=${await pepperId(env.PASSWORD_PEPPER)}$${toBase64(salt)}$${toBase64(hash)}`;
}

const DECOY_SALT = new Uint8Array(new TextEncoder().encode("statex-decoy-salt"));

/**
 * Whether the password matches a stored hash, in constant time. `stored` undefined (no such account), malformed, or
 * made with a pepper this worker no longer has, still costs one full derivation and answers false, so the time of a
 * refusal does not tell an unknown email from a wrong password.
 */
export async function verifyPassword(env: PepperEnv, password: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored === undefined ? null : parse(stored);
  const pepper = parsed?.version === 2 && parsed.pepperId ? ((await peppers(env)).get(parsed.pepperId) ?? null) : null;
  const usable = parsed !== null && parsed.iterations <= MAX_ITERATIONS && (parsed.version === 1 || pepper !== null);
  if (!parsed || !usable) {
    await pbkdf2(await keyMaterial(password, env.PASSWORD_PEPPER), DECOY_SALT, ITERATIONS);
    return false;
  }
  const actual = await pbkdf2(await keyMaterial(password, pepper), parsed.salt, parsed.iterations);
  return actual.byteLength === parsed.hash.byteLength && crypto.subtle.timingSafeEqual(actual, parsed.hash);
}

/** Whether a stored hash was made otherwise than `hashPassword` makes one today (version, cost or pepper). */
export async function needsUpgrade(env: PepperEnv, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  return !parsed || parsed.version !== VERSION || parsed.iterations !== ITERATIONS || parsed.pepperId !== (await pepperId(env.PASSWORD_PEPPER));
}

/**
 * After a successful check of `password` against `stored`: rewrites the hash in the current form when it is older.
 * Only if it is still the hash that was checked, so a password changed meanwhile is never overwritten.
 */
export async function upgradeIfNeeded(env: PepperEnv, db: Database, userId: string, password: string, stored: string): Promise<boolean> {
  if (!(await needsUpgrade(env, stored))) return false;
  const { users } = schema;
  const result = await db
    .update(users)
    .set({ passwordHash: await hashPassword(env, password) })
    .where(and(eq(users.id, userId), eq(users.passwordHash, stored)))
    .run();
  return result.meta.changes > 0;
}
