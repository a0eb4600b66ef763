import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Draft, Drafts, PageStanding, PublishedPage, SavedVersion, SearchResults, Versions } from "@statex/shared/api/content";
import { listPublished, publishedPage } from "../src/store";
import { type Problem, author, call, client, cronAt, events, json, ops, otherAuthor, publish, save, savedAndPublished, source } from "./authoring-helpers";


describe("saving: every version kept, a stale save refused", () => {
  it("keeps every save as a version and refuses a save based on an older one, naming the newer", async () => {
    const first = await save("about", source("about", { title: "About us" }));
    expect(first.status).toBe(201);
    expect(Draft.parse(await first.json())).toMatchObject({ slug: "about", version: 1, status: "draft", live: null, front: { title: "About us" }, html: "<p>Hello <strong>world</strong>.</p>\n" });

    // Two authors load version 1; the first to save wins, the second is told which version beat them.
    expect((await save("about", source("about", { title: "About StateX" }), 1, author)).status).toBe(200);
    const stale = await save("about", source("about", { title: "About the team" }), 1, otherAuthor);
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    const problem = await stale.json<Problem>();
    expect(problem.detail).toContain("Version 2");
    expect(problem.errors).toEqual([{ field: "baseVersion", message: "version 2 is the newest" }]);
    // A save without a base is a new page's: refused where the page exists, so no one overwrites by accident.
    expect((await save("about", source("about", { title: "Blind" }))).status).toBe(409);

    const { versions } = Versions.parse(await (await call("/pages/about/versions", { as: author })).json());
    expect(versions.map((v) => [v.version, v.title, v.createdBy])).toEqual([
      [2, "About StateX", "usr_AUTHOR"],
      [1, "About us", "usr_AUTHOR"],
    ]);
    expect(SavedVersion.parse(await (await call("/pages/about/versions/1", { as: author })).json())).toMatchObject({ version: 1, markdown: source("about", { title: "About us" }) });
  });

  it("restores an earlier version as a new draft, keeping every version after it", async () => {
    await save("restore", source("restore", { title: "One" }));
    await save("restore", source("restore", { title: "Two" }), 1);
    const restored = await call("/pages/restore/versions/1/restore", { method: "POST", as: author });
    expect(restored.status).toBe(200);
    expect(Draft.parse(await restored.json())).toMatchObject({ version: 3, front: { title: "One" }, markdown: source("restore", { title: "One" }) });
    const { versions } = Versions.parse(await (await call("/pages/restore/versions", { as: author })).json());
    expect(versions.map((v) => [v.version, v.restoredFrom])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);
    // A restore based on a stale version is refused like a save.
    expect((await call("/pages/restore/versions/2/restore", { method: "POST", as: author, ...json({ baseVersion: 2 }) })).status).toBe(409);
    expect((await call("/pages/restore/versions/9/restore", { method: "POST", as: author })).status).toBe(404);
  });

  it("takes text/markdown with ?baseVersion= too, and names what is wrong", async () => {
    const md = (title: string) => call("/pages/faq?baseVersion=1", { method: "PUT", as: ops, headers: { "content-type": "text/markdown" }, body: source("faq", { title }) });
    expect((await save("faq", source("faq", { title: "FAQ" }))).status).toBe(201);
    expect(await (await md("FAQ 2")).json()).toMatchObject({ version: 2 });
    expect((await md("FAQ 3")).status).toBe(409);

    const wrongSlug = await save("faq2", source("other", { title: "x" }));
    expect((await wrongSlug.json<Problem>()).errors).toEqual([{ field: "frontMatter.slug", message: "must be the page's own, faq2" }]);
    const noTitle = await save("bad", "---\nslug: bad\n---\nbody");
    expect(noTitle.status).toBe(400);
    expect((await noTitle.json<Problem>()).errors?.map((e) => e.field)).toEqual(["frontMatter.title"]);
    const externalHero = await save("hero", source("hero", { title: "x", hero: "https://example.com/a.png", heroAlt: "a" }));
    expect((await externalHero.json<Problem>()).errors?.map((e) => e.field)).toEqual(["frontMatter.hero"]);
  });

  it.each(["About", "a_b", "-lead", "a--b", "a".repeat(101)])("refuses the slug %j", async (slug) => {
    const res = await save(slug, source("x", { title: "x" }));
    expect(res.status).toBe(400);
    expect((await res.json<Problem>()).errors?.[0]?.field).toBe("param.slug");
  });

  it("lets only authors and ops write, publish or see drafts: 401 anonymous, 403 clients", async () => {
    await save("secret", source("secret", { title: "Secret" }));
    const attempts: [string, RequestInit][] = [
      ["/drafts", {}],
      ["/pages/secret/draft", {}],
      ["/pages/secret/versions", {}],
      ["/pages/secret/versions/1", {}],
      ["/pages/secret/versions/1/restore", { method: "POST" }],
      ["/pages/secret", { method: "PUT", headers: { "content-type": "text/markdown" }, body: source("secret", { title: "Hijack" }) }],
      ["/pages/secret/publish", { method: "POST" }],
      ["/pages/secret/unpublish", { method: "POST" }],
      ["/pages/secret/preview-link", { method: "POST" }],
      ["/pages/secret", { method: "DELETE" }],
    ];
    for (const [path, init] of attempts) {
      expect((await call(path, init)).status, path).toBe(401);
      expect((await call(path, { ...init, as: client })).status, path).toBe(403);
    }
    expect(await (await call("/pages/secret/draft", { as: author })).json()).toMatchObject({ status: "draft", version: 1 });
  });
});

