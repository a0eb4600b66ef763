/** The authors' side of pages: a page's draft and versions, and where it stands on the site, as the author UI shows them. */
import { type Database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { Slug } from "@statex/shared/markdown";
import { and, desc, eq, getTableColumns, gt, lte, sql } from "drizzle-orm";
import { z } from "zod";

// The routes' parameters are the public API's (shared/src/api/content.ts): named here for the modules that import them from pages.
export { SlugParam, VersionParam } from "@statex/shared/api/content";

type PageRow = typeof schema.pages.$inferSelect;
const p = schema.pagePublications;
const v = schema.pageVersions;

/** The page with this slug, or a 404 problem. */
export async function pageBySlug(db: Database, slug: string): Promise<PageRow> {
  const row = await db.select().from(schema.pages).where(eq(schema.pages.slug, slug)).get();
  if (!row) throw notFound("Page");
  return row;
}

/** One saved version of a page, or a 404 problem. */
export async function versionOf(db: Database, slug: string, version: number) {
  const row = await db.select().from(v).where(and(eq(v.slug, slug), eq(v.version, version))).get();
  if (!row) throw notFound("Version");
  return row;
}

/** Which version of each page is live at `now`, and which is scheduled next, in two subqueries per page. */
function standing(now: string) {
  const live = sql<number | null>`(select ${p.version} from ${p} where ${and(eq(p.slug, schema.pages.slug), lte(p.liveAt, now))} order by ${p.liveAt} desc, ${p.id} desc limit 1)`;
  const liveSince = sql<string | null>`(select ${p.liveAt} from ${p} where ${and(eq(p.slug, schema.pages.slug), lte(p.liveAt, now))} order by ${p.liveAt} desc, ${p.id} desc limit 1)`;
  const next = sql<string | null>`(select json_object('version', ${p.version}, 'at', ${p.liveAt}) from ${p} where ${and(eq(p.slug, schema.pages.slug), gt(p.liveAt, now))} order by ${p.liveAt} limit 1)`;
  return { liveVersion: live, liveSince, scheduled: next };
}

type Standing = { liveVersion: number | null; liveSince: string | null; scheduled: string | null };

/** A page in the authors' list: its draft, and what of it is live or scheduled. */
function summary(row: PageRow & Standing) {
  const scheduled = row.scheduled ? (JSON.parse(row.scheduled) as { version: number; at: string }) : null;
  return {
    slug: row.slug,
    title: row.title,
    /** The newest saved version: the draft, and the baseVersion of the next save. */
    version: row.version,
    status: row.liveVersion !== null ? ("published" as const) : scheduled ? ("scheduled" as const) : ("draft" as const),
    live: row.liveVersion !== null && row.liveSince !== null ? { version: row.liveVersion, since: row.liveSince } : null,
    scheduled,
    /** Whether the draft differs from what is live (a save since the last publish). */
    unpublishedChanges: row.liveVersion !== row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    url: `/p/${row.slug}`,
  };
}
export type PageSummary = ReturnType<typeof summary>;

/** Every page, most recently saved first. */
export async function pageList(db: Database, now = new Date()): Promise<PageSummary[]> {
  const rows = await db
    .select({ ...getTableColumns(schema.pages), ...standing(now.toISOString()) })
    .from(schema.pages)
    .orderBy(desc(schema.pages.updatedAt))
    .all();
  return rows.map(summary);
}

/** One page's standing, or a 404 problem. */
export async function pageSummary(db: Database, slug: string, now = new Date()): Promise<PageSummary> {
  const row = await db
    .select({ ...getTableColumns(schema.pages), ...standing(now.toISOString()) })
    .from(schema.pages)
    .where(eq(schema.pages.slug, slug))
    .get();
  if (!row) throw notFound("Page");
  return summary(row);
}

/** Every saved version of a page, newest first, without their sources. */
export async function versionList(db: Database, slug: string) {
  return db
    .select({ version: v.version, title: v.title, restoredFrom: v.restoredFrom, createdBy: v.createdBy, createdAt: v.createdAt })
    .from(v)
    .where(eq(v.slug, slug))
    .orderBy(desc(v.version))
    .all();
}
