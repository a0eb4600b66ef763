/**
 * Password hashing with PBKDF2-SHA256 from WebCrypto, stored as
 * `pbkdf2$<iterations>$<salt b64>$<hash b64>` so the cost can be raised later
 * without invalidating existing hashes (each hash says how it was made).
 */
import { fromBase64, toBase64 } from "@statex/shared/base64";

/** workerd refuses PBKDF2 above 100 000 iterations, so this is both the cap and our cost. */
export const ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
}

/** A new salted hash of a password, in the stored format. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2$${ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/**
 * Whether the password matches a stored hash. The comparison is constant-time;
 * a malformed stored value never matches (and never throws, so it cannot be told apart).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, saltText, hashText] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== "pbkdf2" || !saltText || !hashText || !Number.isInteger(iterations) || iterations < 1 || iterations > ITERATIONS) {
    return false;
  }
  let salt: Uint8Array<ArrayBuffer>;
  let expected: Uint8Array<ArrayBuffer>;
  try {
    salt = fromBase64(saltText);
    expected = fromBase64(hashText);
  } catch {
    return false;
  }
  const actual = new Uint8Array(await derive(password, salt, iterations));
  return actual.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(actual, expected);
}

/**
 * A well-formed hash of no one's password. Signing in with an unknown email
 * checks against it, so an unknown email costs the same time as a wrong password
 * and the answer's timing does not reveal which emails have accounts.
 */
export const DECOY_HASH = `pbkdf2$${ITERATIONS}$c3RhdGV4LWRlY295LXNhbHQ=$${"A".repeat(43)}=`;
