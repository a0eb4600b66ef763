/**
 * What the site reads: published pages and posts as they stand at a given time. A page is live from its
 * publication's `live_at` on (schema.ts, page_publications), so a page scheduled for 10:00 is here at 10:00 and not
 * before, whether or not the cron has announced it yet. Drafts are never here.
 */
import { database, type Database, schema } from "@statex/shared/db";
import type { PageHero } from "@statex/shared/schema";
import { and, desc, eq, getTableColumns, gt, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { renderStoredBody } from "./render";

export type PageKind = "page" | "post";

/** A published page or post, rendered. `date` is what it shows and sorts by; `version` the saved version that is live. */
export type PublishedPage = {
  slug: string;
  kind: PageKind;
  title: string;
  summary: string | null;
  tags: string[];
  locale: string;
  author: string | null;
  /** ISO timestamp: the front matter's date, else when the page was first published. */
  date: string;
  hero: PageHero | null;
  /** The rendered body (not a whole document), safe to insert as it is. */
  html: string;
  version: number;
  /** When the page first went live (kept when a newer version replaces it). */
  publishedAt: string;
  /** When the version now live went live. */
  updatedAt: string;
};

export type PublishedSummary = Omit<PublishedPage, "html">;

type PublicationRow = typeof schema.pagePublications.$inferSelect;

const p = schema.pagePublications;
const newer = alias(schema.pagePublications, "newer");

/** Only the publication live at `at` of each page: none of the same page is later (or written later) and not after `at`. */
function liveAt(at: string) {
  const later = and(
    eq(newer.slug, p.slug),
    lte(newer.liveAt, at),
    or(gt(newer.liveAt, p.liveAt), and(eq(newer.liveAt, p.liveAt), gt(newer.id, p.id))),
  );
  return and(lte(p.liveAt, at), sql`not exists (select 1 from ${p} as ${sql.identifier("newer")} where ${later})`);
}

function summaryOf(row: Omit<PublicationRow, "html" | "text">): PublishedSummary {
  return {
    slug: row.slug,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    tags: row.tags,
    locale: row.locale,
    author: row.author,
    date: row.date,
    hero: row.hero,
    version: row.version,
    publishedAt: row.publishedAt,
    updatedAt: row.liveAt,
  };
}

/** The publication of `slug` live at `now`, as stored (html included), or undefined. */
export async function livePublication(db: Database, slug: string, now: Date = new Date()): Promise<PublicationRow | undefined> {
  return db
    .select()
    .from(p)
    .where(and(eq(p.slug, slug), lte(p.liveAt, now.toISOString())))
    .orderBy(desc(p.liveAt), desc(p.id))
    .limit(1)
    .get();
}

/** The page as the site shows it at `now`; undefined for a draft, a page scheduled later, or no such page. */
export async function publishedPage(d1: D1Database, slug: string, now: Date = new Date()): Promise<PublishedPage | undefined> {
  const db = database(d1);
  const row = await livePublication(db, slug, now);
  if (!row) return undefined;
  // Only a page carried over from the old model has no rendering yet, until the cron renders it (content index.ts).
  const html = row.html || (await renderStoredBody(db, row.slug, row.version)).html;
  return { ...summaryOf(row), html };
}

/**
 * Pages and posts live at `now`, newest `date` first (then the latest to go live): all of them without a `limit`
 * (the sitemap), of one kind, or with one tag.
 */
export async function listPublished(
  d1: D1Database,
  options: { kind?: PageKind; tag?: string; limit?: number; now?: Date } = {},
): Promise<PublishedSummary[]> {
  const at = (options.now ?? new Date()).toISOString();
  const { html: _html, text: _text, ...columns } = getTableColumns(p);
  const query = database(d1)
    .select(columns)
    .from(p)
    .where(
      and(
        liveAt(at),
        options.kind ? eq(p.kind, options.kind) : undefined,
        options.tag === undefined ? undefined : sql`exists (select 1 from json_each(${p.tags}) where value = ${options.tag})`,
      ),
    )
    .orderBy(desc(p.date), desc(p.liveAt));
  const rows = await (options.limit === undefined ? query.all() : query.limit(options.limit).all());
  return rows.map(summaryOf);
}
