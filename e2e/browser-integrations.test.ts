// An integrator's first hour, in a browser: on the account page the client creates an API key (shown once) and a
// webhook to the local receiver stand-in (its secret shown once); their system then submits a request with the key
// alone, and when the request completes the receiver gets its signed `request.completed`, which an independent
// Standard Webhooks library verifies with the secret the page showed; the page lists the delivery as succeeded. The
// key, revoked on the page, no longer opens the API.
import path from "node:path";
import { API_SCOPES } from "@statex/shared/auth";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { chromiumForFile, shots, signedUpAndIn } from "./browser";
import { apiUrl, eventually, localUrl } from "./helpers";

const browser = chromiumForFile();

type Received = { at: string; headers: Record<string, string>; body: string; answered: number };

describe("API keys and webhooks in a browser", () => {
  it("creates a key and a webhook on the account page; a request sent with the key is announced, signed, when it completes", { timeout: 120_000 }, async () => {
    const network = "198.51.100.71";
    const context = await browser().newContext({ extraHTTPHeaders: { "cf-connecting-ip": network } });
    const email = `integrator-${Date.now()}@studio.example`;
    const page = await signedUpAndIn(context, network, "Mara Integra", email);
    const receiver = `browser-${Date.now()}`;
    const receiverUrl = `${localUrl()}/webhook-receiver/${receiver}`;

    // The form offers every scope there is (the page's checkboxes are written out; the list is the platform's).
    expect(await page.locator("#apikey-scopes input[name=scopes]").evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual([...API_SCOPES]);
    await page.getByLabel("Name", { exact: true }).fill("Our CRM");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = (await page.locator("#apikey-created code.secret").textContent({ timeout: 10_000 })) ?? "";
    expect(key).toMatch(/^sx_test_[A-Za-z0-9]{40}$/);
    await expect.poll(() => page.locator("#apikey-list tbody tr").count()).toBe(1);
    const listed = await page.locator("#apikey-list tbody tr").first().innerText();
    expect(listed).toContain("Our CRM");
    expect(listed).toContain("requests:write");
    expect(listed).not.toContain(key);

    // A URL the platform refuses first: the problem is shown at the field.
    await page.getByLabel("URL").fill("ftp://example.com/hook");
    await page.getByRole("button", { name: "Add webhook" }).click();
    await expect.poll(() => page.locator("#webhook-url-error").textContent()).not.toBe("");
    await page.getByLabel("URL").fill(receiverUrl);
    await page.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await page.locator("#webhook-created code.secret").textContent({ timeout: 10_000 })) ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    await expect.poll(() => page.locator("#webhook-list article").count()).toBe(1);
    await page.screenshot({ path: path.join(shots, "integrations-account.png"), fullPage: true });

    // The client's system, with the key alone.
    const submitted = await fetch(`${apiUrl()}/api/requests`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "cf-connecting-ip": "203.0.113.71" },
      body: JSON.stringify({ name: "Mara Integra", email, text: "We need a booking website for our three clinics, with reminders by email." }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };

    const delivered = await eventually(
      "the request.completed delivery at the receiver",
      async () => {
        const { received } = (await (await fetch(receiverUrl)).json()) as { received: Received[] };
        return received.find((r) => (JSON.parse(r.body) as { type: string; data: { requestId: string } }).data.requestId === id && r.body.includes('"request.completed"'));
      },
      60_000,
    );
    expect(delivered.answered).toBe(200);
    const payload = new Webhook(secret).verify(delivered.body, delivered.headers) as { type: string; data: { requestId: string; status: string } };
    expect(payload.type).toBe("request.completed");
    expect(payload.data).toMatchObject({ requestId: id, status: "completed" });

    await page.getByRole("button", { name: `Deliveries: ${receiverUrl}` }).click();
    const row = page.locator("#webhook-list .deliveries-table tbody tr", { hasText: "request.completed" });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.innerText()).toContain("succeeded");
    // Its attempts fold open: each one's outcome, and the endpoint's answer as the platform recorded it.
    await row.locator("details.attempts > summary").click();
    const attempt = row.locator("details.attempts li").first();
    expect(await attempt.innerText()).toMatch(/^\d.* · scheduled · 200 in \d+ ms/);
    expect(await attempt.innerText()).not.toContain("[object");
    await attempt.locator("summary", { hasText: "the answer" }).click();
    expect(await attempt.locator("pre").innerText()).toBe('{"ok":true}');
    await page.screenshot({ path: path.join(shots, "integrations-delivered.png"), fullPage: true });
    await page.locator("#webhook-list article").first().screenshot({ path: path.join(shots, "integrations-attempts.png") });

    // Revoked on the page, the key opens nothing.
    await page.getByRole("button", { name: "Revoke the key Our CRM" }).click();
    await expect.poll(() => page.locator("#apikey-list tbody tr").first().innerText()).toContain("revoked");
    const after = await fetch(`${apiUrl()}/api/requests/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${key}`, "cf-connecting-ip": "203.0.113.71" } });
    expect(after.status).toBe(401);
    await context.close();
  });
});
