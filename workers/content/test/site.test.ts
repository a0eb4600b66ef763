import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { PublishedList, PublishedPage } from "@statex/shared/api/content";
import { database, schema } from "@statex/shared/db";
import { describe, expect, it } from "vitest";
import { CACHE_STATUS_HEADER, purgeFor } from "../src/cache";
import worker from "../src/index";
import type { PageKind } from "../src/store";
import { author, call, publish, save, savedAndPublished, source } from "./authoring-helpers";

const SITE = env.SITE_URL;

async function get(path: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://content${path}`), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function view(path: string) {
  const res = await get(path);
  return { status: res.status, cache: res.headers.get(CACHE_STATUS_HEADER), type: res.headers.get("content-type"), body: await res.text(), headers: res.headers };
}

type Seed = { slug: string; title: string; body?: string; kind?: PageKind; tags?: string[]; summary?: string; date?: string; liveAt?: string; hero?: { url: string; alt: string; width: number; height: number } };

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

/**
 * A page and one publication of it, as the authoring side writes them (liveAt in the future is a scheduled one), and
 * the purge the authoring side then makes: the cache lives as long as the test file, as the edge's does.
 */
async function seedPublication(p: Seed, version = 1) {
  const db = database(env.DB);
  await db.insert(schema.pages).values({ slug: p.slug, title: p.title, version }).onConflictDoUpdate({ target: schema.pages.slug, set: { title: p.title, version } });
  const liveAt = p.liveAt ?? iso(-1000);
  await db.insert(schema.pagePublications).values({
    slug: p.slug,
    version,
    kind: p.kind ?? "page",
    title: p.title,
    summary: p.summary ?? null,
    tags: p.tags ?? [],
    locale: "en",
    author: "Ada",
    date: p.date ?? liveAt,
    hero: p.hero ?? null,
    html: `<p>${p.body ?? "Some words."}</p>`,
    text: p.body ?? "Some words.",
    liveAt,
    publishedAt: liveAt,
    announcedAt: p.liveAt && p.liveAt > iso() ? null : liveAt,
  });
  const ctx = createExecutionContext();
  await purgeFor(env, ctx, { slug: p.slug, tags: p.tags ?? [], kind: p.kind ?? "page" });
  await waitOnExecutionContext(ctx);
}

/** A draft only: a page row and no publication. */
async function seedDraft(slug: string, title: string) {
  await database(env.DB).insert(schema.pages).values({ slug, title, version: 1 });
}

/** Publishes a new version as the authoring side does: the row, then the purge of what it touched before and after. */
async function republish(p: Seed, version: number, before: { tags: string[]; kind: PageKind }) {
  await seedPublication(p, version);
  const ctx = createExecutionContext();
  await purgeFor(env, ctx, { slug: p.slug, tags: [...before.tags, ...(p.tags ?? [])], kind: [before.kind, p.kind ?? "page"] });
  await waitOnExecutionContext(ctx);
}

