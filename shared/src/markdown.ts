/**
 * The platform's one markdown renderer and front-matter reader: pages and posts on the site, an author's preview, a
 * request's first draft on its page and in the "ready" email. markdown-it (CommonMark with GitHub's tables, raw HTML
 * off) renders, `yaml` reads front matter and zod validates it. Both are kept libraries without Node APIs, so the
 * same code runs in workerd and in the browser.
 */
import MarkdownIt from "markdown-it";
import type { StateCore, Token } from "markdown-it";
import { parseDocument as parseYaml } from "yaml";
import { z } from "zod";
import { type FieldError, ProblemError, fieldErrors } from "./errors";

// ---------------------------------------------------------------- links

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

// ---------------------------------------------------------------- front matter

/** The languages a page may be written in: those the site speaks. */
export const PAGE_LOCALES = ["en", "de"] as const;

/** A slug becomes a URL path and a storage key: lowercase letters, digits and single dashes. */
export const Slug = z.string().max(100, "at most 100 characters").regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and dashes");

/** A tag, which names a page of the site (/tags/<tag>): "Edge Computing" is written edge-computing. */
export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((tag) => tag.replace(/\s+/g, "-"))
  .pipe(z.string().min(1, "empty").max(50, "at most 50 characters").regex(/^[\p{Ll}\p{Lo}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{N}]+)*$/u, "letters, digits and dashes"));

/**
 * A page's or post's front matter. `date` is the publish date (a day or an ISO date-time); `hero` an image URL
 * (http(s) or on the site), which then needs `heroAlt`; a new page is a draft until it says `draft: false`.
 */
export const FrontMatter = z
  .strictObject({
    title: z.string().trim().min(1, "required").max(200, "at most 200 characters"),
    slug: Slug,
    summary: z.string().trim().max(500, "at most 500 characters").optional(),
    kind: z.enum(["page", "post"]).default("page"),
    tags: z.array(Tag).max(20, "at most 20 tags").transform((tags) => [...new Set(tags)]).default([]),
    locale: z.enum(PAGE_LOCALES).default("en"),
    author: z.string().trim().min(1, "empty").max(100, "at most 100 characters").optional(),
    date: z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "an ISO date (2026-05-01) or date-time (2026-05-01T09:00:00Z)" }).optional(),
    hero: z.string().trim().min(1, "empty").max(2_000, "at most 2000 characters").refine(allowedImage, "an http(s) URL or one on this site").optional(),
    heroAlt: z.string().trim().min(1, "empty").max(300, "at most 300 characters").optional(),
    draft: z.boolean().default(true),
  })
  .refine((front) => !front.hero || front.heroAlt, { path: ["heroAlt"], message: "required with hero: what the image shows" });
export type FrontMatter = z.infer<typeof FrontMatter>;

const FIELD = "frontMatter";

function invalidFrontMatter(errors: FieldError[]): ProblemError {
  return new ProblemError(400, "invalid-front-matter", `Invalid ${errors.map((e) => e.field).join(", ")}`, errors);
}

/**
 * Splits a document into the front matter between its first two `---` lines (read as YAML, validated by `schema`)
 * and the markdown body after them. Throws a 400 problem naming each bad field as `frontMatter.<field>`.
 * `parseDocument` is this with {@link FrontMatter}.
 */
export function parseDocumentWith<S extends z.ZodType>(schema: S, source: string): { front: z.output<S>; body: string } {
  const lines = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") throw invalidFrontMatter([{ field: FIELD, message: "a page starts with a --- line, its front matter (title:, slug: …), then ---" }]);
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === "---" || line.trim() === "..."));
  if (end < 0) throw invalidFrontMatter([{ field: FIELD, message: "the front matter has no closing --- line" }]);

  const duplicates: string[] = [];
  // The core schema (YAML 1.2) reads `no` and `2026-05-01` as the strings they look like; no aliases, so a few bytes
  // cannot expand into a huge value; a key given twice is named, which yaml's own error does not do.
  const doc = parseYaml(lines.slice(1, end).join("\n"), {
    schema: "core",
    prettyErrors: true,
    logLevel: "silent",
    uniqueKeys: (a, b) => {
      const same = String(a) === String(b);
      if (same) duplicates.push(String(a));
      return same;
    },
  });
  if (duplicates.length) throw invalidFrontMatter([...new Set(duplicates)].map((key) => ({ field: `${FIELD}.${key}`, message: "given twice" })));
  const problem = doc.errors[0];
  if (problem) {
    // yaml counts lines from the first line of the front matter, which is the document's second.
    const line = (problem.linePos?.[0].line ?? 0) + 1;
    const what = (problem.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw invalidFrontMatter([{ field: FIELD, message: `line ${line}: ${what || "not YAML"}` }]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch {
    throw invalidFrontMatter([{ field: FIELD, message: "aliases (*name) are not allowed in front matter" }]);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw invalidFrontMatter([{ field: FIELD, message: "front matter is key: value lines" }]);
  const result = schema.safeParse(data);
  if (!result.success) throw invalidFrontMatter(fieldErrors(result.error.issues, FIELD));
  return { front: result.data, body: lines.slice(end + 1).join("\n") };
}

/** A page's source split into its validated front matter and its markdown body; a 400 problem naming each bad field. */
export function parseDocument(source: string): { front: FrontMatter; body: string } {
  return parseDocumentWith(FrontMatter, source);
}

// ---------------------------------------------------------------- rendering

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
