/**
 * A minimal PDF writer for test fixtures: pages of lines in Helvetica at chosen sizes, and the document
 * information dictionary (title, author, creation date). Small enough to read, so the fixture is known exactly.
 */

/** One line of text: its size in points marks it as a heading or body text, as in a real document. */
export type PdfLine = { text: string; size: number };

const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);

/** A PDF date, D:YYYYMMDDHHmmSSZ. */
const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;

export function writePdf(pages: PdfLine[][], info: { title: string; author: string; created: Date }): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  // 1 catalog, 2 page tree, 3 font, 4 info; then a page and its content stream per page.
  const pageIds = pages.map((_, i) => 5 + i * 2);
  add("<< /Type /Catalog /Pages 2 0 R >>");
  add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`);
  add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  add(`<< /Title (${escape(info.title)}) /Author (${escape(info.author)}) /CreationDate (${pdfDate(info.created)}) /Producer (statex test fixtures) >>`);
  pages.forEach((lines, i) => {
    let y = 760;
    const ops = lines.map(({ text, size }) => {
      y -= size * 1.6;
      return `BT /F1 ${size} Tf 72 ${y.toFixed(1)} Td (${escape(text)}) Tj ET`;
    });
    const stream = ops.join("\n");
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${(pageIds[i] ?? 0) + 1} 0 R >>`);
    add(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  });
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
