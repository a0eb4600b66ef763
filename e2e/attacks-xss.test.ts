// The attack suite, part three: stored XSS. An attacker puts script into every field the platform later shows on a
// page or in a message — their name, a request's text (HTML and markdown), a file's name, their browser's user agent
// (the sessions list), a refused submission (the spam log), a page's markdown — and each page that shows it is opened
// in Chromium as the person who would read it: the client, ops, a visitor. No payload may run (no dialog, no global
// it sets), none may become markup (no element carries an event handler or a javascript: link), and none may even
// try (the CSP reports no refusal: a refusal means markup got through and only the policy stopped it). The emails
// the request caused carry the payloads escaped. Each probe names its OWASP ASVS 5.0 requirement.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAdmin } from "../scripts/create-admin.mjs";
import { type Client, PASSWORD, type Submitted, as, signedUp } from "./attackers";
import { launchChromium, requireBrowser } from "./browser";
import { eventually, opsHeaders, outboxFor, siteUrl } from "./helpers";

const api = (p: string) => `${siteUrl()}/api${p}`;
/** Each payload, if it ever ran, sets this global (and opens a dialog). */
const MARK = "__statexXss";
const HTML_PAYLOAD = `<img src=x onerror="window.${MARK}=1;alert(1)"><script>window.${MARK}=1</script>"><svg onload="alert(1)"><mark onmouseover="alert(1)">booking</mark>`;
const NAME = `Mallory ${HTML_PAYLOAD}`.slice(0, 200);
const TEXT = [
  "We need an online booking website for our physiotherapy clinic in Braga, with SMS reminders and GDPR compliance.",
  HTML_PAYLOAD,
  "[see our brief](javascript:alert(1)) and ![logo](javascript:alert(1)) <a href=\"javascript:alert(1)\">old site</a>",
  "Our budget is 9000 EUR and the site must be live by 1 June 2027.",
].join("\n\n");
const FILE_NAME = `<img src=x onerror=alert(1)>brief.txt`;
const USER_AGENT = `Mozilla/5.0 ${HTML_PAYLOAD}`;

let browser: Browser;
let attacker: Client;
let request: Submitted;

beforeAll(async () => {
  requireBrowser();
  browser = await launchChromium();
  attacker = await signedUp(NAME, {}, USER_AGENT);
  const data = new FormData();
  for (const [k, v] of Object.entries({ name: NAME, email: attacker.email, text: TEXT })) data.append(k, v);
  data.append("files", new File([new TextEncoder().encode("Brief: booking website, three therapists, SMS reminders.\n")], FILE_NAME));
  const res = await fetch(api("/requests"), { method: "POST", headers: as(attacker), body: data });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id, statusUrl } = (await res.json()) as { id: string; statusUrl: string };
  request = { id, statusUrl, token: new URL(statusUrl, siteUrl()).searchParams.get("token") ?? "" };
  // A refused submission of the same payloads, for the spam log.
  const refused = await fetch(api("/requests"), { method: "POST", headers: as(attacker, { "content-type": "application/json" }), body: JSON.stringify({ name: NAME, email: attacker.email, text: TEXT, website: "http://x.example" }) });
  expect(refused.status).toBe(422);
  await eventually(
    "the request to complete",
    async () => {
      const view = (await (await fetch(api(`/requests/${id}`), { headers: as(attacker) })).json()) as { status: string };
      return view.status === "completed" ? true : undefined;
    },
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

type Watched = { page: Page; dialogs: string[]; refusals: string[] };

async function watched(network: string): Promise<Watched> {
  const context = await browser.newContext({ extraHTTPHeaders: { "cf-connecting-ip": network } });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const refusals: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) refusals.push(m.text());
  });
  return { page, dialogs, refusals };
}

/** Nothing of the payloads ran, became markup, or was stopped by the CSP alone; and `shown` is on the page as text. */
async function expectInert({ page, dialogs, refusals }: Watched, where: string, shown: string): Promise<void> {
  await expect.poll(() => page.locator("body").innerText(), { timeout: 20_000, message: `${where} shows ${shown}` }).toContain(shown);
  const found = await page.evaluate((mark) => {
    const w = window as unknown as Record<string, unknown>;
    return {
      ran: w[mark] !== undefined,
      handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 120)),
      scriptLinks: [...document.querySelectorAll("a[href], img[src], iframe[src]")].map((el) => el.getAttribute("href") ?? el.getAttribute("src") ?? "").filter((u) => /^\s*javascript:/i.test(u)),
      inlineScripts: [...document.querySelectorAll("script:not([src])")].map((s) => s.textContent?.slice(0, 80) ?? "").filter((t) => t.includes(mark)),
    };
  }, MARK);
  expect({ where, ...found, dialogs, refusals }).toEqual({ where, ran: false, handlers: [], scriptLinks: [], inlineScripts: [], dialogs: [], refusals: [] });
}

