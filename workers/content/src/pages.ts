/** Reading pages, and the shapes in which drafts and published pages leave this worker. */
import { type Database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { parsePage } from "./frontmatter";
import { renderMarkdown } from "./markdown";
import type { PublishedPage } from "./template";

export type PageRow = typeof schema.pages.$inferSelect;

/** Slugs become URL paths and R2 keys: lowercase letters, digits and single dashes, nothing else. */
export const SlugParam = z.object({
  slug: z.string().max(100, "at most 100 characters").regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and dashes"),
});

/** Where the rendered full page lives in R2; the site serves it at /p/<slug>. */
export function siteKey(slug: string): string {
  return `site/pages/${slug}.html`;
}

/** The page with this slug, or a 404 problem. */
export async function pageBySlug(db: Database, slug: string): Promise<PageRow> {
  const row = await db.select().from(schema.pages).where(eq(schema.pages.slug, slug)).get();
  if (!row) throw notFound("Page");
  return row;
}

/** The live version of a page, rendered; a 404 problem while it has none (drafts are never shown here). */
export function publishedView(row: PageRow): PublishedPage {
  if (row.status !== "published" || row.publishedBody === null || row.publishedAt === null) throw notFound("Page");
  return {
    slug: row.slug,
    title: row.publishedTitle ?? row.title,
    description: row.publishedDescription,
    html: renderMarkdown(parsePage(row.publishedBody).body),
    publishedAt: row.publishedAt,
    version: row.version,
  };
}

/** A page in the authors' list: how its draft stands against the live version. */
export function draftSummary(row: PageRow) {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    status: row.status,
    version: row.version,
    unpublishedChanges: row.draftBody !== row.publishedBody,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    publishedAt: row.publishedAt,
  };
}

/** A page as its authors open it: the summary plus the draft's source and its preview. */
export function draftView(row: PageRow) {
  return { ...draftSummary(row), markdown: row.draftBody, html: renderMarkdown(parsePage(row.draftBody).body) };
}
