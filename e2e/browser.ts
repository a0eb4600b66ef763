/** Debian's chromium under playwright-core, launched the same way by every browser test of the suite, and what those tests do beside the page: read the emails, open their links. */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { requirePackages } from "../scripts/system.mjs";
import { apiUrl, eventually, siteUrl } from "./helpers";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where the tests leave screenshots for a person to look at. */
export const shots = path.resolve(import.meta.dirname, "../.tmp/screenshots");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

/** Fails with the one line that says what to install when chromium (or another package a test needs) is missing. */
export function requireBrowser(...packages: string[]): void {
  if (!process.env.CHROMIUM_PATH) requirePackages("chromium", ...packages);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing`);
  mkdirSync(shots, { recursive: true });
}

/** A headless chromium with the suite's switches and any of the caller's. */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...args] });
}

/**
 * Chromium for the test file that calls this at its top: launched before its tests, closed after them. The
 * browser is read through the returned function, since it exists only once the file's tests begin.
 */
export function chromiumForFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    requireBrowser();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("Chromium is launched before the file's tests: call the browser inside them");
    return browser;
  };
}

/**
 * The newest link to a site page (`/verify.html`, `/reset.html`) mailed to an address, from the local outbox, waiting
 * for it: identity sends account emails after its answer.
 */
export function mailedLink(email: string, page: string): Promise<string> {
  const pattern = new RegExp(`http\\S+${page.replace(".", "\\.")}\\?token=[A-Za-z0-9_-]{43}`);
  return eventually(`a ${page} link mailed to ${email}`, async () => {
    const { messages } = (await (await fetch(`${siteUrl()}/api/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as { messages: { body: string }[] };
    return messages.map((m) => pattern.exec(m.body)?.[0]).find(Boolean);
  });
}

/** Asks for a reset link as a person who forgot their password does, from the account page, and opens it from the email. */
export async function openResetLink(page: Page, email: string): Promise<void> {
  await page.goto(`${siteUrl()}/account.html`);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL(/\/reset/);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect.poll(() => page.locator("#reset-status").textContent()).toMatch(/If an account uses this address/);
  await page.goto(await mailedLink(email, "/reset.html"));
  // The page drops the token from the address bar once it has read it.
  expect(new URL(page.url()).searchParams.has("token")).toBe(false);
}

/** The password the browser tests' new accounts sign up with. */
export const PASSWORD = "a long enough passphrase";

/** Signs up through the API (from the client's own network), confirms from the email and signs in on the account page. */
export async function signedUpAndIn(context: BrowserContext, network: string, name: string, email: string, password = PASSWORD): Promise<Page> {
  const res = await fetch(`${apiUrl()}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": network },
    body: JSON.stringify({ name, email, password }),
  });
  expect(res.status).toBe(202);
  const page = await context.newPage();
  await page.goto(await mailedLink(email, "/verify.html"));
  await expect.poll(() => page.locator("#verify-status").textContent()).toMatch(/address is confirmed/);
  await page.goto(`${siteUrl()}/account.html`);
  await page.locator("#signin-email").fill(email);
  await page.locator("#signin-password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(async () => (await page.locator("#who").textContent()) || (await page.locator("#signin-error").textContent()), { timeout: 10_000 }).toBe(`${name} (${email})`);
  return page;
}

/** Every console error and uncaught exception of a page (a CSP refusal is reported as a console error). */
export function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** Signs in on a staff page's own form: the ops console or the authors' page. */
export async function signInOnStaffPage(page: Page, staffPage: "ops" | "author", email: string, password: string): Promise<void> {
  await page.goto(`${siteUrl()}/${staffPage}.html`);
  await page.locator("#signin-email").fill(email);
  await page.locator("#signin-password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
