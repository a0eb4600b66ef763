/**
 * What a file is, decided by its bytes: a client's file name and declared type
 * are hints at best and lies at worst. Only the kinds the AI pipeline can read
 * are accepted; executables and archives are refused by their signatures.
 */

export type Sniffed =
  | { ok: true; kind: "document" | "audio"; mime: string; ext: string }
  | { ok: false; reason: string };

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  text.split("").every((ch, i) => bytes[at + i] === ch.charCodeAt(0));
const starts = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/** Refused outright, whatever the name says. */
const forbidden: { test: (b: Uint8Array) => boolean; what: string }[] = [
  { test: (b) => ascii(b, 0, "MZ"), what: "a Windows executable" },
  { test: (b) => starts(b, [0x7f, 0x45, 0x4c, 0x46]), what: "an ELF executable" },
  { test: (b) => [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]].some((s) => starts(b, s)), what: "a Mach-O executable" },
  { test: (b) => ascii(b, 0, "#!"), what: "a script" },
  { test: (b) => ascii(b, 0, "Rar!"), what: "a RAR archive" },
  { test: (b) => starts(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), what: "a 7z archive" },
  { test: (b) => starts(b, [0x1f, 0x8b]), what: "a gzip archive" },
  { test: (b) => starts(b, [0x42, 0x5a, 0x68]), what: "a bzip2 archive" },
  { test: (b) => starts(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), what: "an xz archive" },
  { test: (b) => b.length > 262 && ascii(b, 257, "ustar"), what: "a tar archive" },
  { test: (b) => starts(b, [0x00, 0x61, 0x73, 0x6d]), what: "a WebAssembly module" },
];

/** A ZIP is acceptable only as a Word document: its entries must include word/document.xml. */
function isDocx(bytes: Uint8Array): boolean {
  // The central directory names every entry; scanning for the name is enough to tell DOCX from other ZIPs.
  const needle = new TextEncoder().encode("word/document.xml");
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Text is accepted when it is valid UTF-8 without control characters other than whitespace. */
function isText(bytes: Uint8Array): boolean {
  if (!bytes.length) return false;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, 64 * 1024));
  } catch {
    // A multi-byte character cut at the 64 KiB boundary is not an error in the file.
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, 64 * 1024 - 4));
    } catch {
      return false;
    }
  }
  return !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text);
}

/**
 * Sniffs a file from its first bytes (the whole file for ZIPs, whose directory sits at the end).
 * `name` only chooses between text flavours (markdown or plain), which bytes cannot tell apart.
 */
export function sniff(head: Uint8Array, name: string, whole?: Uint8Array): Sniffed {
  for (const f of forbidden) if (f.test(head)) return { ok: false, reason: `${f.what} is not accepted` };
  if (ascii(head, 0, "%PDF-")) return { ok: true, kind: "document", mime: "application/pdf", ext: "pdf" };
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, kind: "document", mime: "image/png", ext: "png" };
  if (starts(head, [0xff, 0xd8, 0xff])) return { ok: true, kind: "document", mime: "image/jpeg", ext: "jpg" };
  if (starts(head, [0x1a, 0x45, 0xdf, 0xa3])) return { ok: true, kind: "audio", mime: "audio/webm", ext: "webm" };
  if (ascii(head, 0, "OggS")) return { ok: true, kind: "audio", mime: "audio/ogg", ext: "ogg" };
  if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) return { ok: true, kind: "audio", mime: "audio/wav", ext: "wav" };
  if (ascii(head, 0, "ID3") || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return { ok: true, kind: "audio", mime: "audio/mpeg", ext: "mp3" };
  if (ascii(head, 4, "ftyp")) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (/^(M4A |M4B |mp42|isom|dash)/.test(brand)) return { ok: true, kind: "audio", mime: "audio/mp4", ext: "m4a" };
    return { ok: false, reason: `an MP4 file of brand "${brand.trim()}" is not an accepted recording` };
  }
  if (starts(head, [0x50, 0x4b, 0x03, 0x04])) {
    if (isDocx(whole ?? head)) {
      return { ok: true, kind: "document", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ext: "docx" };
    }
    return { ok: false, reason: "a ZIP archive is not accepted" };
  }
  if (isText(head)) {
    return /\.(md|markdown)$/i.test(name)
      ? { ok: true, kind: "document", mime: "text/markdown", ext: "md" }
      : { ok: true, kind: "document", mime: "text/plain", ext: "txt" };
  }
  return { ok: false, reason: "this type of file is not accepted (documents: pdf, docx, txt, md, png, jpg; audio: webm, ogg, mp3, wav, m4a)" };
}
