/** Hex encoding and SHA-256 digests: file checksums, idempotency keys, derived ids. */

/** Lowercase hex of some bytes, two digits a byte. */
export function hex(bytes: ArrayBuffer | Uint8Array): string {
  let out = "";
  for (const b of bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Hex SHA-256 of a string (as UTF-8) or of bytes. */
export async function sha256Hex(input: string | ArrayBuffer | Uint8Array): Promise<string> {
  const data = typeof input === "string" ? new TextEncoder().encode(input) : input;
  return hex(await crypto.subtle.digest("SHA-256", data));
}
