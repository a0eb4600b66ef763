/**
 * The signing side of Standard Webhooks (https://www.standardwebhooks.com): endpoint secrets (`whsec_` + base64 of
 * 32 random bytes), the `webhook-signature` header (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per
 * secret that signs, space-separated), and the secrets sealed at rest: notify signs with them, so a hash would not
 * do, but a copy of the database must not sign. WebCrypto only; the tests verify with an independent library.
 */
import { fromBase64, toBase64 } from "@statex/shared/base64";
import { seal, unseal } from "@statex/shared/seal";

const encoder = new TextEncoder();
const SECRET_PREFIX = "whsec_";

/** A new signing secret, as the owner is given it once. */
export function newSecret(): string {
  return `${SECRET_PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

const PURPOSE = { salt: "statex webhooks", info: "seal endpoint secret v1" };

/** An endpoint's secret sealed under WEBHOOK_SECRET_KEY, bound to the endpoint's id. */
export function sealSecret(key: string, endpointId: string, secret: string): Promise<string> {
  return seal(key, PURPOSE, endpointId, secret);
}

export function unsealSecret(key: string, endpointId: string, sealed: string): Promise<string> {
  return unseal(key, PURPOSE, endpointId, sealed);
}

/** The `webhook-signature` value for one message: a `v1,` signature per secret, in the order given. */
export async function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): Promise<string> {
  const content = encoder.encode(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey("raw", fromBase64(secret.slice(SECRET_PREFIX.length)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return `v1,${toBase64(await crypto.subtle.sign("HMAC", key, content))}`;
    }),
  );
  return signatures.join(" ");
}
