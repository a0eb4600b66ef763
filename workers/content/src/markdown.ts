/**
 * A small, safe markdown renderer: headings, paragraphs, emphasis, links
 * (http, https and relative only), lists, code and blockquotes. Anything else,
 * raw HTML included, is shown as the text it is. Small on purpose: every
 * construct here is one we have tests for, and none can emit author markup.
 */
import { escapeHtml } from "@statex/shared/html";
import { renderInline } from "./inline";

/** Nesting (quotes in lists in quotes …) deeper than this is shown as text, so input cannot exhaust the stack. */
const MAX_DEPTH = 8;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]{0,32})[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/;

/** Markdown source (without front matter) to an HTML fragment. */
export function renderMarkdown(source: string): string {
  return blocks(source.replace(/\r\n?/g, "\n").split("\n"), 0, false);
}

function startsBlock(line: string, depth: number): boolean {
  if (FENCE.test(line) || HEADING.test(line) || RULE.test(line)) return true;
  return depth < MAX_DEPTH && (QUOTE.test(line) || ITEM.test(line));
}

/** Renders lines as a sequence of blocks. `tight` list items hold their text without <p>. */
function blocks(lines: string[], depth: number, tight: boolean): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] ?? "```";
      const closing = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
      let end = i + 1;
      while (end < lines.length && !closing.test(lines[end] ?? "")) end++;
      const lang = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : "";
      out.push(`<pre><code${lang}>${escapeHtml(lines.slice(i + 1, end).join("\n"))}</code></pre>`);
      i = end + 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      out.push(`<h${level}>${renderInline(heading[2] ?? "")}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push("<hr>");
      i++;
      continue;
    }
    if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const quoted: string[] = [];
      for (let m = QUOTE.exec(lines[i] ?? ""); m && i < lines.length; m = QUOTE.exec(lines[++i] ?? "")) quoted.push(m[1] ?? "");
      out.push(`<blockquote>${blocks(quoted, depth + 1, false)}</blockquote>`);
      continue;
    }
    if (depth < MAX_DEPTH && ITEM.test(line)) {
      const list = readList(lines, i);
      out.push(renderList(list, depth));
      i = list.next;
      continue;
    }
    const para: string[] = [line.trim()];
    for (i++; i < lines.length && (lines[i] ?? "").trim() && !startsBlock(lines[i] ?? "", depth); i++) para.push((lines[i] ?? "").trim());
    const html = renderInline(para.join("\n"));
    out.push(tight ? html : `<p>${html}</p>`);
  }
  return out.join("\n");
}

type List = { ordered: boolean; start: number; items: string[][]; loose: boolean; next: number };

/** Reads the list that starts at line `i`: its items' lines (dedented), and where it ends. */
function readList(lines: string[], i: number): List {
  const first = ITEM.exec(lines[i] ?? "");
  const ordered = /\d/.test(first?.[2] ?? "");
  const list: List = { ordered, start: ordered ? Number.parseInt(first?.[2] ?? "1", 10) : 1, items: [], loose: false, next: i };
  // Lines indented at least two past the list's own markers belong to the current item (nested lists, more paragraphs).
  const inner = (first?.[1]?.length ?? 0) + 2;
  let j = i;
  let blank = false;
  while (j < lines.length) {
    const line = lines[j] ?? "";
    const item = ITEM.exec(line);
    const current = list.items.at(-1);
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    if (current && line.trim() && indent >= inner) {
      // A blank line inside an item makes the list loose.
      if (blank) current.push("");
      if (blank) list.loose = true;
      current.push(line.slice(Math.min(indent, inner + 2)));
      blank = false;
    } else if (item && /\d/.test(item[2] ?? "") === ordered) {
      if (blank && current) list.loose = true;
      list.items.push([item[3] ?? ""]);
      blank = false;
    } else if (!line.trim()) {
      blank = true;
    } else if (current && !blank && !startsBlock(line, 0)) {
      current.push(line.trim()); // a lazy continuation of the item's paragraph
    } else {
      break;
    }
    j++;
  }
  list.next = j;
  return list;
}

function renderList(list: List, depth: number): string {
  const tag = list.ordered ? "ol" : "ul";
  const start = list.ordered && list.start !== 1 ? ` start="${list.start}"` : "";
  const items = list.items.map((lines) => `<li>${blocks(lines, depth + 1, !list.loose)}</li>`);
  return `<${tag}${start}>\n${items.join("\n")}\n</${tag}>`;
}
