// Sessions as a signed-in client meets them in a browser: the access token only in the page's memory, the refresh
// token in an HttpOnly cookie through the site's own /api proxy, a silent refresh on every load, the account page's
// list of where they are signed in, with a button to end each and one to end all the others, and the account from
// sign-up to deletion: the links from the emails, a forgotten password, a changed one.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumForFile, mailedLink, openResetLink, shots } from "./browser";
import { siteUrl } from "./helpers";

const browser = chromiumForFile();

const PASSWORD = "a long enough passphrase";

/** Signs in as an API client would (no Origin: the refresh token comes in the JSON), with a user agent of its own. */
async function signInElsewhere(email: string, userAgent: string, password = PASSWORD): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers: { "content-type": "application/json", "user-agent": userAgent }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}

/** Signs in with the account page's form; answers once the dashboard shows who is signed in. */
async function signInOn(page: Page, email: string, password: string, who: string): Promise<void> {
  await page.goto(`${siteUrl()}/account.html`);
  await page.locator("#signin-email").fill(email);
  await page.locator("#signin-password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A refusal shows in the form's summary: polled too, so a failure says what the page said.
  await expect.poll(async () => (await page.locator("#who").textContent()) || (await page.locator("#signin-error").textContent()), { timeout: 10_000 }).toBe(who);
}

/**
 * A browser of its own on a network of its own: identity counts registrations and failed sign-ins per network, and
 * every test of the suite would otherwise share the one of the machine it runs on.
 */
const clientOn = (network: string) => browser().newContext({ extraHTTPHeaders: { "cf-connecting-ip": network } });

/** What a page's scripts could read of the session: localStorage and the cookies `document.cookie` shows. */
const readable = (page: Page) => page.evaluate(() => ({ storage: Object.fromEntries(Object.entries(localStorage)), cookie: document.cookie }));

/** Creates an account on the account page, which signs in right after; answers once the dashboard shows it. */
async function registerOn(page: Page, name: string, email: string): Promise<void> {
  await page.goto(`${siteUrl()}/account.html`);
  await page.getByLabel("Your name").fill(name);
  await page.locator("#register-email").fill(email);
  await page.locator("#register-password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // A refusal shows in the form's summary or by a field: polled too, so a failure says what the page said.
  const shown = async () => (await page.locator("#who").textContent()) || (await page.locator("#register-form .alert, #register-form .error").allTextContents()).join(" ").trim();
  // Registering and signing in hash the password twice: more than expect.poll's default second on a busy machine.
  await expect.poll(shown, { timeout: 10_000 }).toBe(`${name} (${email})`);
}

const refreshes = async (refreshToken: string) =>
  (await fetch(`${siteUrl()}/api/sessions/refresh`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken }) })).status;

