/**
 * PDF text through unpdf (PDF.js built for serverless runtimes): lines per page in reading order, headings
 * from font sizes larger than the body's, and the document information dictionary.
 */
import { extractTextItems, getDocumentProxy, getMeta } from "unpdf";
import type { DocaiResult } from "@statex/shared/tasks";

type Line = { text: string; size: number };

/** What the text layer of a PDF holds; a page with no text (a scan) is an empty list of lines. */
export type PdfText = { pages: Line[][]; metadata: DocaiResult["metadata"] };

type Item = { str: string; y: number; fontSize: number; hasEOL: boolean };

/** Items to lines: PDF.js marks line ends (hasEOL), and a jump in y starts a line it did not mark. */
function toLines(items: Item[]): Line[] {
  const lines: Line[] = [];
  let text = "";
  let size = 0;
  let y: number | undefined;
  const flush = () => {
    if (text.trim()) lines.push({ text: text.trim(), size });
    text = "";
    size = 0;
    y = undefined;
  };
  for (const item of items) {
    if (y !== undefined && item.str && Math.abs(item.y - y) > Math.max(item.fontSize, 1) * 0.5) flush();
    if (item.str) {
      text += item.str;
      size = Math.max(size, item.fontSize);
      y ??= item.y;
    }
    if (item.hasEOL) flush();
  }
  flush();
  return lines;
}

/** The date a PDF states, as ISO 8601 (unpdf parses PDF dates when asked). */
function isoDate(value: unknown): string | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : undefined;
}

const nonEmpty = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : undefined);

export async function readPdf(bytes: Uint8Array): Promise<PdfText> {
  const pdf = await getDocumentProxy(bytes);
  const { items } = await extractTextItems(pdf);
  const { info } = await getMeta(pdf, { parseDates: true });
  const metadata: DocaiResult["metadata"] = {};
  const title = nonEmpty(info.Title);
  const author = nonEmpty(info.Author);
  const created = isoDate(info.CreationDate);
  if (title) metadata.title = title;
  if (author) metadata.author = author;
  if (created) metadata.created = created;
  return { pages: items.map(toLines), metadata };
}

/**
 * Markdown of the lines: the most common size (by characters) is body text; each larger size, largest first,
 * is a heading level. Lines that are no bigger than the body stay paragraphs.
 */
export function pdfMarkdown(pages: Line[][]): string {
  const weight = new Map<number, number>();
  for (const line of pages.flat()) weight.set(line.size, (weight.get(line.size) ?? 0) + line.text.length);
  const body = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  // A heading is noticeably larger than body text; at most three levels, as documents rarely use more.
  const headingSizes = [...weight.keys()].filter((s) => s >= body * 1.15).sort((a, b) => b - a).slice(0, 3);
  return pages
    .map((lines) =>
      lines
        .map((l) => {
          const level = headingSizes.indexOf(l.size);
          return level >= 0 ? `\n${"#".repeat(level + 1)} ${l.text}\n` : l.text;
        })
        .join("\n")
        .replace(/\n{3,}/g, "\n\n")
        .trim(),
    )
    .filter(Boolean)
    .join("\n\n");
}
