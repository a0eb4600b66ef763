/**
 * DOCX (a zip of WordprocessingML) to markdown: headings from paragraph styles, bullet and numbered lists
 * from the numbering definitions, tables as markdown tables; metadata from docProps/core.xml.
 */
import { strFromU8, unzipSync } from "fflate";
import { decodeEntities } from "@statex/shared/entities";
import type { DocaiResult } from "@statex/shared/tasks";
import { ProviderError } from "../providers/types";
import { attribute, elements, textOf } from "./xml";

type Block = { markdown: string; text: string };

/** numId → list level → whether it is numbered (decimal, letters, roman) rather than bulleted. */
function numberingFormats(xml: string): (numId: string, level: number) => boolean {
  const abstract = new Map<string, string[]>();
  for (const m of xml.matchAll(/<w:abstractNum\b[^>]*w:abstractNumId="(\d+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g)) {
    abstract.set(m[1] ?? "", [...(m[2] ?? "").matchAll(/<w:lvl\b[\s\S]*?<w:numFmt w:val="([^"]+)"/g)].map((f) => f[1] ?? "bullet"));
  }
  const nums = new Map<string, string>();
  for (const m of xml.matchAll(/<w:num\b[^>]*w:numId="(\d+)"[^>]*>[\s\S]*?<w:abstractNumId w:val="(\d+)"/g)) nums.set(m[1] ?? "", m[2] ?? "");
  return (numId, level) => {
    const format = abstract.get(nums.get(numId) ?? "")?.[level] ?? "bullet";
    return format !== "bullet" && format !== "none";
  };
}

/** A paragraph's text: runs' text, tabs and breaks. */
function paragraphText(p: string): string {
  let out = "";
  for (const m of p.matchAll(/<w:t(?:\s[^>]*)?>([\s\S]*?)<\/w:t>|<w:tab\/>|<w:br\/>/g)) {
    out += m[0] === "<w:tab/>" ? "\t" : m[0] === "<w:br/>" ? "\n" : decodeEntities(m[1] ?? "");
  }
  return out.trim();
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

function table(xml: string): Block {
  const rows = elements(xml, "w:tr").map((tr) => elements(tr, "w:tc").map((tc) => elements(tc, "w:p").map(paragraphText).join(" ")));
  const width = Math.max(0, ...rows.map((r) => r.length));
  const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill("")]);
  const line = (r: string[]) => `| ${r.map(cell).join(" | ")} |`;
  const [head, ...body] = padded;
  if (!head) return { markdown: "", text: "" };
  const markdown = [line(head), `| ${head.map(() => "---").join(" | ")} |`, ...body.map(line)].join("\n");
  return { markdown, text: padded.map((r) => r.join("\t")).join("\n") };
}

function paragraph(p: string, numbered: (numId: string, level: number) => boolean, counters: Map<string, number>): Block | undefined {
  const text = paragraphText(p);
  if (!text) return undefined;
  const style = attribute(p, "w:pStyle") ?? "";
  const heading = /^(?:Heading|heading)\s?(\d)$/.exec(style)?.[1] ?? (style === "Title" ? "1" : undefined);
  if (heading) return { markdown: `${"#".repeat(Number(heading))} ${text}`, text };
  const numId = attribute(p, "w:numId");
  if (numId !== undefined && numId !== "0") {
    const level = Number(attribute(p, "w:ilvl") ?? "0");
    const key = `${numId}:${level}`;
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    const marker = numbered(numId, level) ? `${n}.` : "-";
    return { markdown: `${"   ".repeat(level)}${marker} ${text}`, text };
  }
  return { markdown: text, text };
}

export function readDocx(bytes: Uint8Array): Omit<DocaiResult, "method"> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name.startsWith("word/") || f.name.startsWith("docProps/") });
  } catch {
    throw new ProviderError("the DOCX file is not a readable zip archive", "invalid-input");
  }
  const read = (name: string) => {
    const file = files[name];
    return file ? strFromU8(file) : undefined;
  };
  const document = read("word/document.xml");
  if (!document) throw new ProviderError("the DOCX file has no word/document.xml", "invalid-input");
  const numbered = numberingFormats(read("word/numbering.xml") ?? "");
  const counters = new Map<string, number>();
  const body = elements(document, "w:body")[0] ?? "";
  const blocks: Block[] = [];
  // Top-level tables and paragraphs in document order; paragraphs inside a table belong to the table.
  for (const m of body.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>|<w:p(?:\s[^>]*)?\/>/g)) {
    const block = m[0].startsWith("<w:tbl>") ? table(m[0]) : paragraph(m[0], numbered, counters);
    if (block?.markdown) blocks.push(block);
    // A list restarts its numbering after anything that is not one of its items.
    if (block && !/^\s*(?:\d+\.|-) /.test(block.markdown)) counters.clear();
  }
  // Consecutive list items form one list; every other block is its own paragraph.
  const markdown = blocks.reduce((acc, b, i) => {
    const prev = blocks[i - 1];
    const sameList = prev && /^\s*(?:\d+\.|-) /.test(prev.markdown) && /^\s*(?:\d+\.|-) /.test(b.markdown);
    return i === 0 ? b.markdown : `${acc}${sameList ? "\n" : "\n\n"}${b.markdown}`;
  }, "");
  const core = read("docProps/core.xml") ?? "";
  const metadata: DocaiResult["metadata"] = {};
  const title = textOf(core, "dc:title");
  const author = textOf(core, "dc:creator");
  const created = textOf(core, "dcterms:created");
  if (title) metadata.title = title;
  if (author) metadata.author = author;
  if (created && !Number.isNaN(Date.parse(created))) metadata.created = new Date(created).toISOString();
  // Word records the page count it last laid out; the XML alone has no pages.
  const pages = Number(textOf(read("docProps/app.xml") ?? "", "Pages") ?? "1") || 1;
  return { markdown, text: blocks.map((b) => b.text).join("\n\n"), pages, metadata };
}
