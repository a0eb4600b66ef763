// The authors' page as an author meets it in a browser, under the site's CSP: the seeded admin (an author too) signs
// in on /author.html, writes a post with an uploaded image (a real PNG) and a table, watches the live preview render
// it as the site will, meets a stale save (another author saved meanwhile) and loads the newer version, restores an
// earlier one, shares a preview link with someone who has no account, and publishes. The post is then found where a
// reader finds it: the home page, its tag page, the feed and the site's search box. Unpublished, its address is the
// site's 404 page; scheduled for tomorrow, still; deleted, it leaves the list. A client who signs in there is told
// the page is for authors only.
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { devAdmin } from "../scripts/create-admin.mjs";
import { chromiumForFile, errorsOf, shots, signInOnStaffPage } from "./browser";
import { apiUrl, opsHeaders, siteUrl } from "./helpers";

const browser = chromiumForFile();

/** A browser of its own on a network of its own: identity counts sign-ins per network. */
const on = (network: string) => browser().newContext({ extraHTTPHeaders: { "cf-connecting-ip": network }, viewport: { width: 1360, height: 900 } });

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `author-${name}.png`), fullPage: true });

/** A real PNG of `width` × `height`: a blue square with a lighter stripe, RGB, each row unfiltered. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(y % 10 < 3 ? [157, 182, 255] : [31, 94, 255], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/**
 * The page's text as a reader sees it, once it says `what` (the edge cache is purged on publish; polled anyway),
 * after its scripts' calls (the home page fills its list of posts itself).
 */
async function pollPage(page: Page, url: string, what: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.goto(url, { waitUntil: "networkidle" });
        return page.locator("main").textContent();
      },
      { timeout: 15_000 },
    )
    .toContain(what);
}

