/**
 * A ZIP tells what it holds only in its central directory, at the end of the
 * file. A streamed ZIP larger than one part is stored first, then judged by
 * reading its end record and directory back with ranged gets, so a large DOCX
 * never has to be held whole in memory.
 */
import { type Sniffed, sniff } from "./sniff";

export const isZip = (head: Uint8Array) => head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;

/** The end-of-central-directory record is 22 bytes plus a comment of at most 65535. */
const EOCD_MAX = 22 + 0xffff;
/** A DOCX directory is a few KiB; a larger one is not worth reading to find one name. */
const MAX_DIRECTORY = 1024 * 1024;

async function range(bucket: R2Bucket, key: string, r: R2Range): Promise<Uint8Array> {
  const obj = await bucket.get(key, { range: r });
  return obj ? new Uint8Array(await obj.arrayBuffer()) : new Uint8Array(0);
}

/** Sniffs a stored ZIP by its central directory: a DOCX, or a refused archive. */
export async function sniffStoredZip(bucket: R2Bucket, key: string, size: number, head: Uint8Array, name: string): Promise<Sniffed> {
  const tail = await range(bucket, key, { suffix: Math.min(EOCD_MAX, size) });
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const dirSize = view.getUint32(i + 12, true);
    const dirOffset = view.getUint32(i + 16, true);
    if (dirOffset + dirSize > size) break;
    const directory = await range(bucket, key, { offset: dirOffset, length: Math.min(dirSize, MAX_DIRECTORY) });
    return sniff(head, name, directory);
  }
  return { ok: false, reason: "a ZIP archive is not accepted" };
}
