/** Identifiers and secrets-derived tokens. */
import { toBase64Url } from "./base64";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID with a prefix (`req_01J…`): sorts by creation time, 80 random bits, safe in URLs.
 * Time-sorted ids keep D1 index inserts at the end of the b-tree and make logs readable.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (const b of bytes) rand += CROCKFORD[b % 32];
  return `${prefix}_${time}${rand}`;
}

/** Hex sha256 of a string. */
export async function sha256Hex(input: string | ArrayBuffer | Uint8Array): Promise<string> {
  const data = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Imported keys by secret, per isolate: the secret is fixed for a deployment, so importing it once is enough. */
const hmacKeys = new Map<string, Promise<CryptoKey>>();

async function hmac(secret: string, message: string): Promise<ArrayBuffer> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    // A failed import is not kept, so the next call tries again.
    void key.catch(() => hmacKeys.delete(secret));
    hmacKeys.set(secret, key);
  }
  return crypto.subtle.sign("HMAC", await key, new TextEncoder().encode(message));
}

/**
 * The token that lets whoever submitted a request read it without an account.
 * It is an HMAC of the request id, so intake (which answers the status URL) and
 * notify (which puts the link in emails) agree on it without storing or passing it.
 */
export async function statusToken(secret: string, requestId: string): Promise<string> {
  return toBase64Url(await hmac(secret, `status:${requestId}`));
}

/** Constant-time check of a status token. */
export async function verifyStatusToken(secret: string, requestId: string, token: string): Promise<boolean> {
  const expected = new TextEncoder().encode(await statusToken(secret, requestId));
  const given = new TextEncoder().encode(token);
  if (expected.length !== given.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= (expected[i] ?? 0) ^ (given[i] ?? 0);
  return diff === 0;
}
