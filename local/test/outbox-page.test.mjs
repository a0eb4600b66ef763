// The site's /outbox.html in Chromium against the real local services: the page is built as the site builds it
// (its shared head and header, its script bundled by esbuild) and served with its Content-Security-Policy from
// site/public/_headers, beside a pass-through of /api/dev/outbox as the notify worker's route is. It shows every
// channel's messages with their statuses and the email in a sandboxed frame, and its controls and client forms act
// on the local services. A screenshot is left in .tmp/screenshots/outbox.png for a person to look at.
// (The whole platform's copy of this page, under wrangler pages dev, is the end-to-end suite's to check.)
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { devSecretValue } from "../../infra/topology.mjs";
import { requirePackages } from "../../scripts/system.mjs";
import { SITE_HEAD, SITE_HEAD_SLOT, SITE_HEADER, SITE_HEADER_SLOT } from "../../shared/src/site.ts";
import { startLocalServices } from "../server.mjs";
import { startReceiver } from "./receiver.mjs";

const root = path.join(import.meta.dirname, "..", "..");
const site = path.join(root, "site");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const shots = path.join(root, ".tmp", "screenshots");
const TIMING = { sentMs: 50, deliveredMs: 200, readMs: 400, attempts: 3, retryBaseMs: 50, retryCapMs: 200, timeoutMs: 2000 };

let dir;
let services;
let receiver;
let page;
let browser;

/** The headers site/public/_headers gives a path, as Pages applies them: each matching rule in order, `! Name` detaches. */
async function headersFor(pathname) {
  const text = await readFile(path.join(site, "public", "_headers"), "utf8");
  const headers = new Map();
  let applies = false;
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const pattern = line.trim();
      applies = pattern === pathname || (pattern.endsWith("*") && pathname.startsWith(pattern.slice(0, -1)));
      continue;
    }
    if (!applies) continue;
    const detach = /^\s+!\s*(\S+)/.exec(line);
    if (detach) headers.delete(detach[1].toLowerCase());
    else {
      const [, name, value] = /^\s+([^:]+):\s*(.*)$/.exec(line) ?? [];
      if (name) headers.set(name.toLowerCase(), value);
    }
  }
  return Object.fromEntries(headers);
}

