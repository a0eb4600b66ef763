// Service accounts as ops meet them in the console: the seeded admin creates one for a system and reads its key once;
// the system submits a request with that key alone and finds it among the account's own requests; ops give the
// account a second key, revoke the first after a confirmation, and the first is refused (401) while the second still
// works: a key rotated without a new account. Nothing breaks the site's CSP.
import path from "node:path";
import { API_SCOPES } from "@statex/shared/auth";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { devAdmin } from "../scripts/create-admin.mjs";
import { chromiumForFile, errorsOf, shots, signInOnStaffPage } from "./browser";
import { apiUrl } from "./helpers";

const browser = chromiumForFile();

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `ops-service-accounts-${name}.png`), fullPage: true });

/** The system's own call, with a key alone, from a network of its own. */
const withKey = (key: string, path: string, init: RequestInit = {}) =>
  fetch(`${apiUrl()}/api${path}`, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "cf-connecting-ip": "203.0.113.91" } });

/** The ids of the key owner's own requests. */
async function ownRequests(key: string): Promise<string[]> {
  const res = await withKey(key, "/me/requests");
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
}

describe("service accounts on the ops console", () => {
  it("creates one with its key shown once, adds a second key, revokes the first: the first is refused, the second works", { timeout: 120_000 }, async () => {
    const context = await browser().newContext({ extraHTTPHeaders: { "cf-connecting-ip": "198.51.100.91" }, viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    const errors = errorsOf(page);
    // What the console asked the API and was refused: nothing.
    const refusedToConsole: string[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/api/ops/") && r.status() >= 400) refusedToConsole.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    const admin = devAdmin();
    await signInOnStaffPage(page, "ops", admin.email, admin.password);
    await expect.poll(() => page.locator("#who").textContent(), { timeout: 10_000 }).toMatch(/\(admin\)$/);

    await page.locator("nav.ops-tabs").getByRole("link", { name: "Service accounts", exact: true }).click();
    const view = page.locator("#view-service-accounts");
    await expect.poll(() => view.locator("[data-part=summary]").textContent(), { timeout: 10_000 }).not.toBe("");

    const name = `Nightly CRM import ${Date.now()}`;
    const dialog = page.locator("#sa-dialog");
    await view.getByRole("button", { name: "Create a service account" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator("#sa-scopes input[name=scopes]").evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual([...API_SCOPES]);
    await dialog.getByLabel("Name").fill(name);
    await shoot(page, "create");
    await dialog.getByRole("button", { name: "Create service account" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const once = view.locator("#sa-created");
    const first = (await once.locator("code.secret").textContent({ timeout: 10_000 })) ?? "";
    expect(first).toMatch(/^sx_test_[A-Za-z0-9]{40}$/);
    expect(await once.innerText()).toContain("shown only this once");
    const card = view.locator("article.service-account", { hasText: name });
    await expect.poll(() => card.locator("tbody tr").count()).toBe(1);
    const accountId = (await card.getAttribute("data-account")) ?? "";
    expect(accountId).toMatch(/^usr_/);
    const listed = await card.locator("tbody tr").innerText();
    expect(listed).toContain(first.slice(0, 16));
    expect(listed).toContain("requests:read, requests:write");
    expect(listed).toContain("live");
    expect(await card.innerText()).not.toContain(first.slice(16));
    await shoot(page, "created");

    // The system, with the key alone: its request is the service account's own.
    const submitted = await withKey(first, "/requests", { method: "POST", body: JSON.stringify({ name: "CRM import", email: "crm@clinic.example", text: "We need a booking website for our clinic, imported overnight." }) });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    expect(await ownRequests(first)).toContain(id);

    // A second key, from the account's card.
    await card.getByRole("button", { name: `New key for ${name}` }).click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator("h2").textContent()).toBe(`New key for ${name}`);
    await dialog.getByLabel("Name").fill("Rotated");
    await shoot(page, "new-key");
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(async () => (await once.locator("code.secret").textContent()) ?? "").not.toBe(first);
    const second = (await once.locator("code.secret").textContent()) ?? "";
    expect(second).toMatch(/^sx_test_[A-Za-z0-9]{40}$/);
    expect(await once.innerText()).toContain(`The new key “Rotated” of ${name}`);
    await expect.poll(() => card.locator("tbody tr").count()).toBe(2);
    // The same account: the second key sees the request the first submitted.
    expect(await ownRequests(second)).toContain(id);

    // The first revoked, after ops confirm it.
    let asked = "";
    page.once("dialog", (d) => {
      asked = d.message();
      void d.accept();
    });
    await card.getByRole("button", { name: `Revoke the key ${name} (${first.slice(0, 16)}…) of ${name}` }).click();
    await expect.poll(() => card.locator("tbody tr", { hasText: first.slice(0, 16) }).innerText()).toContain("revoked");
    expect(asked).toContain(first.slice(0, 16));
    expect(await view.locator("[data-part=status]").textContent()).toContain(`Revoked ${first.slice(0, 16)}`);
    expect(await card.locator("tbody tr", { hasText: second.slice(0, 16) }).innerText()).toContain("live");
    await shoot(page, "revoked");

    const refused = await withKey(first, "/me/requests");
    expect(refused.status).toBe(401);
    expect(await ownRequests(second)).toContain(id);
    expect(refusedToConsole).toEqual([]);
    // The browser's own ask for /favicon.ico is a 404 the site has always answered; the rest would be a CSP refusal.
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