describe("publishing", () => {
  it("publishes the draft now: on the site, announced with who acted, and a later save waits for the next publish", async () => {
    await save("launch", source("launch", { title: "Launch", kind: "post", tags: ["news"] }));
    expect(await publishedPage(env.DB, "launch")).toBeUndefined();
    const res = await publish("launch");
    expect(res.status).toBe(200);
    expect(PageStanding.parse(await res.json())).toMatchObject({ status: "published", live: { version: 1 }, unpublishedChanges: false });
    expect(await publishedPage(env.DB, "launch")).toMatchObject({ slug: "launch", kind: "post", tags: ["news"], version: 1, html: "<p>Hello <strong>world</strong>.</p>\n" });
    expect(await events("content.published")).toContainEqual({ slug: "launch", kind: "post", tags: ["news"], version: 1, by: "usr_AUTHOR", scheduled: false });

    await save("launch", source("launch", { title: "Launch!", kind: "post", tags: ["news", "product"] }, "New *text*"), 1);
    expect((await publishedPage(env.DB, "launch"))?.title).toBe("Launch");
    expect(Draft.parse(await (await call("/pages/launch/draft", { as: author })).json())).toMatchObject({ version: 2, unpublishedChanges: true });
    await publish("launch", {}, ops);
    const page = await publishedPage(env.DB, "launch");
    expect(page).toMatchObject({ title: "Launch!", version: 2, html: "<p>New <em>text</em></p>\n", tags: ["news", "product"] });
    // The date a post shows is its first publication's, not its latest edit's.
    expect(page?.date).toBe(page?.publishedAt);
    expect(await events("content.updated")).toContainEqual({ slug: "launch", kind: "post", tags: ["news", "product"], version: 2, change: "republished", by: "usr_OPS" });
    // Publishing what is live already changes nothing.
    await publish("launch");
    expect((await events("content.updated")).filter((e) => e.slug === "launch")).toHaveLength(1);
  });

  it("refuses to publish a version whose front matter says draft: true, naming the field", async () => {
    await save("wip", source("wip", { title: "WIP", draft: true }));
    const res = await publish("wip");
    expect(res.status).toBe(409);
    expect((await res.json<Problem>()).errors).toEqual([{ field: "frontMatter.draft", message: "must be false to publish" }]);
    expect(await publishedPage(env.DB, "wip")).toBeUndefined();
  });

  it("publishes at a time: nowhere before it, everywhere from it, announced by the cron that runs then", async () => {
    await savedAndPublished("sched-live", { title: "Already live", kind: "post" });
    await save("sched", source("sched", { title: "Scheduled", kind: "post", tags: ["later"] }, "The **future** is here."));
    const at = new Date(Date.now() + 3600_000);
    const res = await publish("sched", { at: at.toISOString() });
    expect(res.status).toBe(200);
    expect(PageStanding.parse(await res.json())).toMatchObject({ status: "scheduled", live: null, scheduled: { version: 1, at: at.toISOString() } });

    const before = new Date(at.getTime() - 1);
    expect(await publishedPage(env.DB, "sched", before)).toBeUndefined();
    expect((await listPublished(env.DB, { now: before })).map((p) => p.slug)).not.toContain("sched");
    expect(await listPublished(env.DB, { tag: "later", now: before })).toEqual([]);
    // A cron run before its time announces nothing and finds nothing to search.
    await cronAt(new Date(at.getTime() - 60_000));
    expect((await events("content.published")).filter((e) => e.slug === "sched")).toEqual([]);
    expect((await call("/search?q=future")).status).toBe(200);
    expect((await (await call("/search?q=future")).json<{ results: unknown[] }>()).results).toEqual([]);

    // On time, whether or not the cron has run yet.
    expect(await publishedPage(env.DB, "sched", at)).toMatchObject({ title: "Scheduled", publishedAt: at.toISOString(), updatedAt: at.toISOString() });
    expect((await listPublished(env.DB, { kind: "post", now: at })).map((p) => p.slug).slice(0, 2)).toEqual(["sched", "sched-live"]);
    expect((await listPublished(env.DB, { tag: "later", now: at })).map((p) => p.slug)).toEqual(["sched"]);

    await cronAt(new Date(at.getTime() + 1_000));
    expect(await events("content.published")).toContainEqual({ slug: "sched", kind: "post", tags: ["later"], version: 1, by: "usr_AUTHOR", scheduled: true });
    const found = await (await call("/search?q=future")).json<{ results: { slug: string }[] }>();
    expect(found.results.map((r) => r.slug)).toEqual(["sched"]);
    // A second run announces it no second time.
    await cronAt(new Date(at.getTime() + 61_000));
    expect((await events("content.published")).filter((e) => e.slug === "sched")).toHaveLength(1);
  });

  it("keeps the live version until a scheduled newer one takes over, then replaces it", async () => {
    await savedAndPublished("swap", { title: "Old", tags: ["a"] });
    await save("swap", source("swap", { title: "New", tags: ["b"] }), 1);
    const at = new Date(Date.now() + 600_000);
    expect(PageStanding.parse(await (await publish("swap", { at: at.toISOString() })).json())).toMatchObject({ status: "published", live: { version: 1 }, scheduled: { version: 2 } });
    expect((await publishedPage(env.DB, "swap"))?.title).toBe("Old");
    expect(await publishedPage(env.DB, "swap", at)).toMatchObject({ title: "New", version: 2 });
    expect((await listPublished(env.DB, { now: at })).filter((p) => p.slug === "swap").map((p) => p.title)).toEqual(["New"]);

    await cronAt(at);
    expect(await events("content.updated")).toContainEqual({ slug: "swap", kind: "page", tags: ["b"], version: 2, change: "republished", by: "usr_AUTHOR" });
    const rows = await env.DB.prepare("select version from page_publications where slug = 'swap'").all<{ version: number }>();
    expect(rows.results).toEqual([{ version: 2 }]);
  });

  it("refuses a time that is not an ISO date-time with its offset, naming `at`", async () => {
    await save("when", source("when", { title: "When" }));
    for (const at of ["tomorrow", "2026-05-01", "2026-05-01T09:00:00"]) {
      const res = await publish("when", { at });
      expect(res.status).toBe(400);
      expect((await res.json<Problem>()).errors?.[0]?.field).toBe("at");
    }
    expect(((await (await publish("when", { at: "2999-01-01T00:00:00Z" })).json()) as Problem).errors?.[0]?.field).toBe("at");
  });
});

