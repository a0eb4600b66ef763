/**
 * Streams one file into R2 without holding it whole: bytes are gathered into
 * one part-sized buffer at a time; a file that ends within the first part is
 * one put, a longer one an R2 multipart upload (R2 wants every part but the
 * last the same size, at least 5 MiB). The type is sniffed from the first
 * bytes before anything is written, the sha256 is computed as the bytes pass
 * (DigestStream), and a refusal or failure aborts what was started.
 */
import type { StoredFile } from "@statex/shared/events";
import { hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";
import { isZip, sniffStoredZip } from "./docx";
import { type Sniffed, sniff } from "./sniff";
import { type Refusal, fileKey } from "./store";

/** R2's smallest part (except the last); also the most one file holds in memory at a time. */
export const PART_BYTES = 5 * 1024 * 1024;
const SNIFF_BYTES = 4096;

export type ChunkSource = () => Promise<Uint8Array | null>;
export type StreamLimits = { maxBytes: number; partBytes?: number };

/**
 * Stores the bytes `next` yields as a file of `requestId`. `track` hears each key before it is
 * written, so the caller can delete everything of a submission that fails later.
 */
export async function storeStream(
  bucket: R2Bucket,
  requestId: string,
  name: string,
  next: ChunkSource,
  limits: StreamLimits,
  track: (key: string) => void,
): Promise<StoredFile | Refusal> {
  const partBytes = limits.partBytes ?? PART_BYTES;
  const digest = new crypto.DigestStream("SHA-256");
  const hashing = digest.getWriter();
  let carry: Uint8Array | null = null;
  let size = 0;
  let ended = false;
  const tooLarge: Refusal = { file: name, reason: `larger than ${limits.maxBytes} bytes`, status: 413 };

  /** Fills one part-sized buffer; `stop(filled)` may end the fill early (to sniff the head). */
  async function fillPart(buf: Uint8Array, from: number, stop?: (filled: number) => boolean): Promise<number> {
    let filled = from;
    while (filled < buf.length) {
      const chunk = carry ?? (ended ? null : await next());
      carry = null;
      if (!chunk) {
        ended = true;
        break;
      }
      const take = Math.min(chunk.length, buf.length - filled);
      buf.set(chunk.subarray(0, take), filled);
      if (take < chunk.length) carry = chunk.subarray(take);
      filled += take;
      size += take;
      if (size > limits.maxBytes) return -1;
      await hashing.write(chunk.subarray(0, take));
      if (stop?.(filled)) break;
    }
    // A full buffer with nothing after it is the last part: peek so a single put stays possible.
    if (filled === buf.length && !carry && !ended) {
      carry = await next();
      if (!carry) ended = true;
    }
    return filled;
  }

  let buf = new Uint8Array(partBytes);
  let filled = await fillPart(buf, 0, (n) => n >= SNIFF_BYTES);
  if (filled < 0) return tooLarge;
  const head = buf.slice(0, Math.min(filled, SNIFF_BYTES));
  const zip = isZip(head);
  let sniffed: Sniffed = sniff(head, name);
  // A ZIP may be a DOCX: that is known from its directory, at the end.
  if (!sniffed.ok && !zip) return { file: name, reason: sniffed.reason, status: 415 };
  filled = await fillPart(buf, filled);
  if (filled < 0) return tooLarge;
  const id = newId("file");

  if (ended && !carry) {
    if (zip) sniffed = sniff(head, name, buf.subarray(0, filled));
    if (!sniffed.ok) return { file: name, reason: sniffed.reason, status: 415 };
    await hashing.close();
    const sha256 = hex(await digest.digest);
    const key = fileKey(requestId, id, sniffed.ext);
    track(key);
    await bucket.put(key, buf.subarray(0, filled), { httpMetadata: { contentType: sniffed.mime }, customMetadata: { name, sha256 }, sha256 });
    return { id, key, name, kind: sniffed.kind, mime: sniffed.mime, size, sha256 };
  }

  // Several parts. A ZIP is stored under the DOCX extension and judged once complete.
  const ext = sniffed.ok ? sniffed.ext : "docx";
  const key = fileKey(requestId, id, ext);
  track(key);
  const upload = await bucket.createMultipartUpload(key, { customMetadata: { name }, ...(sniffed.ok ? { httpMetadata: { contentType: sniffed.mime } } : {}) });
  try {
    const parts: R2UploadedPart[] = [];
    for (;;) {
      parts.push(await upload.uploadPart(parts.length + 1, buf.subarray(0, filled)));
      if (ended && !carry) break;
      // A fresh buffer per part: R2 may still read the previous one, and a new one bounds memory at two.
      buf = new Uint8Array(partBytes);
      filled = await fillPart(buf, 0);
      if (filled < 0) {
        await upload.abort();
        return tooLarge;
      }
    }
    await upload.complete(parts);
  } catch (err) {
    await upload.abort().catch(() => undefined);
    throw err;
  }
  if (!sniffed.ok || zip) sniffed = await sniffStoredZip(bucket, key, size, head, name);
  if (!sniffed.ok) {
    await bucket.delete(key);
    return { file: name, reason: sniffed.reason, status: 415 };
  }
  await hashing.close();
  return { id, key, name, kind: sniffed.kind, mime: sniffed.mime, size, sha256: hex(await digest.digest) };
}
