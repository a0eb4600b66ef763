/**
 * Checking that a webhook comes from its provider, before anything is read from it. Every comparison is constant
 * time ({@link sameText}), so a forger learns nothing from how long a refusal took.
 *
 * - Resend signs as Svix does: `svix-id`, `svix-timestamp` (within 5 minutes of now, so an old delivery cannot be
 *   replayed) and `svix-signature`, a space-separated list of `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`;
 *   the key is the base64 after `whsec_` of the secret, or the secret's UTF-8 bytes when it has no such prefix.
 * - Meta signs WhatsApp's with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
 * - Telegram signs nothing: it sends back the secret_token given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`.
 */
import { fromBase64, toBase64 } from "@statex/shared/base64";
import { hex } from "@statex/shared/hash";
import { sameText } from "@statex/shared/tokens";

/** How far a Svix timestamp may be from now, either way. */
export const SVIX_TOLERANCE_SECONDS = 5 * 60;

async function hmacSha256(key: BufferSource, message: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", imported, new TextEncoder().encode(message));
}

/** The key bytes of a Svix secret (`whsec_<base64>`, or any other text as its UTF-8 bytes). */
export function svixKey(secret: string): BufferSource {
  if (secret.startsWith("whsec_")) {
    try {
      return fromBase64(secret.slice("whsec_".length));
    } catch {
      // Not base64 after all: its text is the key, as for any unprefixed secret.
    }
  }
  return new TextEncoder().encode(secret);
}

/** The Svix signature of a body (without the `v1,` prefix). */
export async function svixSignature(secret: string, id: string, timestamp: string, body: string): Promise<string> {
  return toBase64(await hmacSha256(svixKey(secret), `${id}.${timestamp}.${body}`));
}

/** Whether a Svix-signed delivery is genuine and recent. */
export async function verifySvix(secret: string, headers: Headers, body: string, now = Date.now()): Promise<boolean> {
  const id = headers.get("svix-id");
  const timestamp = headers.get("svix-timestamp");
  const signatures = headers.get("svix-signature");
  if (!secret || !id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1_000 - Number(timestamp)) > SVIX_TOLERANCE_SECONDS) return false;
  const expected = await svixSignature(secret, id, timestamp, body);
  let match = false;
  // Every listed signature is compared (no early exit), so timing does not say which one matched.
  for (const entry of signatures.split(" ")) {
    const [version, signature] = entry.split(",", 2);
    if (version === "v1" && signature !== undefined && sameText(signature, expected)) match = true;
  }
  return match;
}

/** Meta's `X-Hub-Signature-256` value for a body. */
export async function hubSignature(appSecret: string, body: string): Promise<string> {
  return `sha256=${hex(await hmacSha256(new TextEncoder().encode(appSecret), body))}`;
}

/** Whether a WhatsApp delivery carries Meta's signature of its raw body. */
export async function verifyHubSignature(appSecret: string, header: string | null, body: string): Promise<boolean> {
  if (!appSecret || !header) return false;
  return sameText(header.trim().toLowerCase(), await hubSignature(appSecret, body));
}

/** Whether Telegram sent the secret token our webhook was set with. */
export function verifyTelegramSecret(secret: string, header: string | null): boolean {
  return Boolean(secret) && header !== null && sameText(header, secret);
}