describe("unpublishing and deleting", () => {
  it("unpublishes: gone from the site and search, a draft again, announced with who acted", async () => {
    await savedAndPublished("gone-soon", { title: "Gone soon", kind: "post", tags: ["x"] }, "Ephemeral words.");
    expect((await (await call("/search?q=ephemeral")).json<{ results: unknown[] }>()).results).toHaveLength(1);
    const res = await call("/pages/gone-soon/unpublish", { method: "POST", as: author });
    expect(res.status).toBe(200);
    expect(PageStanding.parse(await res.json())).toMatchObject({ status: "draft", live: null, version: 1 });
    expect(await publishedPage(env.DB, "gone-soon")).toBeUndefined();
    expect((await listPublished(env.DB)).map((p) => p.slug)).not.toContain("gone-soon");
    expect((await (await call("/search?q=ephemeral")).json<{ results: unknown[] }>()).results).toEqual([]);
    expect(await events("content.updated")).toContainEqual({ slug: "gone-soon", kind: "post", tags: ["x"], version: null, change: "unpublished", by: "usr_AUTHOR" });
    // Once more: nothing left to take off, no second event.
    await call("/pages/gone-soon/unpublish", { method: "POST", as: author });
    expect((await events("content.updated")).filter((e) => e.slug === "gone-soon")).toHaveLength(1);
  });

  it("unpublishing a page that was only scheduled cancels the schedule", async () => {
    await save("never", source("never", { title: "Never" }));
    const at = new Date(Date.now() + 600_000);
    await publish("never", { at: at.toISOString() });
    await call("/pages/never/unpublish", { method: "POST", as: author });
    expect(await publishedPage(env.DB, "never", at)).toBeUndefined();
    await cronAt(at);
    expect((await events("content.published")).filter((e) => e.slug === "never")).toEqual([]);
  });

  it("deletes a page with every version: off the site and search, announced with who acted", async () => {
    await savedAndPublished("doomed", { title: "Doomed", tags: ["t"] }, "Condemned paragraph.");
    const res = await call("/pages/doomed", { method: "DELETE", as: ops });
    expect(res.status).toBe(204);
    expect(await publishedPage(env.DB, "doomed")).toBeUndefined();
    expect((await call("/pages/doomed/versions", { as: author })).status).toBe(404);
    expect((await (await call("/search?q=condemned")).json<{ results: unknown[] }>()).results).toEqual([]);
    const left = await env.DB.prepare("select (select count(*) from page_versions where slug = 'doomed') + (select count(*) from page_publications where slug = 'doomed') as n").first<{ n: number }>();
    expect(left?.n).toBe(0);
    expect(await events("content.deleted")).toContainEqual({ slug: "doomed", kind: "page", tags: ["t"], by: "usr_OPS" });
    expect((await call("/pages/doomed", { method: "DELETE", as: ops })).status).toBe(404);
  });
});