describe("stored XSS", () => {
  it("V3.2.2 V1.3.5 the request page shows the name, text, file name, analysis and markdown draft as text, with no script run", async () => {
    const w = await watched("198.51.100.201");
    await w.page.goto(`${siteUrl()}${request.statusUrl.replace("/api/requests/", "/request.html?id=").replace("?token=", "&token=")}`);
    await expect.poll(() => w.page.locator("#status").textContent(), { timeout: 20_000 }).toMatch(/completed/i);
    await expect.poll(() => w.page.locator("#draft-block").isVisible(), { timeout: 20_000 }).toBe(true);
    await expectInert(w, "the request page", "booking website");
    await w.page.context().close();
  });

  it("V3.2.2 the account page shows the attacker's name, their requests and their sessions' user agents as text", async () => {
    const w = await watched(attacker.network["cf-connecting-ip"] ?? "198.51.100.202");
    await w.page.goto(`${siteUrl()}/account.html`);
    await w.page.locator("#signin-email").fill(attacker.email);
    await w.page.locator("#signin-password").fill(PASSWORD);
    await w.page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => w.page.locator("#who").textContent(), { timeout: 15_000 }).toContain("Mallory <img");
    await expectInert(w, "the account page", "Mozilla/5.0 <img");
    await w.page.context().close();
  });

  it("V3.2.2 the ops console shows the request's story and the spam log's entry as text to an admin", async () => {
    const w = await watched("192.0.2.251");
    const admin = devAdmin();
    await w.page.goto(`${siteUrl()}/ops.html`);
    await w.page.locator("#signin-email").fill(admin.email);
    await w.page.locator("#signin-password").fill(admin.password);
    await w.page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => w.page.locator("#who").textContent(), { timeout: 15_000 }).toContain("admin");
    await w.page.goto(`${siteUrl()}/ops.html#request/${request.id}`);
    await expectInert(w, "the request's story", FILE_NAME);
    await w.page.goto(`${siteUrl()}/ops.html#spam`);
    await expectInert(w, "the spam log", attacker.email);
    await w.page.context().close();
  });

  it("V1.3.5 V3.4.3 a published page's markdown keeps its raw HTML and javascript: links as text, and its policy runs no script", async () => {
    const slug = `attack-${Date.now()}`;
    const headers = { ...(await opsHeaders()), "content-type": "application/json" };
    const markdown = `---\ntitle: "Title ${HTML_PAYLOAD.replace(/"/g, "'")}"\nslug: ${slug}\nkind: page\nsummary: "Summary <script>alert(1)</script>"\ndraft: false\n---\n${TEXT}\n`;
    const saved = await fetch(api(`/pages/${slug}`), { method: "PUT", headers, body: JSON.stringify({ markdown, baseVersion: 0 }) });
    expect(saved.status, await saved.clone().text()).toBeLessThan(300);
    expect((await fetch(api(`/pages/${slug}/publish`), { method: "POST", headers, body: "{}" })).status).toBeLessThan(300);
    const w = await watched("198.51.100.203");
    const res = await w.page.goto(`${siteUrl()}/p/${slug}`);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'none'");
    await expectInert(w, "a published page", "see our brief");
    // Search shows its title and a snippet of its body, keeping only the <mark>s it adds itself.
    await w.page.goto(`${siteUrl()}/search.html?q=booking`);
    await expectInert(w, "the search results", "Title <img");
    await w.page.context().close();
  });

  it("V3.2.2 what a URL carries is shown as text: a search, an unsubscribe link, a missing page and a tag", async () => {
    const w = await watched("198.51.100.204");
    const payload = encodeURIComponent(HTML_PAYLOAD);
    for (const path of [`/search.html?q=${payload}`, `/api/notifications/unsubscribe?token=${payload}`, `/p/${payload}`, `/tags/${payload}`]) {
      const res = await w.page.goto(`${siteUrl()}${path}`);
      expect({ path, status: res?.status() }).toEqual({ path, status: expect.toSatisfy((s: number) => s < 500) });
      await expectInert(w, path, "");
    }
    await w.page.context().close();
  });

  it("V3.4.3 V3.4.6 every HTML page that comes from a worker through the site's /api proxy (where Pages adds no headers) brings a policy that runs no foreign script and forbids framing", async () => {
    const mails = await eventually("the request's received email", async () => {
      const got = await outboxFor(request.id);
      return got.find((m) => m.body.includes("/api/notifications/unsubscribe?token=")) ? got : undefined;
    }, 30_000);
    const unsubscribe = /\/api\/notifications\/unsubscribe\?token=[\w.:-]+/.exec(mails.map((m) => m.body).join("\n"))?.[0] ?? "";
    expect(unsubscribe).not.toBe("");
    for (const path of [unsubscribe, "/api/docs", "/p/no-such-page"]) {
      const res = await fetch(`${siteUrl()}${path}`, { headers: attacker.network });
      await res.arrayBuffer();
      const csp = res.headers.get("content-security-policy") ?? "";
      expect({ path, type: res.headers.get("content-type"), framing: /frame-ancestors 'none'/.test(csp), script: /script-src[^;]*('unsafe-inline'|\s\*(\s|;|$)|\shttps?:(\s|;|$))/.test(csp) || !/(script-src|default-src) /.test(csp), nosniff: res.headers.get("x-content-type-options") }).toEqual({
        path,
        type: expect.stringContaining("text/html"),
        framing: true,
        script: false,
        nosniff: "nosniff",
      });
    }
  });

  it("V1.2.1 the emails the request caused carry every payload escaped", async () => {
    const messages = await eventually("the request's emails", async () => {
      const got = await outboxFor(request.id);
      return got.some((m) => /ready/i.test(m.subject)) ? got : undefined;
    }, 30_000);
    const html = messages.map((m) => ({ subject: m.subject, html: (m as { html?: string }).html ?? "" })).filter((m) => m.html);
    expect(html.length).toBeGreaterThan(0);
    for (const m of html) {
      const raw = ["<img src=x onerror", "<script>window", "<svg onload", 'href="javascript:', "href='javascript:"].filter((r) => m.html.includes(r));
      expect({ subject: m.subject, raw }).toEqual({ subject: m.subject, raw: [] });
    }
  });
});
