import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Role } from "@statex/shared/auth";
import { describe, expect, it } from "vitest";
import { database } from "@statex/shared/db";
import { createEvent } from "@statex/shared/events";
import { SITE_HEAD, SITE_HEADER } from "@statex/shared/site";
import worker from "../src/index";
import { outboxInsertIfPublished } from "../src/routes/authoring";

type As = { userId: string; role: Role };
const author: As = { userId: "usr_AUTHOR", role: "author" };
const ops: As = { userId: "usr_OPS", role: "ops" };
const client: As = { userId: "usr_CLIENT", role: "client" };

async function call(path: string, init: RequestInit & { as?: As } = {}) {
  const headers = new Headers(init.headers);
  if (init.as) {
    headers.set("x-statex-user-id", init.as.userId);
    headers.set("x-statex-user-role", init.as.role);
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://content${path}`, { ...init, headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const source = (title: string, body = "Hello **world**.") => `---\ntitle: ${title}\ndescription: About ${title}\n---\n${body}`;

function saveDraft(slug: string, markdown: string, as: As = author) {
  return call(`/pages/${slug}`, { method: "PUT", as, headers: { "content-type": "application/json" }, body: JSON.stringify({ markdown }) });
}
const publish = (slug: string, as: As = author) => call(`/pages/${slug}/publish`, { method: "POST", as });

async function outbox(type: string) {
  return (await env.DB.prepare("select body, sent_at from event_outbox where type = ?").bind(type).all<{ body: string; sent_at: string | null }>()).results;
}

describe("drafts and publishing", () => {
  it("keeps a draft private until it is published, then serves the new version everywhere", async () => {
    const created = await saveDraft("about", source("About us"));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: "about", title: "About us", status: "draft", version: 0, html: "<p>Hello <strong>world</strong>.</p>" });
    expect((await call("/pages/about")).status).toBe(404);
    expect((await call("/site/about")).status).toBe(404);
    expect((await (await call("/pages")).json<{ pages: unknown[] }>()).pages).toEqual([]);

    const published = await publish("about");
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ slug: "about", title: "About us", version: 1 });

    const page = await (await call("/pages/about")).json<{ html: string; version: number; description: string }>();
    expect(page).toMatchObject({ version: 1, description: "About About us", html: "<p>Hello <strong>world</strong>.</p>" });
    const object = await env.FILES.get("site/pages/about.html");
    expect(object?.customMetadata?.version).toBe("1");
    const stored = (await object?.text()) ?? "";
    expect(stored).toContain('<link rel="stylesheet" href="/styles.css">');
    expect(stored).toContain('<a href="/submit.html">');
    expect(stored).toContain("<h1>About us</h1>");

    // A new draft changes nothing live until the next publish, which bumps the version.
    expect((await saveDraft("about", source("About StateX", "New *text*"))).status).toBe(200);
    expect((await (await call("/pages/about")).json<{ version: number }>()).version).toBe(1);
    expect(await (await call("/pages/about/draft", { as: author })).json()).toMatchObject({ title: "About StateX", unpublishedChanges: true });
    expect((await (await publish("about")).json<{ version: number }>()).version).toBe(2);
    expect(await (await call("/pages/about")).json()).toMatchObject({ title: "About StateX", version: 2, html: "<p>New <em>text</em></p>" });
    expect((await env.FILES.get("site/pages/about.html"))?.customMetadata?.version).toBe("2");
    expect((await (await call("/pages")).json<{ pages: { slug: string; title: string }[] }>()).pages).toEqual([
      expect.objectContaining({ slug: "about", title: "About StateX", version: 2 }),
    ]);

    // Publishing what is already live is a no-op.
    expect((await (await publish("about")).json<{ version: number }>()).version).toBe(2);
    const events = await outbox("content.published");
    expect(events.map((e) => JSON.parse(e.body).data)).toEqual([{ slug: "about", version: 1 }, { slug: "about", version: 2 }]);
    expect(events.every((e) => e.sent_at !== null)).toBe(true);
  });

  it("serves the full page from R2 as text/html, and re-renders it when R2 lags behind", async () => {
    await saveDraft("pricing", source("Pricing", "<script>alert(1)</script>"));
    await publish("pricing");
    const res = await call("/site/pricing");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    // The same head and header as every static page of the site.
    expect(html).toContain(`<head>\n${SITE_HEAD}\n<title>Pricing — StateX</title>\n<meta name="description" content="About Pricing">\n</head>`);
    expect(html).toContain(SITE_HEADER);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");

    await env.FILES.delete("site/pages/pricing.html");
    expect(await (await call("/site/pricing")).text()).toBe(html);
    expect(await env.FILES.head("site/pages/pricing.html")).not.toBeNull();
  });

  it("takes text/markdown bodies too", async () => {
    const res = await call("/pages/faq", { method: "PUT", as: ops, headers: { "content-type": "text/markdown" }, body: source("FAQ") });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ title: "FAQ", updatedBy: "usr_OPS" });
  });

  it("lists every draft for authors, without sources", async () => {
    await saveDraft("listed", source("Listed"));
    const { drafts } = await (await call("/drafts", { as: author })).json<{ drafts: Record<string, unknown>[] }>();
    expect(drafts.find((d) => d.slug === "listed")).toMatchObject({ title: "Listed", status: "draft" });
    expect(drafts.every((d) => !("markdown" in d))).toBe(true);
  });

  it("removes a page: row, R2 object and a content.deleted event", async () => {
    await saveDraft("gone", source("Gone"));
    await publish("gone");
    const res = await call("/pages/gone", { method: "DELETE", as: author });
    expect(res.status).toBe(204);
    expect((await call("/pages/gone")).status).toBe(404);
    expect((await call("/site/gone")).status).toBe(404);
    expect(await env.FILES.head("site/pages/gone.html")).toBeNull();
    expect((await outbox("content.deleted")).map((e) => JSON.parse(e.body).data)).toContainEqual({ slug: "gone" });
    expect((await call("/pages/gone", { method: "DELETE", as: author })).status).toBe(404);
  });
});