describe("the edge cache", () => {
  it("renders a page once, serves it from the cache, and shows the new text on the view after a publish", async () => {
    await seedPublication({ slug: "cached-a", title: "Cached A", body: "first text", kind: "post", tags: ["edge"] });
    await seedPublication({ slug: "cached-b", title: "Cached B", body: "b's text", tags: ["other"] });

    const first = await view("/site/cached-a");
    expect(first).toMatchObject({ status: 200, cache: "MISS" });
    expect(first.body).toContain("first text");
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate, s-maxage=3600");
    expect(first.headers.has("cache-tag")).toBe(false);
    expect(await view("/site/cached-a")).toMatchObject({ status: 200, cache: "HIT", body: first.body });
    const b = await view("/site/cached-b");
    expect(b.body).toContain("b's text");

    // D1 changes behind the cache's back (no purge): the cache still answers with what it rendered.
    await database(env.DB).update(schema.pagePublications).set({ html: "<p>changed unseen</p>" }).run();
    expect((await view("/site/cached-a")).body).toContain("first text");

    await republish({ slug: "cached-a", title: "Cached A", body: "second text", kind: "post", tags: ["edge"] }, 2, { tags: ["edge"], kind: "post" });
    const after = await view("/site/cached-a");
    expect(after).toMatchObject({ status: 200, cache: "MISS" });
    expect(after.body).toContain("second text");
    expect(after.body).not.toContain("first text");
    // The other page was not touched: still the rendering the cache kept, not what D1 now says.
    expect(await view("/site/cached-b")).toMatchObject({ cache: "HIT", body: b.body });
  });

  it("purges exactly the listings a change touched: its tag pages, the sitemap, and for a post the home list and the feed", async () => {
    await seedPublication({ slug: "lists-post", title: "Lists post", kind: "post", tags: ["alpha"], date: "2026-01-01T00:00:00.000Z" });
    await seedPublication({ slug: "lists-page", title: "Lists page", kind: "page", tags: ["beta"], date: "2026-01-01T00:00:00.000Z" });
    const paths = ["/site/tags/alpha", "/site/tags/beta", "/site/rss.xml", "/site/sitemap.xml", "/pages?kind=post"];
    for (const path of paths) expect((await view(path)).status, path).toBe(200);
    for (const path of paths) expect((await view(path)).cache, path).toBe("HIT");

    // A page (not a post) tagged beta changes: beta's page and the sitemap go, alpha's page, the feed and the home list stay.
    await republish({ slug: "lists-page", title: "Lists page renamed", kind: "page", tags: ["beta"] }, 2, { tags: ["beta"], kind: "page" });
    expect((await view("/site/tags/beta")).body).toContain("Lists page renamed");
    expect((await view("/site/sitemap.xml")).cache).toBe("MISS");
    for (const path of ["/site/tags/alpha", "/site/rss.xml", "/pages?kind=post"]) expect((await view(path)).cache, path).toBe("HIT");

    // A post moving from alpha to gamma: both tag pages, the feed, the home list and the sitemap.
    await republish({ slug: "lists-post", title: "Lists post renamed", kind: "post", tags: ["gamma"] }, 2, { tags: ["alpha"], kind: "post" });
    expect((await view("/site/tags/alpha")).status).toBe(404);
    expect((await view("/site/tags/gamma")).body).toContain("Lists post renamed");
    expect((await view("/site/rss.xml")).body).toContain("Lists post renamed");
    expect((await view("/pages?kind=post")).body).toContain("Lists post renamed");
    expect((await view("/site/tags/beta")).cache).toBe("HIT");
  });

  it("keeps nothing for a page that is not there, so publishing it later needs no purge of its absence", async () => {
    expect((await view("/site/later-page")).status).toBe(404);
    await seedPublication({ slug: "later-page", title: "Later" });
    expect(await view("/site/later-page")).toMatchObject({ status: 200, cache: "MISS" });
  });

  it("lets a cached listing go stale when the next scheduled page goes live, purged or not", async () => {
    await seedPublication({ slug: "soon-now", title: "Already here", kind: "post" });
    await seedPublication({ slug: "soon-later", title: "Scheduled soon", kind: "post", liveAt: iso(2_500) });
    const before = await view("/site/rss.xml");
    expect(before.body).toContain("Already here");
    expect(before.body).not.toContain("Scheduled soon");
    expect(Number(/s-maxage=(\d+)/.exec(before.headers.get("cache-control") ?? "")?.[1])).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 2_700));
    const after = await view("/site/rss.xml");
    expect(after.body).toContain("Scheduled soon");
  });
});

