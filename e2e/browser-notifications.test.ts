// Notifications as a client meets them in a browser: the account page links their Telegram chat (the bot's link,
// then `/start <code>` from the chat, as the local Telegram stand-in lets a test write it) and puts Telegram first;
// a request sent signed in is then told of on Telegram, which the request page lists as delivered. Signed out, a
// request sent with a Telegram name offers its own link on the request page.
import { randomInt } from "node:crypto";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumForFile, shots, signedUpAndIn } from "./browser";
import { apiUrl, localUrl, siteUrl } from "./helpers";

const browser = chromiumForFile();

/** A browser of its own on a network of its own: identity counts registrations per network. */
const clientOn = (network: string) => browser().newContext({ extraHTTPHeaders: { "cf-connecting-ip": network } });

/** The client writes to the bot from their Telegram chat (a private chat's id is the user's id). */
async function writeToBot(chatId: number, text: string, username: string): Promise<void> {
  const res = await fetch(`${localUrl()}/telegram/standin/updates`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chatId, text, username }) });
  expect(res.status).toBe(200);
}

/** What the local Telegram holds of the bot's messages to a chat, newest first. */
async function sentToChat(chatId: number): Promise<{ body: string; status?: string }[]> {
  const res = await fetch(`${localUrl()}/outbox/messages?channel=telegram&to=${chatId}`);
  return ((await res.json()) as { messages: { body: string; status?: string }[] }).messages;
}

/** The `start` code of a t.me link as the page shows it, checked to be a link to the bot. */
async function startCode(page: Page, link: string): Promise<string> {
  const href = await page.locator(link).getAttribute("href");
  const url = new URL(href ?? "");
  expect(url.origin).toBe("https://t.me");
  expect(await page.locator(link).getAttribute("target")).toBe("_blank");
  const code = url.searchParams.get("start");
  expect(code).toBeTruthy();
  return code ?? "";
}

