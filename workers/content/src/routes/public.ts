/** The published side: GET /pages, GET /pages/:slug and GET /site/:slug (the full HTML page). */
import { database, schema } from "@statex/shared/db";
import { type AppEnv, validate } from "@statex/shared/http";
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { SlugParam, pageBySlug, publishedView, siteKey } from "../pages";
import { renderSitePage } from "../template";

const CACHE = "public, max-age=60";

export const pagesRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: anyone. Only published pages, with their live title and description.
  .get("/", async (c) => {
    const { pages } = schema;
    const rows = await database(c.env.DB)
      .select({ slug: pages.slug, title: pages.publishedTitle, description: pages.publishedDescription, publishedAt: pages.publishedAt, version: pages.version })
      .from(pages)
      .where(eq(pages.status, "published"))
      .orderBy(desc(pages.publishedAt))
      .all();
    return c.json({ pages: rows }, 200, { "cache-control": CACHE });
  })
  // Who may call: anyone. The published version only; a page with just a draft is 404.
  .get("/:slug", validate("param", SlugParam), async (c) => {
    const row = await pageBySlug(database(c.env.DB), c.req.valid("param").slug);
    return c.json(publishedView(row), 200, { "cache-control": CACHE });
  });

export const siteRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: anyone (the site's Pages Function serves /p/<slug> from here).
  .get("/:slug", validate("param", SlugParam), async (c) => {
    const row = await pageBySlug(database(c.env.DB), c.req.valid("param").slug);
    const page = publishedView(row);
    const headers = {
      "content-type": "text/html; charset=utf-8",
      "cache-control": CACHE,
      etag: `"${page.slug}-v${page.version}"`,
      // The page is ours and static: nothing in it may run script, even if the renderer ever slipped.
      "content-security-policy": "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'",
    };
    // D1 says which version is live; R2 holds its rendering. If R2 lags (a failed put at publish), render and heal it.
    const stored = await c.env.FILES.get(siteKey(page.slug));
    if (stored && stored.customMetadata?.version === String(page.version)) return c.body(stored.body, 200, headers);
    const html = await renderSitePage(page);
    c.executionCtx.waitUntil(putSitePage(c.env.FILES, page.slug, page.version, html));
    return c.body(html, 200, headers);
  });

/** Stores a page's full HTML in R2, tagged with its version so a stale copy is recognised. */
export async function putSitePage(files: R2Bucket, slug: string, version: number, html: string): Promise<void> {
  await files.put(siteKey(slug), html, {
    httpMetadata: { contentType: "text/html; charset=utf-8" },
    customMetadata: { version: String(version) },
  });
}
