/**
 * A page's source rendered for the site with the platform's one renderer (@statex/shared/markdown), given what D1
 * knows of the uploaded images it shows: their width and height, so the page does not shift as they load.
 */
import { type Database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type FrontMatter, parseDocument, renderMarkdown } from "@statex/shared/markdown";
import type { PageHero } from "@statex/shared/schema";
import { and, eq, inArray } from "drizzle-orm";
import { mediaHash } from "./media";

export type RenderedPage = { front: FrontMatter; html: string; text: string; hero: PageHero | null };
type Sizes = Map<string, { width: number; height: number }>;

/** The uploaded images a source names (by their content hash), with their sizes. */
async function sizesFor(db: Database, source: string): Promise<Sizes> {
  const hashes = [...new Set([...source.matchAll(/\/media\/([0-9a-f]{64})\.[a-z]{3,4}\b/g)].map((m) => m[1] ?? ""))].slice(0, 90);
  if (!hashes.length) return new Map();
  const rows = await db.select({ sha256: schema.media.sha256, width: schema.media.width, height: schema.media.height }).from(schema.media).where(inArray(schema.media.sha256, hashes)).all();
  return new Map(rows.map((r) => [r.sha256, { width: r.width, height: r.height }]));
}

/** The size of an image by its URL, when it is one of ours. */
function sizeOf(sizes: Sizes, src: string) {
  const hash = mediaHash(src);
  return hash ? sizes.get(hash) : undefined;
}

/**
 * Reads and renders a source as it would be published. Throws a 400 problem naming the field when the front matter
 * is invalid, and when its hero is not an uploaded image: the site shows a hero with its size, which only an upload
 * records.
 */
export async function renderPage(db: Database, source: string, siteOrigin?: string): Promise<RenderedPage> {
  const { front, body } = parseDocument(source);
  const sizes = await sizesFor(db, source);
  const { html, text } = renderMarkdown(body, { images: (src) => sizeOf(sizes, src), ...(siteOrigin ? { siteOrigin } : {}) });
  let hero: PageHero | null = null;
  if (front.hero) {
    const size = sizeOf(sizes, front.hero);
    if (!size) {
      throw new ProblemError(400, "invalid-front-matter", "Invalid frontMatter.hero", [
        { field: "frontMatter.hero", message: "an image uploaded with POST /api/media, by the URL it answered with" },
      ]);
    }
    hero = { url: front.hero, alt: front.heroAlt ?? "", ...size };
  }
  return { front, html, text, hero };
}

/**
 * What the site shows of a rendered page besides its body, as the store keeps it; `publishedAt` is its date when
 * the front matter gives none.
 */
export function shownFields(page: RenderedPage, publishedAt: string) {
  const { front } = page;
  return {
    kind: front.kind,
    title: front.title,
    summary: front.summary ?? null,
    tags: front.tags,
    locale: front.locale,
    author: front.author ?? null,
    // A front matter date is a day or a date-time with its offset; kept in UTC like every other time, so they sort.
    date: front.date ? new Date(front.date).toISOString() : publishedAt,
    hero: page.hero,
    html: page.html,
  };
}

/** The leading front matter block, to reach the body of a source whose front matter is not read (an old page's). */
const FRONT_MATTER = /^\uFEFF?---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * The body of a source rendered without validating its front matter: for a page carried over from before front
 * matter had today's fields, which has no slug and may say `description:`.
 */
export async function renderBody(db: Database, source: string): Promise<{ html: string; text: string }> {
  const sizes = await sizesFor(db, source);
  const { html, text } = renderMarkdown(source.replace(FRONT_MATTER, ""), { images: (src) => sizeOf(sizes, src) });
  return { html, text };
}

/** A stored version's body rendered without reading its front matter (empty if the version is gone). */
export async function renderStoredBody(db: Database, slug: string, version: number): Promise<{ html: string; text: string }> {
  const source = await db
    .select({ body: schema.pageVersions.body })
    .from(schema.pageVersions)
    .where(and(eq(schema.pageVersions.slug, slug), eq(schema.pageVersions.version, version)))
    .get();
  return source ? renderBody(db, source.body) : { html: "", text: "" };
}
