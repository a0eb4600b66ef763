/**
 * Publishing: a version goes live now or at a time, a page comes off the site, a page is deleted, and the cron
 * announces what went live at its time. Each change writes its rows, the search index and its event in one D1 batch
 * (so none exists without the others), then relays the event and purges the site's cache for the pages it touched.
 */
import { type Database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { type EventData, type Envelope, createEvent } from "@statex/shared/events";
import { type Logger, errorField } from "@statex/shared/logger";
import { relaySoon } from "@statex/shared/relay";
import { and, asc, eq, gt, isNull, lte, sql, type SQL } from "drizzle-orm";
import { type PageKind, purgeFor } from "./cache";
import { batch } from "./batch";
import { type RenderedPage, renderStoredBody, shownFields } from "./render";
import { indexStatements, unindexStatement } from "./search";
import { livePublication } from "./store";

type Publication = typeof schema.pagePublications.$inferSelect;
const p = schema.pagePublications;

/** What every change needs: the worker's env and context, the database, the request's (or cron's) logger and id. */
export type Scope = { env: ContentEnv; ctx: Pick<ExecutionContext, "waitUntil">; db: Database; log: Logger; correlationId: string };

type ContentEvent = "content.published" | "content.updated" | "content.deleted";

function contentEvent<T extends ContentEvent>(scope: Scope, type: T, data: EventData<T>): Envelope<T> {
  return createEvent(type, data, { correlationId: scope.correlationId, source: "content" });
}

/** The event's outbox row, written only if `when` holds in the same batch (the change it describes happened). */
function outboxWhere(event: Envelope, when: SQL): SQL {
  return sql`insert into event_outbox (id, type, body) select ${event.id}, ${event.type}, ${JSON.stringify(event)} where ${when}`;
}

/** Holds while the version exists: a page deleted between reading and writing gets no publication, index or event. */
const versionExists = (slug: string, version: number) => sql`exists (select 1 from page_versions where slug = ${slug} and version = ${version})`;

type NewPublication = Omit<Publication, "id">;

function insertPublicationWhere(row: NewPublication, when: SQL): SQL {
  return sql`insert into page_publications
    (slug, version, kind, title, summary, tags, locale, author, date, hero, html, text, live_at, published_at, published_by, announced_at)
    select ${row.slug}, ${row.version}, ${row.kind}, ${row.title}, ${row.summary}, ${JSON.stringify(row.tags)}, ${row.locale}, ${row.author},
      ${row.date}, ${row.hero ? JSON.stringify(row.hero) : null}, ${row.html}, ${row.text}, ${row.liveAt}, ${row.publishedAt}, ${row.publishedBy},
      ${row.announcedAt}
    where ${when}`;
}

/** The publication row of a rendered version, live from `liveAt`, first published at `publishedAt`. */
function publicationOf(slug: string, version: number, page: RenderedPage, by: string, liveAt: string, publishedAt: string, announcedAt: string | null): NewPublication {
  return { slug, version, ...shownFields(page, publishedAt), text: page.text, liveAt, publishedAt, publishedBy: by, announcedAt };
}

/** What a change touched, for the cache: the page, with the tags and kinds it had before and has now. */
function touched(slug: string, ...pages: (Pick<Publication, "kind" | "tags"> | undefined)[]) {
  const present = pages.filter((x) => x !== undefined);
  return { slug, tags: [...new Set(present.flatMap((x) => x.tags))], kind: [...new Set<PageKind>(present.map((x) => x.kind))] };
}

async function pendingSchedule(db: Database, slug: string, now: Date): Promise<Publication | undefined> {
  return db.select().from(p).where(and(eq(p.slug, slug), gt(p.liveAt, now.toISOString()))).orderBy(asc(p.liveAt)).limit(1).get();
}

export type PublishOutcome = { changed: boolean };

/**
 * Makes `version` the live page now: it replaces the live version and any scheduled one. Publishing the version that
 * is live, with nothing scheduled, changes nothing (no event). Throws 404 if the page went away meanwhile.
 */
export async function publishNow(scope: Scope, slug: string, version: number, page: RenderedPage, by: string, now = new Date()): Promise<PublishOutcome> {
  const { db } = scope;
  const live = await livePublication(db, slug, now);
  if (live?.version === version && live.announcedAt && !(await pendingSchedule(db, slug, now))) return { changed: false };
  const at = now.toISOString();
  const row = publicationOf(slug, version, page, by, at, live?.publishedAt ?? at, at);
  const data = { slug, kind: row.kind, tags: row.tags, version, by };
  const event = live
    ? contentEvent(scope, "content.updated", { ...data, change: "republished" })
    : contentEvent(scope, "content.published", { ...data, scheduled: false });
  const when = versionExists(slug, version);
  const [, inserted] = await batch(scope.env.DB, [
    db.delete(p).where(eq(p.slug, slug)),
    insertPublicationWhere(row, when),
    ...indexStatements({ slug, title: row.title, summary: row.summary, tags: row.tags, text: row.text }, when),
    outboxWhere(event, when),
  ]);
  if (inserted?.meta.changes !== 1) throw notFound("Page");
  scope.log.info(live ? "page republished" : "page published", { slug, version });
  relaySoon(scope.ctx, db, scope.env, scope.log, [event]);
  await purgeFor(scope.env, scope.ctx, touched(slug, live, row), scope.log);
  return { changed: true };
}

/**
 * Schedules `version` to go live at `at` (in the future), replacing an earlier schedule; the live version stays
 * until then. The page is live from `at` on as the store reads it; the cron announces it then.
 */
export async function schedule(scope: Scope, slug: string, version: number, page: RenderedPage, by: string, at: Date, now = new Date()): Promise<void> {
  const { db } = scope;
  const live = await livePublication(db, slug, now);
  const liveAt = at.toISOString();
  const row = publicationOf(slug, version, page, by, liveAt, live?.publishedAt ?? liveAt, null);
  const [, inserted] = await batch(scope.env.DB, [
    db.delete(p).where(and(eq(p.slug, slug), isNull(p.announcedAt), gt(p.liveAt, now.toISOString()))),
    insertPublicationWhere(row, versionExists(slug, version)),
  ]);
  if (inserted?.meta.changes !== 1) throw notFound("Page");
  scope.log.info("page scheduled", { slug, version, at: liveAt });
  // The cached pages it will change learn when to go stale (the site's cache keeps them until the next scheduled time).
  await purgeFor(scope.env, scope.ctx, touched(slug, live, row), scope.log);
}

/**
 * Takes the page off the site, and cancels what was scheduled: it is a draft again. Announced only if it was live
 * (content.updated, `unpublished`); a page that was only scheduled just loses its schedule.
 */
export async function unpublish(scope: Scope, slug: string, by: string, now = new Date()): Promise<PublishOutcome> {
  const { db } = scope;
  const [live, scheduled] = await Promise.all([livePublication(db, slug, now), pendingSchedule(db, slug, now)]);
  if (!live && !scheduled) return { changed: false };
  const event = live ? contentEvent(scope, "content.updated", { slug, kind: live.kind, tags: live.tags, version: null, change: "unpublished", by }) : undefined;
  const removal = [db.delete(p).where(eq(p.slug, slug)), unindexStatement(slug)] as const;
  // The event first, while the rows it checks are there: only if some publication of the page still was.
  await (event ? batch(scope.env.DB, [outboxWhere(event, sql`exists (select 1 from page_publications where slug = ${slug})`), ...removal]) : batch(scope.env.DB, removal));
  scope.log.info("page unpublished", { slug, wasLive: Boolean(live) });
  if (event) relaySoon(scope.ctx, db, scope.env, scope.log, [event]);
  await purgeFor(scope.env, scope.ctx, touched(slug, live, scheduled), scope.log);
  return { changed: true };
}

/** Deletes the page, every version and publication of it, and its place in the index. 404 if there is no such page. */
export async function deletePage(scope: Scope, slug: string, by: string, now = new Date()): Promise<void> {
  const { db } = scope;
  const [live, scheduled] = await Promise.all([livePublication(db, slug, now), pendingSchedule(db, slug, now)]);
  const event = contentEvent(scope, "content.deleted", { slug, kind: live?.kind ?? null, tags: live?.tags ?? [], by });
  const [, deleted] = await batch(scope.env.DB, [
    outboxWhere(event, sql`exists (select 1 from pages where slug = ${slug})`),
    // Its versions and publications go with it (foreign keys, on delete cascade).
    db.delete(schema.pages).where(eq(schema.pages.slug, slug)),
    unindexStatement(slug),
  ]);
  if (!deleted?.meta.changes) throw notFound("Page");
  scope.log.info("page deleted", { slug });
  relaySoon(scope.ctx, db, scope.env, scope.log, [event]);
  if (live || scheduled) await purgeFor(scope.env, scope.ctx, touched(slug, live, scheduled), scope.log);
}

/** How many pages one cron run announces at most; the rest wait a minute (they are live for readers already). */
const ANNOUNCE_BATCH = 50;

/**
 * The cron's part: every publication whose time has come and that was not announced yet (scheduled, or carried
 * over from the old model unrendered) gets its event, its place in the search index and a cache purge, and the
 * publication it replaced is removed. Each page in a batch of its own, so one failure holds back no other.
 */
export async function announceDue(scope: Scope, now: Date): Promise<number> {
  const { db } = scope;
  const at = now.toISOString();
  const due = await db
    .select()
    .from(p)
    .where(and(isNull(p.announcedAt), lte(p.liveAt, at)))
    .orderBy(asc(p.liveAt))
    .limit(ANNOUNCE_BATCH)
    .all();
  // Of two due publications of one page, the later is live; the earlier goes with the rows it replaced.
  const latest = new Map(due.map((row) => [row.slug, row]));
  let announced = 0;
  for (const row of latest.values()) {
    try {
      if (await announce(scope, row, at)) announced++;
    } catch (err) {
      scope.log.error("announcing a publication failed; the next run tries again", { slug: row.slug, error: errorField(err) });
    }
  }
  return announced;
}

async function announce(scope: Scope, row: Publication, at: string): Promise<boolean> {
  const { db } = scope;
  const replaced = await db
    .select()
    .from(p)
    .where(and(eq(p.slug, row.slug), sql`${p.announcedAt} is not null`))
    .limit(1)
    .get();
  // Only a page carried over from the old model lacks its rendering: it is rendered now, from its source.
  const carried = row.html === "";
  const rendered = carried ? await renderStoredBody(db, row.slug, row.version) : { html: row.html, text: row.text };
  const data = { slug: row.slug, kind: row.kind, tags: row.tags, version: row.version, by: row.publishedBy };
  const event = replaced
    ? contentEvent(scope, "content.updated", { ...data, change: "republished" })
    : contentEvent(scope, "content.published", { ...data, scheduled: !carried });
  const mine = sql`exists (select 1 from page_publications where id = ${row.id} and announced_at is null)`;
  const [, marked] = await batch(scope.env.DB, [
    // First, while it is unannounced: two runs at once announce it once.
    outboxWhere(event, mine),
    db
      .update(p)
      .set({ announcedAt: at, html: rendered.html, text: rendered.text })
      .where(and(eq(p.id, row.id), isNull(p.announcedAt))),
    db.delete(p).where(and(eq(p.slug, row.slug), sql`${p.id} <> ${row.id}`, lte(p.liveAt, row.liveAt))),
    ...indexStatements({ slug: row.slug, title: row.title, summary: row.summary, tags: row.tags, text: rendered.text }, sql`exists (select 1 from page_publications where id = ${row.id})`),
  ]);
  if (marked?.meta.changes !== 1) return false;
  scope.log.info("scheduled page announced", { slug: row.slug, version: row.version });
  relaySoon(scope.ctx, db, scope.env, scope.log, [event]);
  await purgeFor(scope.env, scope.ctx, touched(row.slug, replaced, row), scope.log);
  return true;
}
