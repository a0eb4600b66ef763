/**
 * Sealing a secret the platform must use again (not merely check): AES-GCM under a key derived with HKDF from a
 * worker secret, with what it belongs to authenticated beside it, so a copy of the database opens nothing and a
 * sealed value moved to another row does not open either. Text form: `v1.<iv>.<ciphertext>` (base64url).
 */
import { fromBase64Url, toBase64Url } from "./base64";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** What the derived key is for: HKDF's salt and info, so each use of one worker secret gets a key of its own. */
export type SealPurpose = { salt: string; info: string };

/** The AES-GCM key for a secret and purpose, derived once per isolate. */
function sealKey(secret: string, purpose: SealPurpose): Promise<CryptoKey> {
  const cacheKey = `${purpose.salt}\u0000${purpose.info}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: encoder.encode(purpose.salt), info: encoder.encode(purpose.info) },
          base,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    void key.catch(() => keys.delete(cacheKey));
    keys.set(cacheKey, key);
  }
  return key;
}

/** Seals `plain` under `secret` for `purpose`, bound to `owner` (a row's id). */
export async function seal(secret: string, purpose: SealPurpose, owner: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(owner) }, await sealKey(secret, purpose), encoder.encode(plain));
  return `v1.${toBase64Url(iv)}.${toBase64Url(sealed)}`;
}

/** Opens what {@link seal} sealed for the same owner; throws for another owner, another secret or a damaged value. */
export async function unseal(secret: string, purpose: SealPurpose, owner: string, sealed: string): Promise<string> {
  const [version, iv, data] = sealed.split(".");
  if (version !== "v1" || !iv || !data) throw new Error(`the value sealed for ${owner} is not in a known format`);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(iv), additionalData: encoder.encode(owner) }, await sealKey(secret, purpose), fromBase64Url(data));
  return new TextDecoder().decode(plain);
}