describe("the authors' list", () => {
  it("lists every page with where it stands, without sources", async () => {
    await save("listed", source("listed", { title: "Listed" }));
    const { pages } = Drafts.parse(await (await call("/drafts", { as: author })).json());
    expect(pages.find((p) => p.slug === "listed")).toMatchObject({ title: "Listed", status: "draft", version: 1, url: "/p/listed" });
    expect(pages.every((p) => !("markdown" in p))).toBe(true);
  });
});

describe("pages carried over from the old model", () => {
  it("are rendered, indexed and announced by the cron, and readable before it ran", async () => {
    const old = "---\ntitle: Old page\ndescription: From before\n---\nCarried **over**.";
    await env.DB.batch([
      env.DB.prepare("insert into pages (slug, title, version) values ('old', 'Old page', 1)"),
      env.DB.prepare("insert into page_versions (slug, version, body, title) values ('old', 1, ?, 'Old page')").bind(old),
      env.DB.prepare(
        "insert into page_publications (slug, version, kind, title, summary, tags, locale, date, html, text, live_at, published_at, published_by) values ('old', 1, 'page', 'Old page', 'From before', '[]', 'en', '2025-01-01T00:00:00.000Z', '', '', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'usr_OLD')",
      ),
    ]);
    expect((await publishedPage(env.DB, "old"))?.html).toBe("<p>Carried <strong>over</strong>.</p>\n");
    await cronAt(new Date());
    const row = await env.DB.prepare("select html, announced_at from page_publications where slug = 'old'").first<{ html: string; announced_at: string | null }>();
    expect(row?.html).toBe("<p>Carried <strong>over</strong>.</p>\n");
    expect(row?.announced_at).not.toBeNull();
    expect(SearchResults.parse(await (await call("/search?q=carried")).json()).results.map((r) => r.slug)).toEqual(["old"]);
    // Its source has no slug: the draft still opens, its front matter null and the problems saying what to fix.
    expect(Draft.parse(await (await call("/pages/old/draft", { as: author })).json())).toMatchObject({ front: null, html: "<p>Carried <strong>over</strong>.</p>\n" });
    // As published before today's front matter, and as the site lists it.
    expect(PublishedPage.parse(await (await call("/pages/old")).json())).toMatchObject({ slug: "old", summary: "From before", author: null, hero: null });
    expect(await events("content.published")).toContainEqual({ slug: "old", kind: "page", tags: [], version: 1, by: "usr_OLD", scheduled: false });
  });
});
