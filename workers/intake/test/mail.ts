/** Real RFC 5322 messages for the email intake tests, built the way mail clients build them. */

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

/** A one-page PDF with a line of text: the smallest file a PDF reader accepts as real. */
export function pdf(text: string): Uint8Array {
  const stream = `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, "\\$&")}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
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
