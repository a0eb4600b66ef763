/**
 * Puts one file of a request into R2 under the type rules: the kind is sniffed
 * from the bytes, refused kinds never reach storage, and each stored file
 * carries its sha256, size and sniffed type.
 */
import type { StoredFile } from "@statex/shared/events";
import { sha256Hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";
import { sniff } from "./sniff";

export type Refusal = { file: string; reason: string; status: 413 | 415 };

/** R2 key of a request's file: grouped by request so a request's files list and expire together. */
export function fileKey(requestId: string, fileId: string, ext: string): string {
  return `requests/${requestId}/files/${fileId}.${ext}`;
}

/** Sniffs and stores an in-memory file (email attachments); a refusal names the file and why. */
export async function storeBytes(
  bucket: R2Bucket,
  requestId: string,
  name: string,
  bytes: Uint8Array,
  maxBytes: number,
): Promise<StoredFile | Refusal> {
  if (bytes.byteLength > maxBytes) return { file: name, reason: `larger than ${maxBytes} bytes`, status: 413 };
  const sniffed = sniff(bytes.subarray(0, 4096), name, bytes);
  if (!sniffed.ok) return { file: name, reason: sniffed.reason, status: 415 };
  const id = newId("file");
  const key = fileKey(requestId, id, sniffed.ext);
  const sha256 = await sha256Hex(bytes);
  await bucket.put(key, bytes, {
    httpMetadata: { contentType: sniffed.mime },
    customMetadata: { name, sha256 },
    sha256,
  });
  return { id, key, name, kind: sniffed.kind, mime: sniffed.mime, size: bytes.byteLength, sha256 };
}

export function isRefusal(x: StoredFile | Refusal): x is Refusal {
  return "reason" in x;
}