describe("the purge in the cloud", () => {
  /** The stand-in of Cloudflare's API (test/cloudflare-api.ts), at the origin the worker's CF_API_URL names. */
  const standin = (path: string, init?: RequestInit) => fetch(`${new URL(env.CF_API_URL).origin}${path}`, init);
  const calls = async (zone: string) => (await (await standin(`/__calls/${zone}`)).json<{ calls: { authorization: string; body: { tags: string[] } }[] }>()).calls;
  const inCloud = (zone: string) => ({ ...env, CF_ZONE_ID: zone, CF_PURGE_TOKEN: "purge-token" });

  async function purge(zone: string, touched: Parameters<typeof purgeFor>[2]) {
    const ctx = createExecutionContext();
    await purgeFor(inCloud(zone), ctx, touched);
    await waitOnExecutionContext(ctx);
  }

  it("purges the touched pages' tags in one call to the zone, with the purge token", async () => {
    await purge("zone-one", { slug: "cloud-post", tags: ["edge", "größe"], kind: ["page", "post"] });
    expect(await calls("zone-one")).toEqual([
      {
        authorization: "Bearer purge-token",
        body: {
          tags: [
            "statex-site:/p/cloud-post",
            "statex-site:/tags/edge",
            "statex-site:/tags/gr%C3%B6%C3%9Fe",
            "statex-site:/sitemap.xml",
            "statex-site:/api/pages?kind=post",
            "statex-site:/rss.xml",
          ],
        },
      },
    ]);
  });

  it("tags every cached page with the tag its purge names", async () => {
    await seedPublication({ slug: "tagged-entry", title: "Tagged entry", tags: ["edge"] });
    await view("/site/tagged-entry");
    const stored = await caches.default.match(`${SITE}/p/tagged-entry`);
    expect(stored?.headers.get("cache-tag")).toBe("statex-site:/p/tagged-entry");
  });

  it("retries a 429 or a 5xx, and never fails the change it follows when the API refuses for good", async () => {
    await standin("/__script/zone-flaky", { method: "POST", body: JSON.stringify({ answers: [{ status: 503 }, { status: 429 }] }) });
    await purge("zone-flaky", { slug: "flaky", tags: [], kind: "page" });
    expect(await calls("zone-flaky")).toHaveLength(3);

    await standin("/__script/zone-refused", { method: "POST", body: JSON.stringify({ answers: [{ status: 403, body: { success: false, errors: [{ code: 10000, message: "Authentication error" }] } }] }) });
    await expect(purge("zone-refused", { slug: "refused", tags: [], kind: "page" })).resolves.toBeUndefined();
    expect(await calls("zone-refused")).toHaveLength(1);
  });
});