describe("the authors' page", () => {
  let context: BrowserContext | undefined;
  afterAll(async () => {
    await context?.close();
  });

  it("writes, previews, publishes, finds, unpublishes, schedules and deletes a post", async () => {
    const stamp = Date.now().toString(36);
    const slug = `field-notes-${stamp}`;
    const tag = `edge-${stamp}`;
    const title = `Field notes ${stamp}: caching at the edge`;
    // A word no other page has, so the site's search finds this post and nothing else.
    const word = `quokkaedge${stamp}`;
    const markdown = [
      "---",
      `title: "${title}"`,
      `slug: ${slug}`,
      "summary: What we learned serving pages from the edge cache.",
      "kind: post",
      `tags: [${tag}, caching]`,
      "draft: true",
      "---",
      "",
      "## What we measured",
      "",
      `A first view per region, then every view from the cache. The word ${word} is for search.`,
      "",
      "| Region | First view | Cached |",
      "| --- | ---: | ---: |",
      "| Frankfurt | 84 ms | 12 ms |",
      "| Lisbon | 97 ms | 18 ms |",
      "",
      "",
    ].join("\n");

    context = await on("192.0.2.90");
    const page = await context.newPage();
    const errors = errorsOf(page);
    const admin = devAdmin();
    await signInOnStaffPage(page, "author", admin.email, admin.password);
    await expect.poll(() => page.locator("#list-view").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator("#who").textContent()).toMatch(/\(admin\)$/);
    await expect.poll(() => page.locator("#list-status").textContent()).not.toBe("Loading…");

    // A new post: the starter text replaced by ours, the image put in at the end of it.
    await page.getByRole("link", { name: "New page or post" }).click();
    await expect.poll(() => page.locator("#editor-view").isVisible()).toBe(true);
    const source = page.locator("#source");
    await source.fill(markdown);
    await source.press("Control+End");
    await page.getByLabel("Image description (alt text)").fill("A blue square with a lighter stripe");
    await page.locator("#image-file").setInputFiles({ name: "square.png", mimeType: "image/png", buffer: png(120, 80) });
    await expect.poll(() => page.locator("#image-status").textContent(), { timeout: 10_000 }).toMatch(/^Uploaded square\.png \(120×80\)/);
    expect(await source.inputValue()).toMatch(/!\[A blue square with a lighter stripe\]\(\/api\/media\/[0-9a-f]{64}\.png\)\n\n$/);

    // The live preview: the title, the table and the image (loaded under the CSP, sized as the site will size it).
    const preview = page.locator("#preview");
    await expect.poll(() => preview.locator("h1").textContent()).toBe(title);
    expect(await preview.locator("table td").allTextContents()).toEqual(["Frankfurt", "84 ms", "12 ms", "Lisbon", "97 ms", "18 ms"]);
    expect(await preview.locator("table th").nth(1).getAttribute("align")).toBe("right");
    const image = preview.locator("img[alt='A blue square with a lighter stripe']");
    expect(await image.getAttribute("width")).toBe("120");
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120);
    // Typing updates the preview after a pause, not on every key.
    await source.press("Control+End");
    await source.pressSequentially("Edited live.");
    await expect.poll(() => preview.textContent()).toContain("Edited live.");
    // A bad front matter field is named as the save would name it.
    const typed = await source.inputValue();
    await source.fill(typed.replace("kind: post", "kind: poem"));
    await expect.poll(() => page.locator("#source-problems").textContent()).toContain("frontMatter.kind");
    await source.fill(typed);
    await expect.poll(() => page.locator("#source-problems").textContent()).toBe("");
    await shoot(page, "editor");

    await page.getByRole("button", { name: "Save draft" }).click();
    await expect.poll(() => page.locator("#save-status").textContent(), { timeout: 10_000 }).toBe("Saved as version 1");
    expect(page.url()).toContain(`#edit/${slug}`);
    expect(await page.locator("#standing").textContent()).toMatch(/^draft Not on the site\. Draft: version 1, saved .* by you\.$/);

    // Another author saves on top of version 1 meanwhile; this author's save, still based on 1, is refused.
    const saved = await source.inputValue();
    const theirs = `${saved}\nA paragraph another author added.\n`;
    const put = await fetch(`${apiUrl()}/api/pages/${slug}`, { method: "PUT", headers: { ...(await opsHeaders()), "content-type": "application/json" }, body: JSON.stringify({ markdown: theirs, baseVersion: 1 }) });
    expect(put.status).toBe(200);
    await source.press("Control+End");
    await source.pressSequentially("My own late edit.");
    await page.getByRole("button", { name: "Save draft" }).click();
    const conflict = page.locator("#conflict");
    await expect.poll(() => conflict.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator("#conflict-text").textContent()).toBe("Version 2 of this page was saved after version 1: load it and save again");
    await shoot(page, "conflict");
    await page.getByRole("button", { name: "Load version 2" }).click();
    await expect.poll(() => source.inputValue()).toContain("A paragraph another author added.");
    expect(await source.inputValue()).not.toContain("My own late edit.");
    expect(await page.locator("#unsaved-text").inputValue()).toContain("My own late edit.");
    expect(await conflict.isHidden()).toBe(true);

    // Versions: both kept; restoring 1 saves it again as 3.
    const versions = page.locator("#version-list");
    await expect.poll(() => versions.locator("tbody tr").count()).toBe(2);
    await versions.getByRole("button", { name: "Restore version 1" }).click();
    await expect.poll(() => page.locator("#save-status").textContent(), { timeout: 10_000 }).toBe("Version 1 restored as version 3");
    expect(await source.inputValue()).not.toContain("another author");
    await expect.poll(() => versions.locator("tbody tr").count()).toBe(3);
    expect(await versions.locator("tbody tr").first().textContent()).toContain("restored from 1");

    // A preview link, opened by someone without an account.
    await page.getByRole("button", { name: "Make a preview link" }).click();
    await expect.poll(() => page.locator("#link-url").inputValue(), { timeout: 10_000 }).toMatch(new RegExp(`^${siteUrl()}/api/preview/${slug}\\?token=`));
    const stranger = await on("192.0.2.91");
    const shared = await stranger.newPage();
    const shown = await shared.goto(await page.locator("#link-url").inputValue());
    expect(shown?.status()).toBe(200);
    expect(await shared.locator("h1").textContent()).toBe(title);
    expect(await shared.locator("table").count()).toBe(1);
    await stranger.close();

    // Publishing needs draft: false: the page says so and sets it; publishing saves it first.
    await expect.poll(() => page.locator("#draft-note").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Set draft: false" }).click();
    expect(await source.inputValue()).toContain("draft: false");
    await page.getByRole("button", { name: "Publish now" }).click();
    await expect.poll(() => page.locator("#publish-status").textContent(), { timeout: 10_000 }).toBe("Published version 4: see it on the site.");
    expect(await page.locator("#standing").textContent()).toMatch(new RegExp(`^published Version 4 is live at /p/${slug} since `));
    await shoot(page, "published");

    // The list says where it stands.
    await page.getByRole("link", { name: "← All pages and drafts" }).click();
    const row = page.locator("#page-rows tr", { hasText: title });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/publishedversion 4/);
    await shoot(page, "list");
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);

    // Where readers find it: the home page, its tag page, the feed, and the search box in the site's header.
    const reader = await context.newPage();
    await pollPage(reader, `${siteUrl()}/`, title);
    await pollPage(reader, `${siteUrl()}/tags/${tag}`, title);
    const feed = await (await fetch(`${siteUrl()}/rss.xml`)).text();
    expect(feed).toContain(`<title>${title}</title>`);
    expect(feed).toContain(`/p/${slug}</link>`);
    await reader.goto(`${siteUrl()}/`);
    await reader.getByRole("searchbox", { name: "Search the site" }).fill(word);
    await reader.getByRole("searchbox", { name: "Search the site" }).press("Enter");
    // Pages serves /search.html at /search.
    await reader.waitForURL(/\/search(?:\.html)?\?q=/);
    const result = reader.locator("#search-results li");
    await expect.poll(() => result.count(), { timeout: 10_000 }).toBe(1);
    expect(await result.locator("mark").first().textContent()).toBe(word);
    await result.getByRole("link").click();
    await reader.waitForURL(new RegExp(`/p/${slug}$`));
    expect(await reader.locator("article h1").textContent()).toBe(title);
    expect(await reader.locator("article table td").first().textContent()).toBe("Frankfurt");
    const published = reader.locator("article img[alt='A blue square with a lighter stripe']");
    expect(await published.getAttribute("width")).toBe("120");
    await expect.poll(() => published.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120);
    await shoot(reader, "post-on-site");

    // Unpublished: a draft again, and its address the site's 404 page.
    await page.getByRole("link", { name: title }).click();
    await expect.poll(() => page.locator("#standing").textContent(), { timeout: 10_000 }).toMatch(/^published/);
    await page.getByRole("button", { name: "Unpublish" }).click();
    await expect.poll(() => page.locator("#publish-status").textContent(), { timeout: 10_000 }).toBe("Taken off the site; it is a draft again.");
    expect(await page.locator("#standing").textContent()).toMatch(/^draft Not on the site\./);
    const gone = await reader.goto(`${siteUrl()}/p/${slug}`);
    expect(gone?.status()).toBe(404);
    expect(await reader.locator("h1").textContent()).toBe("Page not found");
    await shoot(reader, "unpublished-404");

    // Scheduled for tomorrow at nine, the author's time: scheduled, and still not on the site.
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, "0")}-${String(tomorrow.getDate()).padStart(2, "0")}T09:00`;
    await page.getByLabel("Or publish at").fill(local);
    await page.getByRole("button", { name: "Schedule" }).click();
    await expect.poll(() => page.locator("#publish-status").textContent(), { timeout: 10_000 }).toMatch(/^Version 4 goes live /);
    expect(await page.locator("#standing").textContent()).toMatch(/^scheduled Version 4 goes live /);
    expect((await reader.goto(`${siteUrl()}/p/${slug}`))?.status()).toBe(404);
    await shoot(page, "scheduled");

    // Deleted, after the page asked.
    await page.getByRole("button", { name: "Delete this page…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this page?" });
    expect(await dialog.textContent()).toContain("all 4 versions of it will be gone");
    await shoot(page, "delete");
    await dialog.getByRole("button", { name: "Delete for good" }).click();
    await expect.poll(() => page.locator("#list-view").isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.locator("#page-rows").textContent()).not.toContain(title);
    const deleted = await fetch(`${apiUrl()}/api/pages/${slug}/draft`, { headers: await opsHeaders() });
    expect(deleted.status).toBe(404);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it("tells a client who signs in there that the page is for authors only", async () => {
    const email = `author-curious-${Date.now()}@studio.example`;
    const password = "a long enough passphrase";
    const res = await fetch(`${apiUrl()}/api/users`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.92" }, body: JSON.stringify({ name: "Curious Client", email, password }) });
    expect(res.status).toBe(202);
    const client = await on("192.0.2.92");
    const page = await client.newPage();
    await signInOnStaffPage(page, "author", email, password);
    await expect.poll(() => page.locator("#not-author").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole("heading", { name: "Authors only" }).isVisible()).toBe(true);
    expect(await page.locator("#not-author-who").textContent()).toContain("whose role is client");
    expect(await page.locator("#desk").isHidden()).toBe(true);
    await shoot(page, "authors-only");
    await client.close();
  });
});
