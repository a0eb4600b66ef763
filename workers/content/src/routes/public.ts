/**
 * The published side, which anyone may read: the site's pages (/site/<slug>, /site/tags/<tag>, /site/rss.xml,
 * /site/sitemap.xml; the site's Pages Functions serve them at /p/<slug>, /tags/<tag>, /rss.xml and /sitemap.xml) and
 * the published pages as JSON (/pages, /pages/<slug>). Everything comes from store.ts as it stands now, so drafts and
 * pages scheduled later are in none of them; the site's pages and the home page's list come from the edge cache.
 */
import { ListQuery, SlugParam } from "@statex/shared/api/content";
import { database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { Slug, Tag } from "@statex/shared/markdown";
import { and, asc, gt, isNull } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { type Rendered, cachedPage, sitePaths } from "../cache";
import { listPublished, publishedPage } from "../store";
import { rssFeed, sitemap } from "../site/feeds";
import { PAGE_CSP, pageDocument, tagDocument } from "../site/html";

type C = Context<AppEnv<ContentEnv>>;

/** How many posts the home page lists and the feed carries. */
const HOME_POSTS = 10;
const FEED_POSTS = 50;
/** The uncached listing's most pages: it is for tools, and the sitemap lists them all. */
const LIST_LIMIT = 100;

const site = (c: C) => c.env.SITE_URL.replace(/\/+$/, "");

/**
 * When the next scheduled publication goes live: every cached page goes stale then at the latest, since any of them
 * may list it, and the site must show it on time whether or not the cron has purged yet.
 */
async function nextScheduledAt(d1: D1Database, now: Date): Promise<Date | undefined> {
  const p = schema.pagePublications;
  const next = await database(d1)
    .select({ liveAt: p.liveAt })
    .from(p)
    .where(and(isNull(p.announcedAt), gt(p.liveAt, now.toISOString())))
    .orderBy(asc(p.liveAt))
    .limit(1)
    .get();
  return next ? new Date(next.liveAt) : undefined;
}

/** Serves a public path from the edge cache, rendering it on a miss; a 404 problem when there is nothing to show. */
async function serve(c: C, path: string, render: (now: Date) => Promise<Omit<Rendered, "staleAt"> | undefined>): Promise<Response> {
  const now = new Date();
  const response = await cachedPage(c.env, c.executionCtx, path, async () => {
    const [page, staleAt] = await Promise.all([render(now), nextScheduledAt(c.env.DB, now)]);
    return page && { ...page, staleAt };
  }, now);
  if (!response) throw notFound("Page");
  return response;
}

const HTML = "text/html; charset=utf-8";
const htmlHeaders = { "content-security-policy": PAGE_CSP };

/**
 * A path segment as the site's pages take it: a slug, or a tag as the site writes it ("Edge Computing" is at
 * /tags/edge-computing, not under a second key). Anything else is a page that is not there (404), not a bad request:
 * these are addresses people type and follow.
 */
function segment(raw: string | undefined, form: z.ZodType<string, string>): string {
  if (raw === undefined || form.safeParse(raw).data !== raw) throw notFound("Page");
  return raw;
}

export const siteRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: anyone. The feed of posts, newest first.
  .get("/rss.xml", (c) =>
    serve(c, sitePaths.feed, async (now) => ({
      body: await rssFeed(site(c), await listPublished(c.env.DB, { kind: "post", limit: FEED_POSTS, now })),
      contentType: "application/rss+xml; charset=utf-8",
    })),
  )
  // Who may call: anyone. Every published page, post and tag page.
  .get("/sitemap.xml", (c) =>
    serve(c, sitePaths.sitemap, async (now) => ({ body: await sitemap(site(c), await listPublished(c.env.DB, { now })), contentType: "application/xml; charset=utf-8" })),
  )
  // Who may call: anyone. The pages and posts with one tag; 404 while none has it.
  .get("/tags/:tag", (c) => {
    const tag = segment(c.req.param("tag"), Tag);
    return serve(c, sitePaths.tag(tag), async (now) => {
      const pages = await listPublished(c.env.DB, { tag, now });
      return pages.length ? { body: await tagDocument(site(c), tag, pages), contentType: HTML, headers: htmlHeaders } : undefined;
    });
  })
  // Who may call: anyone. A published page or post as a whole HTML document; 404 for drafts and pages scheduled later.
  .get("/:slug", (c) => {
    const slug = segment(c.req.param("slug"), Slug);
    return serve(c, sitePaths.page(slug), async (now) => {
      const page = await publishedPage(c.env.DB, slug, now);
      return page && { body: await pageDocument(site(c), page), contentType: HTML, headers: htmlHeaders };
    });
  });


export const pagesRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: anyone. Published pages and posts, newest first, without their bodies. The posts alone are the home
  // page's list, served from the edge cache; other listings are read each time.
  .get("/", validate("query", ListQuery), async (c) => {
    const { kind } = c.req.valid("query");
    if (kind === "post") {
      return serve(c, sitePaths.home, async (now) => ({
        body: JSON.stringify({ pages: await listPublished(c.env.DB, { kind, limit: HOME_POSTS, now }) }),
        contentType: "application/json; charset=utf-8",
      }));
    }
    const pages = await listPublished(c.env.DB, { kind, limit: LIST_LIMIT });
    return c.json({ pages }, 200, { "cache-control": "no-cache" });
  })
  // Who may call: anyone. A published page or post with its rendered body; 404 for drafts and pages scheduled later.
  .get("/:slug", validate("param", SlugParam), async (c) => {
    const page = await publishedPage(c.env.DB, c.req.valid("param").slug);
    if (!page) throw notFound("Page");
    return c.json(page, 200, { "cache-control": "no-cache" });
  });
