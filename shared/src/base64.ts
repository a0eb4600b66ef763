/** Base64 for bytes that are stored as text (salts, hashes) and base64url for bytes that travel in URLs and headers. */

/** Standard base64 (with padding) of some bytes. */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  let s = "";
  for (const b of bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

/** The bytes of a standard base64 string; throws on malformed input. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** base64url without padding (RFC 4648 §5): safe in URLs, headers and cookies. */
export function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes of a base64url string (padding optional); throws on malformed input. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  return fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));
}
