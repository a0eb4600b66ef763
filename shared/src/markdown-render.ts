/**
 * The platform's one markdown renderer: pages and posts on the site, an author's preview, a request's first draft on
 * its page and in the "ready" email. markdown-it (CommonMark with GitHub's tables, raw HTML off) without Node APIs,
 * so the same code runs in workerd and in the browser. Kept apart from @statex/shared/markdown (which re-exports it
 * beside front matter, read with yaml and zod) so that the site's scripts and notify, which only render, bundle neither.
 */
import MarkdownIt from "markdown-it";
import type { StateCore, Token } from "markdown-it";

/**
 * Whether a link or image target may appear in rendered HTML: http(s), mailto and relative URLs, nothing else.
 * markdown-it hands over the target with entities decoded and the rest percent-encoded, so `&#106;avascript:` and
 * `java\tscript:` arrive as `javascript:` and `java%09script:`; a colon that does not make one of the allowed
 * schemes is refused, rather than guessing how a browser would read it.
 */
export function allowedUrl(url: string): boolean {
  const trimmed = url.trim();
  if (/[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) return false;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed);
  if (scheme) return /^(?:https?|mailto)$/i.test(scheme[1] ?? "");
  return !/^[^/?#]*:/.test(trimmed);
}

/** Whether an image may load from this URL: as a link, but never mailto. */
export function allowedImage(url: string): boolean {
  return allowedUrl(url) && !/^\s*mailto:/i.test(url);
}

/** Whether a link leaves the site: absolute http(s) (or scheme-relative) to another origin than `siteOrigin`. */
function leavesSite(href: string, siteOrigin: string | undefined): boolean {
  if (!/^(?:https?:)?\/\//i.test(href)) return false;
  if (!siteOrigin) return true;
  try {
    return new URL(href, siteOrigin).origin !== new URL(siteOrigin).origin;
  } catch {
    return true;
  }
}

/** What the renderer may know besides the markdown. */
export type RenderOptions = {
  /** The intrinsic size of an image by its URL (uploaded media), so the page does not jump as it loads. */
  images?: (src: string) => { width: number; height: number } | undefined;
  /** The site's own origin: links elsewhere get rel="noopener". Without it every absolute link counts as elsewhere. */
  siteOrigin?: string;
  /** Put before every heading id, where the HTML lands in a page with ids of its own (a draft on the request page). */
  idPrefix?: string;
};

export type Heading = { level: number; id: string; text: string };
export type Rendered = { html: string; headings: Heading[]; text: string };

type RenderEnv = { options: RenderOptions; headings: Heading[] };

const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false });
md.validateLink = allowedUrl;
// Bare http(s) URLs and email addresses become links; words that merely contain a dot ("file.md", "www.x") do not.
md.linkify.set({ fuzzyLink: false });

/** The plain text of an inline token's children: what a heading says, an image's alt. */
function inlineText(children: Token[] | null): string {
  return (children ?? [])
    .map((t) => (t.type === "text" || t.type === "code_inline" ? t.content : t.type === "softbreak" || t.type === "hardbreak" ? " " : t.type === "image" ? inlineText(t.children) : ""))
    .join("");
}

/** An attribute of a token, "" when it has none. */
const attr = (token: Token, name: string): string => String(token.attrGet(name) ?? "");

/** A heading's id: lower case, letters and digits joined by dashes, as GitHub makes them. */
function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/\s+/g, "-");
}

/** Heading ids (unique within the document), the link policy's rel, images' sizes, tables' alignment. */
function decorate(state: StateCore): void {
  const env = state.env as RenderEnv;
  const { images, siteOrigin, idPrefix = "" } = env.options;
  const used = new Set<string>();
  state.tokens.forEach((token, i) => {
    if (token.type === "heading_open") {
      const text = inlineText(state.tokens[i + 1]?.children ?? null).trim();
      const base = `${idPrefix}${slugOf(text) || "section"}`;
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      token.attrSet("id", id);
      env.headings.push({ level: Number(token.tag.slice(1)), id, text });
    }
    // The site's Content-Security-Policy refuses style attributes; `align` says the same, as GitHub's own HTML does.
    if ((token.type === "th_open" || token.type === "td_open") && token.attrs) {
      const align = /text-align:(\w+)/.exec(attr(token, "style"))?.[1];
      token.attrs = align ? [["align", align]] : null;
    }
    for (const child of token.children ?? []) {
      if (child.type === "link_open" && leavesSite(attr(child, "href"), siteOrigin)) child.attrSet("rel", "noopener");
      if (child.type === "image") {
        const src = attr(child, "src");
        if (!allowedImage(src)) {
          // A link may write to someone; an image may not: only its words are kept.
          child.type = "text";
          child.content = inlineText(child.children);
          continue;
        }
        const size = images?.(src);
        if (size) {
          child.attrSet("width", String(size.width));
          child.attrSet("height", String(size.height));
        }
        child.attrSet("loading", "lazy");
      }
    }
  });
}
md.core.ruler.push("statex_decorate", decorate);

/** The text of a rendered document, block by block, for search. */
function plainText(tokens: Token[]): string {
  const blocks = tokens.flatMap((t) => (t.type === "inline" ? [inlineText(t.children)] : t.type === "fence" || t.type === "code_block" ? [t.content.trimEnd()] : []));
  return blocks.filter((b) => b.trim()).join("\n");
}

/**
 * Markdown (without front matter) to an HTML fragment that is safe to put in a page as it is: raw HTML in the source
 * is shown as text, only http(s), mailto and relative links and images survive, and every attribute is escaped.
 * Also returns the headings (for a table of contents) and the plain text (for search).
 */
export function renderMarkdown(body: string, opts: RenderOptions = {}): Rendered {
  const env: RenderEnv = { options: opts, headings: [] };
  const tokens = md.parse(body, env);
  return { html: md.renderer.render(tokens, md.options, env), headings: env.headings, text: plainText(tokens) };
}