describe("the public pages", () => {
  it("serves a page or post as a whole document with canonical and Open Graph tags, under a policy that runs no script", async () => {
    await seedPublication({
      slug: "og-post",
      title: `Edge & "quotes" <b>`,
      kind: "post",
      summary: "Why the edge",
      tags: ["edge", "größe"],
      hero: { url: "/api/media/abc.png", alt: "A map", width: 1200, height: 630 },
    });
    const page = await view("/site/og-post");
    expect(page.status).toBe(200);
    expect(page.type).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'none'");
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.body).toContain(`<link rel="canonical" href="${SITE}/p/og-post">`);
    expect(page.body).toContain(`<meta property="og:url" content="${SITE}/p/og-post">`);
    expect(page.body).toContain('<meta property="og:type" content="article">');
    expect(page.body).toContain('<meta property="og:title" content="Edge &amp; &quot;quotes&quot; &lt;b&gt;">');
    expect(page.body).toContain('<meta property="og:description" content="Why the edge">');
    expect(page.body).toContain(`<meta property="og:image" content="${SITE}/api/media/abc.png">`);
    expect(page.body).toContain('<meta property="og:image:alt" content="A map">');
    expect(page.body).toContain('<img class="hero" src="/api/media/abc.png" alt="A map" width="1200" height="630">');
    expect(page.body).toContain('<a href="/tags/gr%C3%B6%C3%9Fe" rel="tag">größe</a>');
    expect(page.body).not.toContain("<b>");
    // The same page as JSON, hero and all, in the shape the API document gives it.
    expect(PublishedPage.parse(await (await get("/pages/og-post")).json())).toMatchObject({ slug: "og-post", hero: { url: "/api/media/abc.png", width: 1200 } });
  });

  it("answers 404 for an unknown page, a draft, a page scheduled later, a tag no page has, and addresses that are not a slug or a tag", async () => {
    await seedDraft("only-draft", "Only a draft");
    await seedPublication({ slug: "not-yet", title: "Not yet", kind: "post", tags: ["future"], liveAt: iso(3_600_000) });
    for (const path of ["/site/no-such-page", "/site/only-draft", "/site/not-yet", "/site/tags/future", "/site/tags/no-such-tag", "/site/Not-A-Slug", "/site/tags/Edge%20Computing", "/pages/only-draft", "/pages/not-yet"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toBe("application/problem+json");
    }
  });

  it("lists posts newest first in the feed, every page, post and tag in the sitemap, and neither drafts nor pages scheduled later anywhere", async () => {
    await seedPublication({ slug: "feed-old", title: "Old post", kind: "post", tags: ["feed"], summary: "Older <news>", date: "2026-01-01T09:00:00.000Z" });
    await seedPublication({ slug: "feed-new", title: "New post", kind: "post", tags: ["feed"], date: "2026-03-01T09:00:00.000Z" });
    await seedPublication({ slug: "feed-page", title: "A plain page", kind: "page", tags: ["feed"], date: "2026-04-01T09:00:00.000Z" });
    await seedPublication({ slug: "feed-scheduled", title: "Scheduled post", kind: "post", tags: ["feed"], liveAt: iso(3_600_000) });
    await seedDraft("feed-draft", "Draft post");

    const rss = await view("/site/rss.xml");
    expect(rss.type).toBe("application/rss+xml; charset=utf-8");
    expect(rss.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    const items = [...rss.body.matchAll(/<item>\n<title>([^<]*)<\/title>\n<link>([^<]*)<\/link>/g)].map((m) => [m[1], m[2]]);
    const newIndex = items.findIndex(([title]) => title === "New post");
    expect(newIndex).toBeGreaterThanOrEqual(0);
    expect(items.findIndex(([title]) => title === "Old post")).toBeGreaterThan(newIndex);
    expect(items).toContainEqual(["New post", `${SITE}/p/feed-new`]);
    expect(rss.body).toContain("<pubDate>Sun, 01 Mar 2026 09:00:00 GMT</pubDate>");
    expect(rss.body).toContain("<description>Older &lt;news&gt;</description>");
    expect(rss.body).not.toContain("A plain page");

    const map = await view("/site/sitemap.xml");
    expect(map.type).toBe("application/xml; charset=utf-8");
    expect(map.body).toContain(`<url><loc>${SITE}/</loc></url>`);
    for (const slug of ["feed-old", "feed-new", "feed-page"]) expect(map.body).toContain(`<loc>${SITE}/p/${slug}</loc>`);
    expect(map.body).toContain(`<url><loc>${SITE}/tags/feed</loc></url>`);

    const tag = await view("/site/tags/feed");
    expect(tag.type).toBe("text/html; charset=utf-8");
    expect(tag.body).toContain('<link rel="canonical"');
    expect([...tag.body.matchAll(/<li><a href="\/p\/([^"]+)">/g)].map((m) => m[1])).toEqual(["feed-page", "feed-new", "feed-old"]);

    const home = PublishedList.parse(await (await get("/pages?kind=post")).json());
    expect(home.pages.every((p) => p.kind === "post")).toBe(true);
    const all = PublishedList.parse(await (await get("/pages")).json());
    expect(all.pages.map((p) => p.slug)).toEqual(expect.arrayContaining(["feed-page", "feed-new", "feed-old"]));
    expect(home.pages.map((p) => p.slug)).toEqual(expect.arrayContaining(["feed-new", "feed-old"]));
    for (const body of [rss.body, map.body, tag.body, JSON.stringify(home)]) {
      expect(body).not.toContain("feed-scheduled");
      expect(body).not.toContain("feed-draft");
    }
  });
});

describe("through the authoring routes", () => {
  it("purges on every publish, retag and unpublish, so each next view shows what is live, while an untouched page stays cached", async () => {
    await savedAndPublished("routes-other", { title: "Routes other", kind: "post", tags: ["routes-other"] }, "Other body.");
    await view("/site/routes-other");
    await savedAndPublished("routes-post", { title: "Routes post", kind: "post", tags: ["routes"] }, "First body.");
    expect(await view("/site/routes-post")).toMatchObject({ status: 200, cache: "MISS" });
    expect((await view("/site/routes-post")).cache).toBe("HIT");
    expect((await view("/site/tags/routes")).body).toContain("Routes post");

    expect((await save("routes-post", source("routes-post", { title: "Routes post", kind: "post", tags: ["moved"] }, "Second body."), 1)).status).toBe(200);
    expect((await publish("routes-post")).status).toBe(200);
    expect((await view("/site/routes-post")).body).toContain("Second body.");
    expect((await view("/site/tags/routes")).status).toBe(404);
    expect((await view("/site/tags/moved")).body).toContain("Routes post");

    expect((await call("/pages/routes-post/unpublish", { method: "POST", as: author })).status).toBe(200);
    expect((await view("/site/routes-post")).status).toBe(404);
    expect((await view("/site/tags/moved")).status).toBe(404);
    for (const path of ["/site/rss.xml", "/site/sitemap.xml", "/pages?kind=post"]) expect((await view(path)).body, path).not.toContain("routes-post");
    expect(await view("/site/routes-other")).toMatchObject({ status: 200, cache: "HIT" });
  });
});
