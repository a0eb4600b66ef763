/**
 * The author's live preview: the source read and rendered by the platform's own code (@statex/shared/markdown: the
 * front matter through the same yaml + zod schema as the content worker, the body through the same markdown-it
 * renderer), laid out as the site lays out a published page (workers/content/src/site/html.ts). So what the author
 * sees is what a save would accept and what the site would show. It costs the page zod and yaml (about 170 KiB
 * gzipped with the renderer), which only this page, for authors, loads.
 */
import { type FieldError, ProblemError } from "@statex/shared/errors";
import { type FrontMatter, parseDocument, renderMarkdown } from "@statex/shared/markdown";
import { parseDocument as parseYaml } from "yaml";
import { h } from "./ops-ui";

export type Read = { front: FrontMatter | null; body: string; problems: FieldError[] };

/** The lines of a source and where its front matter closes (-1 when it has none), as parseDocument finds them. */
function split(source: string): { lines: string[]; end: number } {
  const lines = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") return { lines, end: -1 };
  return { lines, end: lines.findIndex((line, i) => i > 0 && (line.trim() === "---" || line.trim() === "...")) };
}

/** A source read as a save would read it; with bad front matter, its problems and the body still to preview. */
export function readSource(source: string): Read {
  try {
    const { front, body } = parseDocument(source);
    return { front, body, problems: [] };
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    const { lines, end } = split(source);
    return { front: null, body: end < 0 ? source : lines.slice(end + 1).join("\n"), problems: err.errors ?? [] };
  }
}

/** The size of each image the author uploaded or the server rendered, so the preview sizes them as the site will. */
export type Sizes = Map<string, { width: number; height: number }>;

/** Learns image sizes from HTML the server rendered (a loaded draft), where its uploads carry width and height. */
export function learnSizes(sizes: Sizes, html: string): void {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const img of Array.from(doc.images)) {
    const width = Number(img.getAttribute("width"));
    const height = Number(img.getAttribute("height"));
    const src = img.getAttribute("src");
    if (src && width > 0 && height > 0) sizes.set(src, { width, height });
  }
}

/** Fills the preview article as the site shows the page: title, byline of a post, hero, body, tags. */
export function renderPreview(article: HTMLElement, read: Read, sizes: Sizes): void {
  const { front } = read;
  // The renderer's output is safe to insert as it is: raw HTML in the source comes out as text, links are filtered.
  const body = h("div", { class: "author-preview-body" });
  body.innerHTML = renderMarkdown(read.body, { images: (src) => sizes.get(src), siteOrigin: location.origin }).html;
  article.className = `page ${front?.kind ?? "page"}`;
  const hero = front?.hero ? sizes.get(front.hero) : undefined;
  const parts = [
    h("h1", { text: front?.title ?? "(no title yet)" }),
    front?.kind === "post" ? h("p", { class: "byline muted", text: `${(front.date ?? new Date().toISOString()).slice(0, 10)}${front.author ? ` · ${front.author}` : ""}` }) : null,
    front?.hero ? h("img", { class: "hero", src: front.hero, alt: front.heroAlt ?? "", width: hero?.width, height: hero?.height }) : null,
    body,
    front?.tags.length ? h("footer", {}, h("ul", { class: "tags", "aria-label": "Tags" }, ...front.tags.map((tag) => h("li", {}, h("span", { text: tag }))))) : null,
  ];
  article.replaceChildren(...parts.filter((part) => part !== null));
}

/**
 * The source with its front matter saying `draft: false`, edited through yaml's document model so the author's
 * comments, order and quoting stay as they wrote them. Undefined when the front matter cannot be read.
 */
export function withDraftFalse(source: string): string | undefined {
  const { lines, end } = split(source);
  if (end < 0) return undefined;
  const doc = parseYaml(lines.slice(1, end).join("\n"), { schema: "core" });
  if (doc.errors.length) return undefined;
  doc.set("draft", false);
  return ["---", doc.toString({ flowCollectionPadding: false }).trimEnd(), ...lines.slice(end)].join("\n");
}

/** What a new page starts as: every field the author is likely to need, as a draft. */
export function starter(today = new Date()): string {
  return [
    "---",
    "title: A new post",
    "slug: a-new-post",
    "summary: One or two sentences for the home page, tag pages and search.",
    "kind: post",
    "tags: [news]",
    `date: ${today.toISOString().slice(0, 10)}`,
    "draft: true",
    "---",
    "",
    "Write here. **Markdown** works: headings, lists, links, tables and images.",
    "",
  ].join("\n");
}
