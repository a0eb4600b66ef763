// Sessions as a signed-in client meets them in a browser: the access token only in the page's memory, the refresh
// token in an HttpOnly cookie through the site's own /api proxy, a silent refresh on every load, and the account
// page's list of where they are signed in, with a button to end each and one to end all the others.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, requireBrowser, shots } from "./browser";
import { siteUrl } from "./helpers";

let browser: Browser;

beforeAll(async () => {
  requireBrowser();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const PASSWORD = "a long enough passphrase";

/** Signs in as an API client would (no Origin: the refresh token comes in the JSON), with a user agent of its own. */
async function signInElsewhere(email: string, userAgent: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers: { "content-type": "application/json", "user-agent": userAgent }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}

/** Creates an account on the account page, which signs in right after; answers once the dashboard shows it. */
async function registerOn(page: Page, name: string, email: string): Promise<void> {
  await page.goto(`${siteUrl()}/account.html`);
  await page.getByLabel("Your name").fill(name);
  await page.locator("#register-email").fill(email);
  await page.locator("#register-password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect.poll(() => page.locator("#who").textContent()).toBe(`${name} (${email})`);
}

const refreshes = async (refreshToken: string) =>
  (await fetch(`${siteUrl()}/api/sessions/refresh`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken }) })).status;

describe("sessions in a browser", () => {
  it("keeps the refresh token out of the page's reach, stays signed in across loads, and lists, ends and ends the other sessions", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const email = `sessions-${Date.now()}@studio.example`;
    await registerOn(page, "Noor Haddad", email);

    // No token where a script could read it: localStorage holds only the "signed in here" hint, the cookie is HttpOnly.
    const stored = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
    expect(stored).toEqual({ "statex.signed-in": "1" });
    expect(await page.evaluate(() => document.cookie)).toBe("");
    const cookies = await context.cookies(`${siteUrl()}/api/sessions/refresh`);
    expect(cookies).toEqual([expect.objectContaining({ name: "statex-refresh", path: "/api/sessions", httpOnly: true, sameSite: "Strict", secure: false })]);
    const first = cookies[0]?.value;

    // A reload starts with nothing in memory and refreshes silently (the cookie goes through the Pages Function to
    // identity and the next one comes back): still signed in, with a new refresh token.
    await page.reload();
    await expect.poll(() => page.locator("#who").textContent()).toBe(`Noor Haddad (${email})`);
    await expect.poll(async () => (await context.cookies(`${siteUrl()}/api/sessions/refresh`))[0]?.value).not.toBe(first);

    // Two more sessions elsewhere; the list shows all three, this browser's marked.
    const phone = await signInElsewhere(email, "StateX-CLI/1.0 (phone)");
    const laptop = await signInElsewhere(email, "StateX-CLI/1.0 (laptop)");
    await page.reload();
    await expect.poll(() => page.locator("#session-rows tr").count()).toBe(3);
    expect(await page.locator("#session-rows tr", { hasText: "(this browser)" }).count()).toBe(1);
    expect(await page.locator("#session-rows tr", { hasText: "(this browser)" }).getByRole("button").count()).toBe(0);
    await page.screenshot({ path: path.join(shots, "account-sessions.png"), fullPage: true });

    // End one: it refreshes no more, the others do.
    await page.locator("#session-rows tr", { hasText: "(phone)" }).getByRole("button", { name: /End the session/ }).click();
    await expect.poll(() => page.locator("#session-rows tr").count()).toBe(2);
    expect(await refreshes(phone.refreshToken)).toBe(401);

    // Sign out everywhere else: only this browser is left, still signed in.
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect.poll(() => page.locator("#session-rows tr").count()).toBe(1);
    expect(await page.locator("#sessions-status").textContent()).toBe("1 other session is signed out.");
    expect(await refreshes(laptop.refreshToken)).toBe(401);
    expect(await page.getByRole("button", { name: "Sign out everywhere else" }).isHidden()).toBe(true);
    await page.reload();
    await expect.poll(() => page.locator("#who").textContent()).toBe(`Noor Haddad (${email})`);

    // Signing out ends the session and drops the cookie; a reload is signed out.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect.poll(() => page.locator("#signin-form").isVisible()).toBe(true);
    await expect.poll(async () => (await context.cookies(`${siteUrl()}/api/sessions/refresh`)).length).toBe(0);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.reload();
    await expect.poll(() => page.locator("#signin-form").isVisible()).toBe(true);
    expect(await page.locator("#session-rows tr").count()).toBe(0);
    await context.close();
  });

  it("signs every tab out when one signs out", async () => {
    const context = await browser.newContext();
    const one = await context.newPage();
    const email = `tabs-${Date.now()}@studio.example`;
    await registerOn(one, "Ines Varga", email);

    // A second tab refreshes with the shared cookie (the tabs take turns, so no token is spent twice).
    const two = await context.newPage();
    await two.goto(`${siteUrl()}/submit.html`);
    await expect.poll(() => two.locator("#sending-as").textContent()).toContain(email);
    await one.reload();
    await expect.poll(() => one.locator("#who").textContent()).toBe(`Ines Varga (${email})`);

    await one.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect.poll(() => one.locator("#signin-form").isVisible()).toBe(true);
    // The other tab's next call goes out signed out: it was told, and holds no token.
    await two.getByLabel("What do you need?").fill("A request sent after signing out in another tab.");
    await two.getByLabel("Your name").fill("Ines Varga");
    const sent = two.waitForRequest((r) => r.url().endsWith("/api/requests") && r.method() === "POST");
    await two.getByRole("button", { name: "Send request" }).click();
    expect((await sent).headers().authorization).toBeUndefined();
    await context.close();
  });
});
