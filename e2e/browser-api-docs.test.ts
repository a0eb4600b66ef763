// The API reference as an integrator meets it: /api/docs on the site, Swagger UI reading the gateway's OpenAPI
// document, under the page's own strict CSP (no inline script or style: a refusal would be a console error).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chromiumForFile, errorsOf, shots } from "./browser";
import { siteUrl } from "./helpers";

const browser = chromiumForFile();

describe("the API reference", () => {
  // Polls are given time: a page of a hundred operations is slow to query on a loaded machine.
  it("loads the document and lists every route, with each one's schemas and refusals", async () => {
    const page = await browser().newPage({ viewport: { width: 1360, height: 1000 } });
    const errors = errorsOf(page);
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    const res = await page.goto(`${siteUrl()}/api/docs`);
    expect(res?.headers()["content-security-policy"]).toContain("style-src 'self'");
    await expect.poll(() => page.locator(".opblock").count(), { timeout: 20_000 }).toBeGreaterThan(50);
    await expect.poll(() => page.locator(".info .title").first().textContent(), { timeout: 20_000 }).toContain("StateX Edge API");
    // The document is read as it is: no warning of a field the reference does not support.
    expect(await page.locator(".errors-wrapper, .version-pragma").count()).toBe(0);
    // Every documented operation is on the page, and every webhook the platform POSTs (the document's own count).
    const doc = (await (await fetch(`${siteUrl()}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>>; webhooks: Record<string, unknown> };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    const webhooks = Object.keys(doc.webhooks).length;
    expect(webhooks).toBe(4);
    expect(await page.locator(".opblock").count()).toBe(operations + webhooks);
    expect(await page.locator(".opblock-summary-path", { hasText: "request.completed" }).count()).toBe(1);

    // Opening the submission shows its body's schema and the problems it can answer.
    const submit = page.locator("#operations-requests-postRequests");
    await submit.locator(".opblock-summary").click();
    await expect.poll(() => submit.locator(".responses-table").first().textContent(), { timeout: 20_000 }).toMatch(/202[\s\S]*400[\s\S]*429/);
    await expect.poll(() => submit.locator(".opblock-section-request-body").textContent(), { timeout: 20_000 }).toContain("application/json");
    await page.screenshot({ path: path.join(shots, "api-docs.png"), fullPage: false });

    // A webhook opens on what it POSTs: the Standard Webhooks headers and the body with its event id.
    const hook = page.locator(".opblock", { has: page.locator(".opblock-summary-path", { hasText: "request.completed" }) });
    await hook.locator(".opblock-summary").click();
    await expect.poll(() => hook.textContent(), { timeout: 20_000 }).toMatch(/webhook-signature[\s\S]*eventId|eventId[\s\S]*webhook-signature/);
    await hook.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "api-docs-webhook.png"), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });
});