describe("sessions in a browser", () => {
  it("keeps the refresh token out of the page's reach, stays signed in across loads, and lists, ends and ends the other sessions", async () => {
    const context = await browser().newContext();
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
    const context = await browser().newContext();
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

describe("an account in a browser, from sign-up to deletion", () => {
  it("signs up, confirms the address from the email, signs in, ends another session, resets a forgotten password from the email and signs in with it", async () => {
    const context = await clientOn("198.51.100.41");
    const page = await context.newPage();
    const email = `whole-${Date.now()}@studio.example`;
    const who = `Sami Laine (${email})`;
    await registerOn(page, "Sami Laine", email);
    await expect.poll(() => page.locator("#verify-note").isVisible()).toBe(true);

    // The link in the email confirms the address; the dashboard stops asking.
    await page.goto(await mailedLink(email, "/verify.html"));
    await expect.poll(() => page.locator("#verify-status").textContent()).toMatch(/address is confirmed/);
    await page.goto(`${siteUrl()}/account.html`);
    await expect.poll(() => page.locator("#who").textContent()).toBe(who);
    await expect.poll(() => page.locator("#verify-note").isHidden()).toBe(true);

    // Signed out and in again with the page's own form.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await signInOn(page, email, PASSWORD, who);

    // Another session, ended from the list.
    const tablet = await signInElsewhere(email, "StateX-CLI/1.0 (tablet)");
    await page.reload();
    await expect.poll(() => page.locator("#session-rows tr").count()).toBe(2);
    await page.locator("#session-rows tr", { hasText: "(tablet)" }).getByRole("button", { name: /End the session/ }).click();
    await expect.poll(() => page.locator("#session-rows tr").count()).toBe(1);
    expect(await refreshes(tablet.refreshToken)).toBe(401);

    // Forgotten: a link by email, a new password on the page it opens, every session ended, this one too.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await openResetLink(page, email);
    await page.getByLabel("New password").fill("the passphrase after a reset");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await expect.poll(() => page.locator("#reset-status").textContent()).toMatch(/password is changed/);

    // The old password no longer signs in, and the page says so; the new one does.
    await page.goto(`${siteUrl()}/account.html`);
    await page.locator("#signin-email").fill(email);
    await page.locator("#signin-password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("#signin-error").textContent()).toMatch(/email or password is not right/);
    await signInOn(page, email, "the passphrase after a reset", who);
    // Through all of it, nothing a script could use: the hint alone, no cookie in reach.
    expect(await readable(page)).toEqual({ storage: { "statex.signed-in": "1" }, cookie: "" });
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect.poll(() => page.locator("#signin-form").isVisible()).toBe(true);
    expect(await readable(page)).toEqual({ storage: {}, cookie: "" });
    await context.close();
  });

  it("changes the password on the account page, ending the other sessions, and deletes the account with the password", async () => {
    const context = await clientOn("198.51.100.42");
    const page = await context.newPage();
    const email = `changes-${Date.now()}@studio.example`;
    const who = `Ayla Demir (${email})`;
    await registerOn(page, "Ayla Demir", email);
    const phone = await signInElsewhere(email, "StateX-CLI/1.0 (phone)");
    await page.reload();
    await expect.poll(() => page.locator("#session-rows tr").count()).toBe(2);
    await page.screenshot({ path: path.join(shots, "account.png"), fullPage: true });

    // The server's refusals land next to the fields they name: a wrong current password, then a new one too short.
    const change = page.locator("#change-form");
    await change.getByLabel("Current password").fill("not the password at all");
    await change.getByLabel("New password").fill("the changed long passphrase");
    await change.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.locator("#change-currentPassword-error").textContent()).toBe("not your current password");
    expect(await change.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("change-currentPassword");
    await change.getByLabel("Current password").fill(PASSWORD);
    await change.getByLabel("New password").fill("too short");
    await change.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.locator("#change-password-error").textContent()).toMatch(/15 characters/);
    expect(await page.locator("#change-currentPassword-error").textContent()).toBe("");
    await page.screenshot({ path: path.join(shots, "account-password-error.png"), fullPage: true });

    // Changed: this browser stays signed in, the phone is signed out, and the list shows it without a reload.
    await change.getByLabel("New password").fill("the changed long passphrase");
    await change.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.locator("#change-status").textContent()).toMatch(/password is changed/);
    await expect.poll(() => page.locator("#session-rows tr").count()).toBe(1);
    expect(await page.locator("#session-rows tr", { hasText: "(this browser)" }).count()).toBe(1);
    expect(await change.getByLabel("Current password").inputValue()).toBe("");
    expect(await refreshes(phone.refreshToken)).toBe(401);
    await page.screenshot({ path: path.join(shots, "account-password-changed.png"), fullPage: true });
    await page.reload();
    await expect.poll(() => page.locator("#who").textContent()).toBe(who);

    // Signed in again with the new password only.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await signInOn(page, email, "the changed long passphrase", who);

    // Deleting asks for the password; a wrong one is said next to it and deletes nothing.
    const remove = page.locator("#delete-form");
    await remove.getByLabel("Your password, to confirm").fill(PASSWORD);
    await remove.getByRole("button", { name: "Delete my account" }).click();
    await expect.poll(() => page.locator("#delete-password-error").textContent()).toBe("not your current password");
    await page.screenshot({ path: path.join(shots, "account-delete-error.png"), fullPage: true });
    expect((await signInElsewhere(email, "StateX-CLI/1.0 (check)", "the changed long passphrase")).accessToken).toBeTruthy();

    // Deleted: signed out here (the cookie dropped too), on the home page, which says what happened once.
    await remove.getByLabel("Your password, to confirm").fill("the changed long passphrase");
    await remove.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL((url) => url.pathname === "/" || url.pathname === "/index.html");
    await expect.poll(() => page.locator("#farewell").isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.has("account")).toBe(false);
    await page.screenshot({ path: path.join(shots, "home-account-deleted.png"), fullPage: true });
    expect(await readable(page)).toEqual({ storage: {}, cookie: "" });
    await expect.poll(async () => (await context.cookies(`${siteUrl()}/api/sessions/refresh`)).length).toBe(0);
    const gone = await fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "the changed long passphrase" }) });
    expect(gone.status).toBe(401);
    await page.reload();
    expect(await page.locator("#farewell").isHidden()).toBe(true);
    await page.goto(`${siteUrl()}/account.html`);
    await expect.poll(() => page.locator("#signin-form").isVisible()).toBe(true);
    await context.close();
  });
});