/** The page as the site build makes it, on a port of its own, with /api/dev/outbox passed through to the outbox. */
async function servePage() {
  const out = path.join(dir, "site");
  await build({ entryPoints: [path.join(site, "src", "outbox.ts")], outdir: path.join(out, "js"), bundle: true, format: "esm", target: "es2022", logLevel: "warning" });
  const html = (await readFile(path.join(site, "public", "outbox.html"), "utf8")).replace(SITE_HEAD_SLOT, SITE_HEAD).replace(SITE_HEADER_SLOT, SITE_HEADER);
  const files = {
    "/outbox.html": ["text/html; charset=utf-8", html, await headersFor("/outbox.html")],
    "/styles.css": ["text/css", await readFile(path.join(site, "public", "styles.css"), "utf8"), {}],
    "/js/outbox.js": ["text/javascript", await readFile(path.join(out, "js", "outbox.js"), "utf8"), {}],
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://page");
    if (url.pathname === "/api/dev/outbox") {
      const answer = await fetch(`${services.url}/outbox/messages${url.search}`);
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
      return;
    }
    const file = files[url.pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": file[0], ...file[2] }).end(file[1]);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, close: () => new Promise((r) => server.close(r)) };
}

let pageServer;
const cspViolations = [];

before(async () => {
  if (!process.env.CHROMIUM_PATH) requirePackages("chromium");
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  mkdirSync(shots, { recursive: true });
  dir = await mkdtemp(path.join(tmpdir(), "statex-outbox-page-"));
  receiver = await startReceiver({ verifyToken: devSecretValue("WHATSAPP_VERIFY_TOKEN") });
  services = await startLocalServices({ port: 0, dataDir: dir, webhookBase: receiver.url, timing: TIMING });
  pageServer = await servePage();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
});
after(async () => {
  await browser?.close();
  await pageServer?.close();
  await services?.close();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const post = (route, body, headers = {}) =>
  fetch(`${services.url}${route}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

it("shows each channel's messages and statuses, the email in a sandboxed frame, and acts on the controls and client forms", async () => {
  // What the platform would have sent: an email, a Telegram message to a chat that started the bot, a WhatsApp text.
  await post("/email/emails", { from: "StateX <hello@statex.local>", to: ["ada@example.com"], subject: "Your request is ready", text: "Ready.",
    html: '<h1 style="color:#1f5eff">Your request is ready</h1><p>Open it <a href="https://statex.app/r/1">here</a>.</p>', tags: [{ name: "request_id", value: "req_page" }] },
  { authorization: `Bearer ${devSecretValue("EMAIL_API_KEY")}`, "idempotency-key": "ntf_page_1" });
  const bot = `${services.url}/telegram/bot${devSecretValue("TELEGRAM_BOT_TOKEN")}`;
  await post(`/telegram/bot${devSecretValue("TELEGRAM_BOT_TOKEN")}/setWebhook`, { url: `${receiver.url}/api/webhooks/telegram`, secret_token: "page-secret" });
  await post("/telegram/standin/updates", { chatId: 700001, text: "/start code1", firstName: "Ada" });
  await fetch(`${bot}/sendMessage`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chat_id: 700001, text: "<b>Linked</b>: you will hear from us here.", parse_mode: "HTML" }) });
  await post("/whatsapp/standin/inbound", { from: "+15550001000", text: "hi" });
  await post("/whatsapp/v21.0/100000000000001/messages", { messaging_product: "whatsapp", to: "15550001000", type: "text", text: { body: "Your request is ready." } },
    { authorization: `Bearer ${devSecretValue("WHATSAPP_TOKEN")}` });

  await page.goto(`${pageServer.url}/outbox.html`);
  const rows = page.locator("#messages tr");
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3);
  await page.locator("#messages tr", { hasText: "WhatsApp" }).locator(".status", { hasText: "read" }).waitFor({ timeout: 10_000 });
  const emailRow = page.locator("#messages tr", { hasText: "ada@example.com" });
  await emailRow.locator(".status", { hasText: "delivered" }).waitFor({ timeout: 10_000 });
  assert.match(await emailRow.textContent(), /Idempotency-Key ntf_page_1/);

  // The email, opened: its own HTML in a frame that runs nothing, styles as the mail client would show them.
  await emailRow.locator("summary").click();
  const frame = emailRow.locator("iframe");
  assert.equal(await frame.getAttribute("sandbox"), "");
  const heading = page.frameLocator("#messages iframe").locator("h1");
  assert.equal(await heading.textContent(), "Your request is ready");
  assert.equal(await heading.evaluate((h) => getComputedStyle(h).color), "rgb(31, 94, 255)");

  // The channels' state lines say where their webhooks go.
  await page.locator('section[data-channel="whatsapp"] [data-state]', { hasText: "Verified" }).waitFor();
  assert.match(await page.locator('section[data-channel="telegram"] [data-state]').textContent(), /api\/webhooks\/telegram with its secret token/);

  // A control set on the page is the local services' control.
  const controls = page.locator('form[data-control="whatsapp"]');
  await controls.locator("select").selectOption("429");
  await controls.locator('input[name="retryAfter"]').fill("9");
  await controls.getByRole("button", { name: "Apply" }).click();
  await controls.locator("output", { hasText: "Retry-After 9 s" }).waitFor();
  const set = await (await fetch(`${services.url}/outbox/controls`)).json();
  assert.deepEqual([set.controls.whatsapp.mode, set.controls.whatsapp.retryAfter], ["429", 9]);

  // The client writes to the bot from the page: the platform's webhook gets the Update.
  const form = page.locator("#telegram-client");
  await form.locator('input[name="chatId"]').fill("700002");
  await form.locator('input[name="text"]').fill("/start fromthepage");
  await form.getByRole("button", { name: "Send to the bot" }).click();
  await form.locator("output", { hasText: "Sent to the bot's webhook" }).waitFor();
  const update = receiver.requests.find((r) => r.path === "/api/webhooks/telegram" && r.body.includes("fromthepage"));
  assert.ok(update, "the update reached the webhook");
  assert.equal(update.headers["x-telegram-bot-api-secret-token"], "page-secret");
  await page.locator("#webhooks tr", { hasText: "update.message" }).first().waitFor();

  // Filters narrow the list to one channel.
  await page.locator("#filter-channel").selectOption("telegram");
  await page.waitForFunction(() => document.querySelectorAll("#messages tr").length === 1);

  await page.locator("#filter-channel").selectOption("");
  await page.waitForFunction(() => document.querySelectorAll("#messages tr").length === 3);
  await emailRow.locator("summary").click();
  await page.screenshot({ path: path.join(shots, "outbox.png"), fullPage: true });
  assert.deepEqual(cspViolations, [], "no request or style of the page is blocked by its CSP");
});
