import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PreviewLink } from "@statex/shared/api/content";
import { previewLink } from "../src/preview";
import { type Problem, author, call, json, save, source } from "./authoring-helpers";

type Link = { url: string; expiresAt: string; version: number };

const makeLink = async (slug: string, body: Record<string, unknown> = {}) => call(`/pages/${slug}/preview-link`, { method: "POST", as: author, ...json(body) });
/** The gateway serves /api/preview/…; the worker itself, /preview/…. */
const open = (url: string) => call(url.replace(/^\/api/, ""));

describe("preview links", () => {
  it("shows a draft to anyone holding the link, as the site would, and the version it was made for", async () => {
    await save("sneak", source("sneak", { title: "Sneak peek", draft: true }, "Not *yet* public."));
    const res = await makeLink("sneak");
    expect(res.status).toBe(201);
    const link = PreviewLink.parse(await res.json());
    expect(link.version).toBe(1);
    expect(link.url).toMatch(/^\/api\/preview\/sneak\?token=1\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);

    const page = await open(link.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'none'");
    const html = await page.text();
    expect(html).toContain("<h1>Sneak peek</h1>");
    expect(html).toContain("<p>Not <em>yet</em> public.</p>");

    // A newer save does not change what the link shows; a link to the newer version does.
    await save("sneak", source("sneak", { title: "Sneak peek, v2", draft: true }), 1);
    expect(await (await open(link.url)).text()).toContain("<h1>Sneak peek</h1>");
    const newer = await (await makeLink("sneak")).json<Link>();
    expect(newer.version).toBe(2);
    expect(await (await open(newer.url)).text()).toContain("<h1>Sneak peek, v2</h1>");
    const older = await (await makeLink("sneak", { version: 1, expiresInMinutes: 5 })).json<Link>();
    expect(older.version).toBe(1);
    expect(Date.parse(older.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });

  it("refuses an expired link with 410 and a forged one with 403, naming the token", async () => {
    await save("guarded", source("guarded", { title: "Guarded" }));
    const expired = await previewLink(env.PREVIEW_TOKEN_SECRET, "guarded", 1, 60_000, Date.now() - 120_000);
    const gone = await open(expired.url);
    expect(gone.status).toBe(410);
    expect((await gone.json<Problem>()).errors?.[0]?.field).toBe("token");

    const valid = await (await makeLink("guarded")).json<Link>();
    const token = new URL(valid.url, "http://x").searchParams.get("token") ?? "";
    const [version, expiry, mac] = token.split(".");
    const forgeries = [
      `/preview/guarded?token=${version}.${Number(expiry) + 3600}.${mac}`, // stretched
      `/preview/guarded?token=2.${expiry}.${mac}`, // another version
      `/preview/other?token=${token}`, // another page
      `/preview/guarded?token=${version}.${expiry}.${"A".repeat(43)}`, // made up
      `/preview/guarded?token=${(await previewLink("not-our-secret", "guarded", 1, 60_000)).url.split("token=")[1]}`,
      "/preview/guarded?token=garbage",
    ];
    for (const url of forgeries) {
      const res = await call(url);
      expect(res.status, url).toBe(403);
      expect((await res.json<Problem>()).errors?.[0]?.field).toBe("token");
    }
    const missing = await call("/preview/guarded");
    expect(missing.status).toBe(400);
    expect((await missing.json<Problem>()).errors?.[0]?.field).toBe("query.token");
  });

  it("answers 404 for a link to a page deleted since, and for a version that does not exist", async () => {
    await save("fleeting", source("fleeting", { title: "Fleeting" }));
    const link = await (await makeLink("fleeting")).json<Link>();
    expect((await makeLink("fleeting", { version: 7 })).status).toBe(404);
    await call("/pages/fleeting", { method: "DELETE", as: author });
    expect((await open(link.url)).status).toBe(404);
    expect((await makeLink("fleeting")).status).toBe(404);
  });

  it("refuses a lifetime over a week, naming it", async () => {
    await save("long", source("long", { title: "Long" }));
    const res = await makeLink("long", { expiresInMinutes: 7 * 24 * 60 + 1 });
    expect(res.status).toBe(400);
    expect((await res.json<Problem>()).errors?.[0]?.field).toBe("expiresInMinutes");
  });
});
