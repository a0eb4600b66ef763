/** Real files for the upload tests, built byte by byte the way their formats define them. */
import { env } from "cloudflare:workers";
import { strToU8, zipSync, zlibSync } from "fflate";
import { inject } from "vitest";

export { pdf } from "./mail";

/** A minimal WordprocessingML package: what Word needs to open a one-paragraph document. */
export function docx(text: string, padding = 0): Uint8Array {
  const xml = (s: string) => strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  return zipSync({
    "[Content_Types].xml": xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    "_rels/.rels": xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
    "word/document.xml": xml(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`),
    // Stored, not deflated, random bytes: a DOCX larger than one R2 part, to exercise the stored-ZIP sniff.
    ...(padding ? { "word/media/image1.bin": [noise(padding), { level: 0 }] as [Uint8Array, { level: 0 }] } : {}),
  });
}

/** Incompressible bytes, any length (getRandomValues stops at 64 KiB): xorshift32, seeded. */
export function noise(size: number, seed = 2463534242): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A ZIP that is not a document. */
export const zip = () => zipSync({ "notes.txt": strToU8("hello"), "setup.exe": new Uint8Array([0x4d, 0x5a, 0x90, 0]) });

/** The head of a Windows executable (MZ, then the PE offset), padded like a real one. */
export function exe(): Uint8Array {
  const b = new Uint8Array(1024);
  b.set([0x4d, 0x5a, 0x90, 0x00, 0x03]);
  b.set([0x50, 0x45, 0, 0], 0x80);
  b[0x3c] = 0x80;
  return b;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid width×height RGB PNG (a gradient): signature, IHDR, zlib-compressed IDAT, IEND, each with its CRC. */
export function png(width = 16, height = 16): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(strToU8(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([x * 16, y * 16, 128], y * (1 + width * 3) + 1 + x * 3);
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk("IHDR", ihdr), chunk("IDAT", zlibSync(raw)), chunk("IEND", new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** A speech clip made by the global setup (flite, then ffmpeg). */
export function speech(ext: "wav" | "webm" | "ogg" | "mp3" | "m4a"): Uint8Array {
  const clips = inject("speechClips");
  if ("missing" in clips) throw new Error(clips.missing);
  return Uint8Array.from(atob(clips[ext]), (ch) => ch.charCodeAt(0));
}

/** Bytes that sniff as text, `size` long. */
export const textOf = (size: number) => new Uint8Array(size).fill(0x61);

/** Every object key in the bucket (to prove nothing was left behind). */
export async function allKeys(prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ prefix, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}
