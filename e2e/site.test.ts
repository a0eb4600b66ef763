// The public site as a visitor meets it: through the site's Pages Functions, the gateway and the content worker with
// its edge cache, while an author publishes, republishes, schedules and unpublishes through the API.
import { describe, expect, it } from "vitest";
import { opsHeaders, siteUrl } from "./helpers";

let ip = 0;
/** Each view from an address of its own, so the gateway's per-address limit never answers instead of the page. */
const visitor = () => ({ "cf-connecting-ip": `198.51.100.${(ip++ % 250) + 1}` });

async function view(path: string) {
  const res = await fetch(`${siteUrl()}${path}`, { headers: visitor(), redirect: "manual" });
  return { status: res.status, type: res.headers.get("content-type") ?? "", cache: res.headers.get("x-edge-cache"), csp: res.headers.get("content-security-policy") ?? "", body: await res.text() };
}

async function author(path: string, method: string, body?: unknown) {
  const res = await fetch(`${siteUrl()}/api${path}`, {
    method,
    headers: { ...(await opsHeaders()), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as { version?: number };
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
  return answer;
}

const source = (slug: string, text: string, tags: string[]) =>
  `---\ntitle: ${text}\nslug: ${slug}\nkind: post\ntags: [${tags.join(", ")}]\nsummary: About ${text}\ndraft: false\n---\n${text} is the body.\n`;

/** Saves a new version of a post on top of `base` and publishes it (now, or `at`); answers the saved version. */
async function publish(slug: string, text: string, tags: string[], base: number, at?: string) {
  const { version } = await author(`/pages/${slug}`, "PUT", { markdown: source(slug, text, tags), baseVersion: base });
  await author(`/pages/${slug}/publish`, "POST", at ? { at } : {});
  return version ?? base + 1;
}

describe("the public site", () => {
  it("serves a post from the edge cache, shows the new text on the first view after a publish, and forgets it everywhere on unpublish", async () => {
    const other = await publish("e2e-other-post", "Untouched words", ["e2e-other"], 0);
    expect(other).toBe(1);
    expect((await view("/p/e2e-other-post")).status).toBe(200);
    expect((await view("/p/e2e-other-post")).cache).toBe("HIT");

    let version = await publish("e2e-site-post", "First words", ["e2e-edge"], 0);
    const first = await view("/p/e2e-site-post");
    expect(first).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(first.csp).toContain("script-src 'none'");
    expect(first.body).toContain(`<link rel="canonical" href="${siteUrl()}/p/e2e-site-post">`);
    expect(first.body).toContain('<meta property="og:title" content="First words">');
    expect((await view("/p/e2e-site-post")).cache).toBe("HIT");
    for (const path of ["/tags/e2e-edge", "/rss.xml", "/sitemap.xml", "/api/pages?kind=post"]) expect((await view(path)).body, path).toContain("e2e-site-post");

    version = await publish("e2e-site-post", "Second words", ["e2e-edge"], version);
    const second = await view("/p/e2e-site-post");
    expect(second.body).toContain("Second words is the body.");
    expect(second.body).not.toContain("First words");
    expect((await view("/tags/e2e-edge")).body).toContain("Second words");
    expect((await view("/rss.xml")).body).toContain("<title>Second words</title>");
    expect(await view("/p/e2e-other-post")).toMatchObject({ status: 200, cache: "HIT" });

    await author("/pages/e2e-site-post/unpublish", "POST");
    const gone = await view("/p/e2e-site-post");
    expect(gone).toMatchObject({ status: 404, type: "text/html; charset=utf-8" });
    expect(gone.body).toContain("<h1>Page not found</h1>");
    expect((await view("/tags/e2e-edge")).status).toBe(404);
    for (const path of ["/rss.xml", "/sitemap.xml", "/api/pages?kind=post"]) expect((await view(path)).body, path).not.toContain("e2e-site-post");
  });

  it("shows a scheduled post at its time and not before, on its page, its tag's page, the feed and the home page's list", async () => {
    const at = new Date(Date.now() + 4_000).toISOString();
    await publish("e2e-scheduled", "Scheduled words", ["e2e-later"], 0, at);
    for (const path of ["/p/e2e-scheduled", "/tags/e2e-later"]) expect((await view(path)).status, path).toBe(404);
    for (const path of ["/rss.xml", "/sitemap.xml", "/api/pages?kind=post"]) expect((await view(path)).body, path).not.toContain("e2e-scheduled");
    await new Promise((r) => setTimeout(r, Date.parse(at) - Date.now() + 1_100));
    expect((await view("/p/e2e-scheduled")).status).toBe(200);
    for (const path of ["/tags/e2e-later", "/rss.xml", "/sitemap.xml", "/api/pages?kind=post"]) expect((await view(path)).body, path).toContain("e2e-scheduled");
  });

  it("answers the site's 404 page for any unknown address", async () => {
    for (const path of ["/no-such-page", "/p/no-such-post", "/p/Not-A-Slug", "/tags/Not%20A%20Tag"]) {
      const res = await view(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toContain("<h1>Page not found</h1>");
    }
  });
});
