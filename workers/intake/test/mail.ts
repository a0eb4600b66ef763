/** Real RFC 5322 messages for the email intake tests, built the way mail clients build them. */
import { writePdf } from "../../../shared/test/ai-fixtures/pdf";

export type Part = { type: string; body: string; encoding?: "base64" | "quoted-printable" | "8bit"; filename?: string };

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return (btoa(s).match(/.{1,76}/g) ?? []).join("\r\n");
}

/** A message; with several parts it is multipart/mixed, as clients send text plus attachments. */
export function message(opts: { from: string; subject: string; headers?: Record<string, string>; parts: Part[] }): string {
  const head = [
    `From: ${opts.from}`,
    "To: requests@statex.local",
    `Subject: ${opts.subject}`,
    `Message-ID: <${crypto.randomUUID()}@mail.example>`,
    "Date: Sun, 22 Nov 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  const render = (p: Part) =>
    [
      `Content-Type: ${p.type}`,
      `Content-Transfer-Encoding: ${p.encoding ?? "8bit"}`,
      ...(p.filename ? [`Content-Disposition: attachment; filename="${p.filename}"`] : []),
      "",
      p.body,
    ].join("\r\n");
  if (opts.parts.length === 1 && opts.parts[0]) return [...head, render(opts.parts[0])].join("\r\n");
  const boundary = `b-${crypto.randomUUID()}`;
  return [...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, "", ...opts.parts.flatMap((p) => [`--${boundary}`, render(p)]), `--${boundary}--`, ""].join("\r\n");
}

export function attachment(filename: string, type: string, bytes: Uint8Array): Part {
  return { type, body: base64(bytes), encoding: "base64", filename };
}

/** A one-page PDF with a line of text, from the fixtures' PDF writer (the one the AI tests read back). */
export function pdf(text: string): Uint8Array {
  return writePdf([[{ text, size: 18 }]], { title: text, author: "StateX tests", created: new Date("2026-11-01T00:00:00Z") });
}

/** Quoted-printable for the tests' non-ASCII bodies (RFC 2045 §6.7), from already-encoded bytes. */
export function quotedPrintable(bytes: Uint8Array): string {
  let out = "";
  let line = 0;
  for (const b of bytes) {
    const ch = b === 0x0a ? "\r\n" : (b >= 33 && b <= 126 && b !== 61) || b === 32 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
    if (ch === "\r\n") line = 0;
    else if (line + ch.length > 73) {
      out += "=\r\n";
      line = 0;
    }
    out += ch;
    line += ch.length;
  }
  return out;
}
