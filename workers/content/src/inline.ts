/**
 * Inline markdown: code spans, backslash escapes, links and autolinks, then
 * emphasis. Code and links are cut out first into placeholders, everything
 * else is escaped, and only then are emphasis tags added, so no input text
 * ever reaches the output unescaped.
 */
import { escapeHtml } from "@statex/shared/html";
import { safeHref } from "./links";

// Placeholders are \u0001<n>\u0001; the character is removed from input, so a placeholder cannot be forged.
const MARK = "\u0001";
// The target may hold balanced parentheses one level deep (`/wiki/Foo_(bar)`), as CommonMark allows.
const LINK = /^\[([^[\]\n]{0,1000})\]\(\s*((?:[^\s()<>]|\([^\s()<>]{0,200}\)){0,2000})(?:\s+"[^"\n]{0,300}")?\s*\)/;
const AUTOLINK = /^<(https?:\/\/[^\s<>]{1,2000})>/;
const ESCAPABLE = /^\\([!-/:-@[-`{-~])/;

/** Renders one block's inline text to HTML. `links: false` inside link text, where a nested link is not allowed. */
export function renderInline(text: string, links = true): string {
  const pieces: string[] = [];
  const hold = (html: string) => `${MARK}${pieces.push(html) - 1}${MARK}`;
  const source = text.replaceAll(MARK, "");
  let plain = "";
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? "";
    // Only the characters that can open a token look ahead (a bounded window, so long text stays linear).
    const rest = "`\\[<".includes(ch) ? source.slice(i, i + 4_000) : "";
    if (ch === "`") {
      const run = /^`+/.exec(rest)?.[0] ?? "`";
      const close = findRun(source, run, i + run.length);
      if (close < 0) {
        plain += run;
        i += run.length;
        continue;
      }
      plain += hold(`<code>${escapeHtml(source.slice(i + run.length, close).trim())}</code>`);
      i = close + run.length;
      continue;
    }
    const escaped = ch === "\\" ? ESCAPABLE.exec(rest) : null;
    if (escaped) {
      plain += hold(escapeHtml(escaped[1] ?? ""));
      i += 2;
      continue;
    }
    const link = links && ch === "[" ? LINK.exec(rest) : null;
    if (link) {
      plain += hold(anchor(link[2] ?? "", renderInline(link[1] ?? "", false)));
      i += link[0].length;
      continue;
    }
    const auto = links && ch === "<" ? AUTOLINK.exec(rest) : null;
    if (auto) {
      plain += hold(anchor(auto[1] ?? "", escapeHtml(auto[1] ?? "")));
      i += auto[0].length;
      continue;
    }
    plain += ch;
    i++;
  }
  const html = emphasis(escapeHtml(plain));
  return html.replace(/\u0001(\d+)\u0001/g, (_m, n: string) => pieces[Number(n)] ?? "");
}

/** The index of the next backtick run of exactly this length, or -1. */
function findRun(source: string, run: string, from: number): number {
  let at = source.indexOf(run, from);
  while (at >= 0) {
    if (source[at + run.length] !== "`" && source[at - 1] !== "`") return at;
    at = source.indexOf(run, at + 1);
  }
  return -1;
}

/** A link when the target is allowed; otherwise only its text, so a refused link loses its href and nothing else. */
function anchor(target: string, innerHtml: string): string {
  const href = safeHref(target);
  if (href === null) return innerHtml;
  const external = /^https?:/i.test(href) ? ' rel="noopener noreferrer"' : "";
  return `<a href="${escapeHtml(href)}"${external}>${innerHtml}</a>`;
}

// Content may not contain its own marker, which keeps each pattern linear and the pairing unambiguous.
// Single markers go first, so `**bold *and em* too**` nests.
const patterns: [RegExp, string][] = [
  [/(?<!\*)\*([^\s*](?:[^*]*[^\s*])?)\*(?!\*)/g, "em"],
  [/(?<![\w_])_([^\s_](?:[^_]*[^\s_])?)_(?![\w_])/g, "em"],
  [/\*\*([^\s*](?:[^*]*[^\s*])?)\*\*/g, "strong"],
  [/(?<![\w_])__([^\s_](?:[^_]*[^\s_])?)__(?![\w_])/g, "strong"],
];

/** Emphasis over already-escaped text: the tags are ours, the content was escaped before. */
function emphasis(escaped: string): string {
  return patterns.reduce((html, [pattern, tag]) => html.replace(pattern, `<${tag}>$1</${tag}>`), escaped);
}