/** The request page's messages, one line each: channel, what about, status, as the table shows them. */
const messageRows = (page: Page) =>
  page.locator("#message-rows tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].slice(0, 3).map((td) => td.firstChild?.textContent?.trim() ?? "").join(" | ")));

describe("notifications in a browser", () => {
  it("links Telegram on the account page, puts it first, and sees a request's messages delivered there", { timeout: 120_000 }, async () => {
    const network = "198.51.100.61";
    const context = await clientOn(network);
    const email = `telegram-${Date.now()}@studio.example`;
    const page = await signedUpAndIn(context, network, "Lena Vogt", email);

    // The section is there once the preferences are read: no chat yet, the usual order.
    const form = page.locator("#prefs-form");
    await expect.poll(() => form.isVisible()).toBe(true);
    expect(await page.locator("#telegram-none").textContent()).toBe("No Telegram chat is linked.");
    expect(await page.locator("#prefs-now").textContent()).toMatch(/our usual order/);

    // Link Telegram: the page shows the bot's link to tap, and when it stops working.
    await page.getByRole("button", { name: "Link Telegram" }).click();
    await expect.poll(() => page.locator("#telegram-offer").isVisible()).toBe(true);
    const code = await startCode(page, "#telegram-open");
    expect(await page.locator("#telegram-expiry").textContent()).toMatch(/works once, until/);
    await page.screenshot({ path: path.join(shots, "notifications-account-link.png"), fullPage: true });

    // The client taps it and presses Start: Telegram sends the bot `/start <code>` from their chat.
    const chatId = randomInt(100_000_000, 900_000_000);
    const username = `lena_${chatId}`;
    await writeToBot(chatId, `/start ${code}`, username);
    // The page notices by itself while the link waits, and the chat stays listed after a reload.
    await expect.poll(() => page.locator("#telegram-status").textContent(), { timeout: 15_000 }).toMatch(/^Linked/);
    await page.reload();
    await expect.poll(() => page.locator("#telegram-rows tr").count()).toBe(1);
    expect(await page.locator("#telegram-rows tr td").first().textContent()).toBe(`@${username}`);
    await expect.poll(() => sentToChat(chatId).then((m) => m.length)).toBeGreaterThan(0);

    // Telegram first, email next.
    const channels = page.locator("#prefs-channels");
    await channels.getByLabel("First").selectOption("telegram");
    await channels.getByLabel("Second").selectOption("email");
    // A channel chosen in one place is not offered in another.
    expect(await channels.getByLabel("Third").locator("option[value=telegram]").isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.locator("#prefs-status").textContent()).toBe("Saved. Your messages go by Telegram, then email.");
    await page.screenshot({ path: path.join(shots, "notifications-account-saved.png"), fullPage: true });
    await page.reload();
    await expect.poll(() => channels.getByLabel("First").inputValue()).toBe("telegram");
    expect(await channels.getByLabel("Second").inputValue()).toBe("email");

    // A request sent signed in is told of on Telegram: received, then ready, each delivered (Telegram's acceptance
    // is its delivery), and nothing falls back to email.
    const before = (await sentToChat(chatId)).length;
    await page.goto(`${siteUrl()}/submit.html`);
    await expect.poll(() => page.locator("#sending-as").isVisible()).toBe(true);
    await page
      .getByLabel("What do you need?")
      .fill("Our physiotherapy practice needs an online booking page with reminders, so patients book at any hour and miss fewer appointments.");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/request(\.html)?\?id=req_/);
    await expect.poll(() => page.locator("#messages").isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => messageRows(page), { timeout: 20_000 }).toContain("Telegram | Request received | Delivered");
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 30_000 }).toBe("completed");
    await expect.poll(() => messageRows(page), { timeout: 30_000 }).toEqual(["Telegram | Request received | Delivered", "Telegram | Analysis and draft ready | Delivered"]);
    expect(await page.locator("#message-rows tr").first().locator("td").nth(3).textContent()).toBe("linked chat");
    // Nothing to offer: the account's chat is linked.
    expect(await page.locator("#telegram-offer").isHidden()).toBe(true);
    await page.locator("#messages").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "notifications-request-telegram.png"), fullPage: true });
    expect((await sentToChat(chatId)).length).toBe(before + 2);

    // From the dashboard the page has no token: the owner's session reads the same messages.
    const id = new URL(page.url()).searchParams.get("id") ?? "";
    await page.goto(`${siteUrl()}/request.html?id=${encodeURIComponent(id)}`);
    await expect.poll(() => messageRows(page), { timeout: 10_000 }).toEqual(["Telegram | Request received | Delivered", "Telegram | Analysis and draft ready | Delivered"]);
    await context.close();
  });

  it("offers a request sent signed out with a Telegram name its own link on the request page", { timeout: 90_000 }, async () => {
    const context = await clientOn("198.51.100.62");
    const page = await context.newPage();
    const chatId = randomInt(100_000_000, 900_000_000);
    const username = `omar_${chatId}`;
    await page.goto(`${siteUrl()}/submit.html`);
    await page.getByLabel("Your name").fill("Omar Haddad");
    await page.getByLabel("Email").fill(`omar-${chatId}@bakery.example`);
    await page.getByLabel("Telegram").fill(`@${username}`);
    await page.getByLabel("What do you need?").fill("Our bakery needs an order form for birthday cakes, with pick-up times and payment by card.");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/request(\.html)?\?id=req_/);

    const offer = page.getByRole("button", { name: "Get updates on Telegram" });
    await expect.poll(() => offer.isVisible(), { timeout: 15_000 }).toBe(true);
    await offer.click();
    await expect.poll(() => page.locator("#telegram-ready").isVisible()).toBe(true);
    // One thing to tap while the link waits.
    expect(await offer.isHidden()).toBe(true);
    const code = await startCode(page, "#telegram-open");
    await page.screenshot({ path: path.join(shots, "notifications-request-offer.png"), fullPage: true });

    // Pressing Start links the chat to this request; the page says so and offers it no more.
    await writeToBot(chatId, `/start ${code}`, username);
    await expect.poll(() => page.locator("#telegram-status").textContent(), { timeout: 15_000 }).toMatch(/Telegram is linked/);
    expect(await page.locator("#telegram-offer").isHidden()).toBe(true);
    await context.close();
  });
});