describe("validation and access", () => {
  it("names the front matter field that is wrong", async () => {
    const res = await saveDraft("bad", "---\ndescription: no title\n---\nbody");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field)).toEqual(["frontMatter.title"]);
  });

  it.each(["About", "a_b", "-lead", "trail-", "a--b", "a".repeat(101)])("refuses the slug %j", async (slug) => {
    const res = await saveDraft(slug, source("x"));
    expect(res.status).toBe(400);
    expect((await res.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe("param.slug");
  });

  it("refuses bodies that are neither JSON nor markdown, and JSON without markdown", async () => {
    expect((await call("/pages/x", { method: "PUT", as: author, headers: { "content-type": "text/plain" }, body: "hi" })).status).toBe(415);
    const res = await call("/pages/x", { method: "PUT", as: author, headers: { "content-type": "application/json" }, body: "{}" });
    expect((await res.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe("markdown");
  });

  it("lets only authors and ops write or see drafts: 401 anonymous, 403 clients", async () => {
    await saveDraft("secret", source("Secret"));
    const attempts: [string, RequestInit][] = [
      ["/drafts", {}],
      ["/pages/secret/draft", {}],
      ["/pages/secret", { method: "PUT", headers: { "content-type": "text/markdown" }, body: source("Hijack") }],
      ["/pages/secret/publish", { method: "POST" }],
      ["/pages/secret", { method: "DELETE" }],
    ];
    for (const [path, init] of attempts) {
      expect((await call(path, init)).status).toBe(401);
      expect((await call(path, { ...init, as: client })).status).toBe(403);
    }
    expect(await (await call("/pages/secret/draft", { as: author })).json()).toMatchObject({ title: "Secret", status: "draft" });
  });
});

describe("events", () => {
  it("writes no publish event when the publish lost a race (the row is not at our version and time)", async () => {
    await env.DB.prepare("insert into pages (slug, title, draft_body, version, status, published_at) values ('race', 'Race', ?, 3, 'published', 'T-winner')")
      .bind(source("Race"))
      .run();
    const db = database(env.DB);
    const loser = createEvent("content.published", { slug: "race", version: 3 }, { correlationId: "c1", source: "content" });
    await db.batch([outboxInsertIfPublished(db, loser, "T-loser")]);
    expect(await env.DB.prepare("select id from event_outbox where id = ?").bind(loser.id).first()).toBeNull();
    const winner = createEvent("content.published", { slug: "race", version: 3 }, { correlationId: "c2", source: "content" });
    await db.batch([outboxInsertIfPublished(db, winner, "T-winner")]);
    const row = await env.DB.prepare("select type, body, sent_at from event_outbox where id = ?").bind(winner.id).first<{ type: string; body: string; sent_at: null }>();
    expect(row).toEqual({ type: "content.published", body: JSON.stringify(winner), sent_at: null });
  });

  it("relays a draft's content.updated, and the cron sends what is left", async () => {
    await saveDraft("cron", source("Cron"));
    await env.DB.prepare("update event_outbox set sent_at = null where body like '%\"cron\"%'").run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const rows = (await outbox("content.updated")).filter((e) => JSON.parse(e.body).data.slug === "cron");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.sent_at).not.toBeNull();
  });
});
