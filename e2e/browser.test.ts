import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteUrl } from "./helpers";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const shots = path.resolve(import.meta.dirname, "../.tmp/screenshots");
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("the site in a browser", () => {
  it("submits the form and follows the request until it completes", async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl()}/`);
    await page.getByRole("link", { name: "Describe your need" }).click();
    await page.waitForURL(/\/submit/);
    await page.getByLabel("Your name").fill("Jonas Berg");
    await page.getByLabel("Email").fill("jonas@shop.example");
    await page
      .getByLabel("What do you need?")
      .fill("Our bike shop needs an online store with stock sync from our till system. Customers should reserve bikes for a test ride. The online store must take card payments.");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/request(\.html)?\?id=req_/);
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 20_000 }).toBe("completed");
    await expect.poll(() => page.locator("#summary").textContent()).toMatch(/bike shop|online store/);
    expect(await page.locator("#language").textContent()).toBe("en");
    expect(await page.locator("#keywords li").count()).toBeGreaterThan(2);
    await page.screenshot({ path: path.join(shots, "request-completed.png"), fullPage: true });
    await page.close();
  });

  it("shows the problem's field errors next to the fields", async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl()}/submit.html`);
    await page.getByLabel("Your name").fill("Jonas");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("What do you need?").fill("A website.");
    await page.getByRole("button", { name: "Send request" }).click();
    await expect.poll(() => page.locator("#email-error").textContent()).toMatch(/email/i);
    expect(await page.locator("#email").getAttribute("aria-invalid")).toBe("true");
    expect(page.url()).toMatch(/\/submit/);
    await page.screenshot({ path: path.join(shots, "submit-error.png"), fullPage: true });
    await page.close();
  });
});
