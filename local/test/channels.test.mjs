// The notification channels' stand-ins over real HTTP (`node --test local/test/`): each API's requests, answers and
// errors, idempotency, the WhatsApp window, the controls, and the webhooks they send back, received by a tiny server
// standing in for the platform, with every signature checked by a computation of its own (WebCrypto).
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { devSecretValue } from "../../infra/topology.mjs";
import { startLocalServices } from "../server.mjs";
import { parseTelegramHtml } from "../services/telegram-html.mjs";
import { svixHeaders } from "../webhooks.mjs";
import { startReceiver } from "./receiver.mjs";

const EMAIL_KEY = devSecretValue("EMAIL_API_KEY");
const BOT_TOKEN = devSecretValue("TELEGRAM_BOT_TOKEN");
const WA_TOKEN = devSecretValue("WHATSAPP_TOKEN");
const APP_SECRET = devSecretValue("WHATSAPP_APP_SECRET");
const VERIFY_TOKEN = devSecretValue("WHATSAPP_VERIFY_TOKEN");
/** The dev value is plain text, which both sides use as its UTF-8 bytes. */
const EMAIL_SECRET = devSecretValue("EMAIL_WEBHOOK_SECRET");
const TG_SECRET = "tg-secret_123";
const PHONE_ID = "100000000000001";
const TIMING = { sentMs: 20, deliveredMs: 80, readMs: 140, attempts: 4, retryBaseMs: 30, retryCapMs: 120, timeoutMs: 2000 };

/** A repeatable random (mulberry32), so a fail rate fails the same sends every run. */
function seeded(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let dir;
let services;
let receiver;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "statex-channels-"));
  receiver = await startReceiver({ verifyToken: VERIFY_TOKEN });
  services = await startLocalServices({ port: 0, dataDir: dir, webhookBase: receiver.url, timing: TIMING, random: seeded(7) });
});
after(async () => {
  await services.close();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await fetch(`${services.url}/outbox/controls`, { method: "DELETE" });
});

const json = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const setControl = async (channel, body) => {
  const res = await fetch(`${services.url}/outbox/controls/${channel}`, { ...json(body), method: "PUT" });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
};

async function eventually(what, check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The webhooks the receiver got on a path whose JSON body passes `match`. */
const received = (pathname, match = () => true) =>
  receiver.requests.filter((r) => r.method === "POST" && r.path === pathname).filter((r) => match(JSON.parse(r.body), r));

const messages = async (query) => (await (await fetch(`${services.url}/outbox/messages?${new URLSearchParams(query)}`)).json()).messages;
const deliveries = async (channel) => (await (await fetch(`${services.url}/outbox/webhooks?channel=${channel}`)).json()).deliveries;

// Independent checks of the signatures, with WebCrypto rather than node:crypto's createHmac that the services use.
async function hmac(keyBytes, text) {
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return Buffer.from(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
}
async function svixValid(secret, headers, body) {
  const keyBytes = secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : new TextEncoder().encode(secret);
  const expected = (await hmac(keyBytes, `${headers["svix-id"]}.${headers["svix-timestamp"]}.${body}`)).toString("base64");
  return String(headers["svix-signature"]).split(" ").some((s) => s === `v1,${expected}`);
}
async function metaValid(headers, body) {
  return headers["x-hub-signature-256"] === `sha256=${(await hmac(new TextEncoder().encode(APP_SECRET), body)).toString("hex")}`;
}

// ---------------------------------------------------------------------------------------------------------------

describe("email (Resend)", () => {
  const sendEmail = (body, headers = {}) =>
    fetch(`${services.url}/email/emails`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${EMAIL_KEY}`, ...headers },
      body: JSON.stringify({ from: "StateX <hello@statex.local>", subject: "Hello", text: "Plain", html: "<p style=\"color:#333\">Plain</p>", ...body }),
    });

  it("reports email.sent then email.delivered by Svix-signed webhook, and keeps each status", async () => {
    const res = await sendEmail({ to: ["ada@example.com"], tags: [{ name: "request_id", value: "req_mail1" }] });
    assert.equal(res.status, 200);
    const { id } = await res.json();
    const events = await eventually("two email events", () => {
      const got = received("/api/webhooks/email", (b) => b.data.email_id === id);
      return got.length === 2 && got;
    });
    const bodies = events.map((r) => JSON.parse(r.body));
    assert.deepEqual(bodies.map((b) => b.type), ["email.sent", "email.delivered"]);
    assert.deepEqual(bodies[1].data.to, ["ada@example.com"]);
    assert.equal(bodies[1].data.subject, "Hello");
    assert.deepEqual(bodies[1].data.tags, { request_id: "req_mail1" });
    assert.match(bodies[1].created_at, /^\d{4}-\d\d-\d\dT/);
    for (const r of events) {
      assert.match(String(r.headers["svix-id"]), /^msg_/);
      assert.ok(Math.abs(Number(r.headers["svix-timestamp"]) - Date.now() / 1000) < 30);
      assert.ok(await svixValid(EMAIL_SECRET, r.headers, r.body), "svix signature");
      assert.ok(!(await svixValid("another secret", r.headers, r.body)));
    }
    const [stored] = await messages({ requestId: "req_mail1" });
    assert.deepEqual(stored.statuses.map((s) => s.status), ["accepted", "sent", "delivered"]);
    assert.equal(stored.status, "delivered");
  });

  it("signs with a whsec_ secret's base64 key, as Svix libraries verify", async () => {
    const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
    const body = '{"type":"email.sent"}';
    const headers = svixHeaders(secret, "msg_test", body);
    assert.ok(await svixValid(secret, headers, body));
    assert.ok(!(await svixValid(`whsec_${Buffer.from("other").toString("base64")}`, headers, body)));
  });

  it("answers a repeated Idempotency-Key once: one message, one set of events", async () => {
    const body = { to: ["idem@example.com"] };
    const first = await (await sendEmail(body, { "idempotency-key": "ntf_idem" })).json();
    const again = await sendEmail(body, { "idempotency-key": "ntf_idem" });
    assert.deepEqual(await again.json(), first);
    await eventually("delivered", () => received("/api/webhooks/email", (b) => b.data.email_id === first.id && b.type === "email.delivered").length === 1);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(received("/api/webhooks/email", (b) => b.data.email_id === first.id).length, 2);
    const [stored] = await messages({ to: "idem@example.com" });
    assert.equal(stored.idempotencyKey, "ntf_idem");
  });

  it("fails, refuses and throttles in Resend's error shapes when told to", async () => {
    const sends = async () => (await (await fetch(`${services.url}/outbox/controls`)).json()).sends.email;
    const before = await sends();
    await setControl("email", { mode: "fail" });
    const failed = await sendEmail({ to: ["x@example.com"] });
    assert.equal(failed.status, 500);
    assert.deepEqual(await failed.json(), { statusCode: 500, name: "application_error", message: "An unexpected error occurred." });
    // A refused send is counted too: a caller's circuit breaker is judged by the sends it spared the provider.
    assert.equal(await sends(), before + 1);

    await setControl("email", { mode: "fail-4xx" });
    const refused = await sendEmail({ to: ["x@example.com"] });
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).message, /statex\.local domain is not verified/);

    await setControl("email", { mode: "429", retryAfter: 7 });
    const throttled = await sendEmail({ to: ["x@example.com"] });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get("retry-after"), "7");
    assert.equal((await throttled.json()).name, "rate_limit_exceeded");
    assert.deepEqual(await messages({ to: "x@example.com" }), []);
  });

  it("reports delivery_delayed and never delivered, a bounce, or the events out of order", async () => {
    await setControl("email", { mode: "no-delivery" });
    const { id: stalled } = await (await sendEmail({ to: ["stall@example.com"] })).json();
    await setControl("email", { mode: "undeliverable" });
    const { id: bounced } = await (await sendEmail({ to: ["bounce@example.com"] })).json();
    await setControl("email", { mode: "out-of-order" });
    const { id: shuffled } = await (await sendEmail({ to: ["shuffle@example.com"] })).json();

    const types = (id) => received("/api/webhooks/email", (b) => b.data.email_id === id).map((r) => JSON.parse(r.body).type);
    await eventually("the stalled email's events", () => types(stalled).length === 2);
    assert.deepEqual(types(stalled), ["email.sent", "email.delivery_delayed"]);
    await eventually("the bounce", () => types(bounced).length === 2);
    const bounce = received("/api/webhooks/email", (b) => b.data.email_id === bounced && b.type === "email.bounced").map((r) => JSON.parse(r.body))[0];
    assert.equal(bounce.data.bounce.type, "Permanent");
    const [storedBounce] = await messages({ to: "bounce@example.com" });
    assert.equal(storedBounce.status, "failed");
    await eventually("three shuffled events", () => types(shuffled).length === 3);
    assert.notDeepEqual(types(shuffled).slice(0, 2), ["email.sent", "email.delivered"], "not in order");
    const [storedShuffled] = await messages({ to: "shuffle@example.com" });
    assert.deepEqual(storedShuffled.statuses.map((s) => s.status), ["accepted", "sent", "delivered"], "the outbox keeps the true order");
  });

  it("answers slowly when told to", async () => {
    await setControl("email", { mode: "slow-300" });
    const started = Date.now();
    assert.equal((await sendEmail({ to: ["slow@example.com"] })).status, 200);
    assert.ok(Date.now() - started >= 290);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("Telegram (Bot API)", () => {
  const call = (method, params, token = BOT_TOKEN) => fetch(`${services.url}/telegram/bot${token}/${method}`, json(params ?? {}));
  const simulate = (body) => fetch(`${services.url}/telegram/standin/updates`, json(body));
  const updates = (chatId) => received("/api/webhooks/telegram", (b) => b.message?.chat.id === chatId);
  const sendMessage = async (chatId, text, extra = {}) => call("sendMessage", { chat_id: chatId, text, ...extra });

  before(async () => {
    const res = await call("setWebhook", { url: `${receiver.url}/api/webhooks/telegram`, secret_token: TG_SECRET });
    assert.deepEqual(await res.json(), { ok: true, result: true, description: "Webhook was set" });
  });

  it("answers getMe, and 401 and 404 as Telegram does", async () => {
    const me = await (await fetch(`${services.url}/telegram/bot${BOT_TOKEN}/getMe`)).json();
    assert.equal(me.ok, true);
    assert.equal(me.result.username, "statex_local_bot");
    assert.equal(me.result.is_bot, true);
    const wrong = await call("getMe", {}, "123:nope");
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { ok: false, error_code: 401, description: "Unauthorized" });
    const unknown = await call("sendTelepathy");
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { ok: false, error_code: 404, description: "Not Found" });
  });

  it("sends the client's /start to the webhook with the secret token, and the chat can then be messaged", async () => {
    assert.deepEqual(await (await sendMessage(555001, "Hi")).json(), { ok: false, error_code: 400, description: "Bad Request: chat not found" });
    const res = await simulate({ chatId: 555001, text: "/start abc123", firstName: "Ada", username: "ada_l" });
    assert.equal(res.status, 200);
    const [update] = await eventually("the update", () => updates(555001).length === 1 && updates(555001));
    assert.equal(update.headers["x-telegram-bot-api-secret-token"], TG_SECRET);
    const body = JSON.parse(update.body);
    assert.equal(typeof body.update_id, "number");
    assert.deepEqual(body.message.chat, { id: 555001, first_name: "Ada", username: "ada_l", type: "private" });
    assert.equal(body.message.from.is_bot, false);
    assert.equal(body.message.text, "/start abc123");
    assert.deepEqual(body.message.entities, [{ offset: 0, length: 6, type: "bot_command" }]);

    const sent = await (await sendMessage(555001, "<b>Ready</b>: your draft &amp; analysis <a href=\"https://statex.app/r/1\">here</a>", { parse_mode: "HTML" })).json();
    assert.equal(sent.ok, true);
    assert.equal(sent.result.text, "Ready: your draft & analysis here");
    assert.deepEqual(sent.result.entities, [
      { type: "bold", offset: 0, length: 5 },
      { type: "text_link", offset: 29, length: 4, url: "https://statex.app/r/1" },
    ]);
    assert.equal(sent.result.chat.id, 555001);
    assert.equal(sent.result.from.username, "statex_local_bot");
    const [stored] = await messages({ channel: "telegram", to: "555001" });
    assert.equal(stored.body, "Ready: your draft & analysis here");
    assert.match(stored.html, /^<b>Ready<\/b>/);
    assert.equal(stored.status, "sent");
    assert.equal(stored.providerMessageId, String(sent.result.message_id));
  });

  it("takes form and query parameters too", async () => {
    await simulate({ chatId: 555002, text: "/start x" });
    const form = await fetch(`${services.url}/telegram/bot${BOT_TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "555002", text: "from a form" }),
    });
    assert.equal((await form.json()).result.text, "from a form");
    const query = await fetch(`${services.url}/telegram/bot${BOT_TOKEN}/sendMessage?chat_id=555002&text=from+a+query`);
    assert.equal((await query.json()).result.text, "from a query");
  });

  it("refuses HTML Telegram cannot parse with its own words", async () => {
    await simulate({ chatId: 555003, text: "/start y" });
    for (const [html, description] of [
      ["<p>Hello</p>", 'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0'],
      ["Ready <b>now", 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'],
      ["é <i>a</b>", 'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
      ["1 < 2", 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2'],
    ]) {
      const res = await sendMessage(555003, html, { parse_mode: "HTML" });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { ok: false, error_code: 400, description });
    }
    assert.equal((await sendMessage(555003, "<b></b>  ", { parse_mode: "HTML" })).status, 400);
    assert.equal((await (await sendMessage(555003, "x".repeat(4097))).json()).description, "Bad Request: message is too long");
    assert.equal((await (await sendMessage(555003, "hi", { parse_mode: "BBCode" })).json()).description, "Bad Request: unsupported parse_mode");
  });

  it("parses Telegram HTML as tdlib does (character references, nesting, code blocks)", () => {
    assert.deepEqual(parseTelegramHtml("&lt;b&gt; &amp;x &copy; &#65;"), { text: "<b> &x &copy; A", entities: [] });
    assert.deepEqual(parseTelegramHtml('<pre><code class="language-js">x = 1</code></pre>'), { text: "x = 1", entities: [{ type: "pre", offset: 0, length: 5, language: "js" }] });
    assert.deepEqual(parseTelegramHtml("<i>a<b>b</b></i>").entities, [{ type: "italic", offset: 0, length: 2 }, { type: "bold", offset: 1, length: 1 }]);
    assert.throws(() => parseTelegramHtml('<span class="x">a</span>'), /Tag "span" must have class "tg-spoiler"/);
    assert.throws(() => parseTelegramHtml("🏟 🏟&lt;<abacaba"), /Unclosed start tag at byte offset 13/);
  });

  it("holds a chat to about one message a second, with short bursts, answering 429 with retry_after", async () => {
    await simulate({ chatId: 555004, text: "/start z" });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await (await sendMessage(555004, `burst ${i}`)).json());
    assert.deepEqual(answers.slice(0, 3).map((a) => a.ok), [true, true, true]);
    assert.equal(answers[3].error_code, 429);
    assert.match(answers[3].description, /^Too Many Requests: retry after \d+$/);
    assert.ok(answers[3].parameters.retry_after >= 1);
    await new Promise((r) => setTimeout(r, answers[3].parameters.retry_after * 1000));
    assert.equal((await (await sendMessage(555004, "after the wait")).json()).ok, true);
  });

  it("fails, refuses as a blocked bot, and throttles when told to", async () => {
    await simulate({ chatId: 555005, text: "/start w" });
    await setControl("telegram", { mode: "fail-4xx" });
    assert.deepEqual(await (await sendMessage(555005, "x")).json(), { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await setControl("telegram", { mode: "429", retryAfter: 12 });
    const throttled = await sendMessage(555005, "x");
    assert.equal(throttled.status, 429);
    assert.deepEqual(await throttled.json(), { ok: false, error_code: 429, description: "Too Many Requests: retry after 12", parameters: { retry_after: 12 } });
    await setControl("telegram", { mode: "fail" });
    assert.equal((await sendMessage(555005, "x")).status, 500);
    assert.deepEqual(await messages({ channel: "telegram", to: "555005" }), []);
  });

  it("retries an update the webhook refused, and says so in getWebhookInfo", async () => {
    receiver.failNext("/api/webhooks/telegram", 500, 502);
    await simulate({ chatId: 555006, text: "/stop" });
    await eventually("the third attempt", () => updates(555006).length === 3);
    const [delivery] = (await deliveries("telegram")).filter((d) => d.payload.message?.chat.id === 555006);
    await eventually("delivered", async () => (await deliveries("telegram")).find((d) => d.id === delivery.id)?.state === "delivered");
    assert.deepEqual((await deliveries("telegram")).find((d) => d.id === delivery.id).attempts.map((a) => a.status), [500, 502, 200]);
    const info = await (await call("getWebhookInfo")).json();
    assert.equal(info.result.url, `${receiver.url}/api/webhooks/telegram`);
    assert.equal(info.result.last_error_message, "Wrong response from the webhook: 502 Bad Gateway");
    assert.equal(typeof info.result.last_error_date, "number");
  });

  it("keeps updates for getUpdates without a webhook, and refuses getUpdates while one is set", async () => {
    const conflict = await call("getUpdates");
    assert.equal(conflict.status, 409);
    assert.match((await conflict.json()).description, /^Conflict: can't use getUpdates method while webhook is active/);
    assert.equal((await (await call("deleteWebhook")).json()).description, "Webhook was deleted");
    await simulate({ chatId: 555007, text: "hello bot" });
    const { result } = await (await call("getUpdates")).json();
    assert.deepEqual(result.map((u) => u.message.text), ["hello bot"]);
    assert.deepEqual((await (await call("getUpdates", { offset: result[0].update_id + 1 })).json()).result, []);
    // Set again: an update queued meanwhile goes to the webhook.
    await simulate({ chatId: 555008, text: "while away" });
    await call("setWebhook", { url: `${receiver.url}/api/webhooks/telegram`, secret_token: TG_SECRET });
    await eventually("the queued update", () => updates(555008).length === 1);
    const refused = await call("setWebhook", { url: "http://example.com/hook" });
    assert.deepEqual(await refused.json(), { ok: false, error_code: 400, description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook" });
    const badSecret = await call("setWebhook", { url: `${receiver.url}/x`, secret_token: "no spaces allowed" });
    assert.equal((await badSecret.json()).description, "Bad Request: secret token contains unallowed characters");
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("WhatsApp (Cloud API)", () => {
  const send = (body, token = WA_TOKEN, phoneId = PHONE_ID) =>
    fetch(`${services.url}/whatsapp/v21.0/${phoneId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const text = (to, body, extra = {}) => send({ messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body }, ...extra });
  const inbound = (from, body, extra = {}) => fetch(`${services.url}/whatsapp/standin/inbound`, json({ from, text: body, ...extra }));
  /** The statuses the receiver got for one message, in arrival order. */
  const statusesOf = (id) =>
    received("/api/webhooks/whatsapp", (b) => b.entry[0].changes[0].value.statuses?.[0]?.id === id).map((r) => JSON.parse(r.body).entry[0].changes[0].value.statuses[0]);

  it("verifies the callback with the handshake before the first webhook, then signs each one", async () => {
    receiver.handshake.answer = "wrong";
    await inbound("+49 151 0000001", "first try");
    await eventually("a failed handshake", async () => (await deliveries("whatsapp"))[0]?.attempts.length >= 1);
    const [attempted] = await deliveries("whatsapp");
    assert.match(attempted.attempts[0].error, /verification handshake failed: the callback URL answered 403/);
    receiver.handshake.answer = "challenge";
    await eventually("delivered after the handshake passes", async () => (await deliveries("whatsapp"))[0]?.state === "delivered");
    const handshakes = receiver.requests.filter((r) => r.method === "GET" && r.path === "/api/webhooks/whatsapp");
    assert.ok(handshakes.length >= 2);
    assert.equal(handshakes[0].query.get("hub.mode"), "subscribe");
    assert.equal(handshakes[0].query.get("hub.verify_token"), VERIFY_TOKEN);
    assert.match(handshakes[0].query.get("hub.challenge"), /^\d+$/);

    const [message] = received("/api/webhooks/whatsapp", (b) => b.entry[0].changes[0].value.messages?.[0]?.text.body === "first try");
    assert.ok(await metaValid(message.headers, message.body), "X-Hub-Signature-256");
    const payload = JSON.parse(message.body);
    assert.equal(payload.object, "whatsapp_business_account");
    const change = payload.entry[0].changes[0];
    assert.equal(change.field, "messages");
    assert.equal(change.value.metadata.phone_number_id, PHONE_ID);
    assert.deepEqual(change.value.contacts, [{ profile: { name: "Client" }, wa_id: "491510000001" }]);
    assert.deepEqual({ ...change.value.messages[0], id: "x", timestamp: "t" }, { from: "491510000001", id: "x", timestamp: "t", type: "text", text: { body: "first try" } });
    assert.match(change.value.messages[0].id, /^wamid\./);
  });

  it("delivers free text inside the 24-hour window: sent, delivered, read, with the callback data", async () => {
    await inbound("+1 555 000 0002", "hello", { name: "Ada" });
    const res = await text("+1 555 000 0002", "Your draft is ready", { biz_opaque_callback_data: "ntf_wa1" });
    assert.equal(res.status, 200);
    const answer = await res.json();
    assert.equal(answer.messaging_product, "whatsapp");
    assert.deepEqual(answer.contacts, [{ input: "+1 555 000 0002", wa_id: "15550000002" }]);
    assert.match(answer.messages[0].id, /^wamid\./);
    const id = answer.messages[0].id;
    await eventually("three statuses", () => statusesOf(id).length === 3);
    const statuses = statusesOf(id);
    assert.deepEqual(statuses.map((s) => s.status), ["sent", "delivered", "read"]);
    assert.ok(statuses.every((s) => s.recipient_id === "15550000002" && s.biz_opaque_callback_data === "ntf_wa1" && /^\d+$/.test(s.timestamp)));
    for (const r of received("/api/webhooks/whatsapp", (b) => b.entry[0].changes[0].value.statuses?.[0]?.id === id)) assert.ok(await metaValid(r.headers, r.body));
    const [stored] = await messages({ channel: "whatsapp", to: "15550000002" });
    assert.deepEqual(stored.statuses.map((s) => s.status), ["accepted", "sent", "delivered", "read"]);
  });

  it("fails free text outside the window with 131047, while a template gets through", async () => {
    const res = await text("15550000003", "Nobody wrote first");
    assert.equal(res.status, 200, "accepted, as Meta does");
    const { messages: [{ id }] } = await res.json();
    await eventually("the failed status", () => statusesOf(id).length === 1);
    const [failed] = statusesOf(id);
    assert.equal(failed.status, "failed");
    assert.equal(failed.errors[0].code, 131047);
    assert.equal(failed.errors[0].title, "Re-engagement message");
    assert.match(failed.errors[0].error_data.details, /more than 24 hours/);

    // A client who wrote 25 hours ago is outside it too.
    await inbound("15550000004", "long ago", { time: new Date(Date.now() - 25 * 3600_000).toISOString() });
    const late = await (await text("15550000004", "Too late")).json();
    await eventually("the failed status", () => statusesOf(late.messages[0].id)[0]?.errors?.[0]?.code === 131047);

    const template = await send({ messaging_product: "whatsapp", to: "15550000003", type: "template",
      template: { name: "request_ready", language: { code: "en" }, components: [{ type: "body", parameters: [{ type: "text", text: "req_1" }] }] } });
    const answer = await template.json();
    assert.equal(answer.messages[0].message_status, "accepted");
    await eventually("the template delivered", () => statusesOf(answer.messages[0].id).some((s) => s.status === "delivered"));
    const [stored] = await messages({ channel: "whatsapp", to: "15550000003" });
    assert.equal(stored.body, "[template request_ready (en)] req_1");
  });

  it("answers the Graph API's errors for a bad token, phone number id or body", async () => {
    const badToken = await send({ messaging_product: "whatsapp", to: "15550000002", text: { body: "x" } }, "nope");
    assert.equal(badToken.status, 401);
    const problem = (await badToken.json()).error;
    assert.deepEqual({ code: problem.code, type: problem.type }, { code: 190, type: "OAuthException" });
    assert.equal(typeof problem.fbtrace_id, "string");
    const badPhone = await (await send({ messaging_product: "whatsapp", to: "1", text: { body: "x" } }, WA_TOKEN, "999")).json();
    assert.deepEqual({ code: badPhone.error.code, subcode: badPhone.error.error_subcode }, { code: 100, subcode: 33 });
    const noProduct = await send({ to: "15550000002", text: { body: "x" } });
    assert.equal(noProduct.status, 400);
    assert.equal((await noProduct.json()).error.message, "(#100) The parameter messaging_product is required.");
    assert.equal((await (await text("12", "x")).json()).error.code, 131009);
  });

  it("fails, refuses, throttles, stalls, shuffles and bounces when told to", async () => {
    await inbound("15550000005", "hi");
    await setControl("whatsapp", { mode: "429", retryAfter: 4 });
    const throttled = await text("15550000005", "x");
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get("retry-after"), "4");
    assert.equal((await throttled.json()).error.code, 130429);
    await setControl("whatsapp", { mode: "fail-4xx" });
    const refused = await text("15550000005", "x");
    assert.deepEqual([refused.status, (await refused.json()).error.code], [400, 131026]);
    await setControl("whatsapp", { mode: "fail" });
    const failed = await text("15550000005", "x");
    assert.deepEqual([failed.status, (await failed.json()).error.code], [500, 131000]);

    await setControl("whatsapp", { mode: "no-delivery" });
    const stalled = (await (await text("15550000005", "stalled")).json()).messages[0].id;
    await setControl("whatsapp", { mode: "out-of-order" });
    const shuffled = (await (await text("15550000005", "shuffled")).json()).messages[0].id;
    await setControl("whatsapp", { mode: "undeliverable" });
    const bounced = (await (await text("15550000005", "bounced")).json()).messages[0].id;

    await eventually("four shuffled statuses", () => statusesOf(shuffled).length === 4);
    const order = statusesOf(shuffled).map((s) => s.status);
    assert.notDeepEqual(order.slice(0, 3), ["sent", "delivered", "read"]);
    assert.deepEqual([...new Set(order)].sort(), ["delivered", "read", "sent"]);
    assert.deepEqual(statusesOf(stalled).map((s) => s.status), ["sent"]);
    await eventually("the undeliverable status", () => statusesOf(bounced).length === 1);
    assert.equal(statusesOf(bounced)[0].errors[0].code, 131026);
  });

  it("fails about the given share of sends with a 5xx (fail-rate)", async () => {
    await inbound("15550000006", "hi");
    await setControl("whatsapp", { failRate: 0.2 });
    const statuses = [];
    for (let i = 0; i < 50; i++) statuses.push((await text("15550000006", `n${i}`)).status);
    const failures = statuses.filter((s) => s === 500).length;
    assert.ok(failures >= 4 && failures <= 18, `${failures} of 50 failed`);
    assert.equal(statuses.filter((s) => s === 200).length, 50 - failures);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("controls, channels and the page's access", () => {
  it("lists, sets and resets each channel's controls, refusing what they cannot be", async () => {
    const set = await setControl("telegram", { mode: "slow-1500", failRate: 0.5 });
    assert.deepEqual(set, { channel: "telegram", mode: "slow", retryAfter: 2, delayMs: 1500, failRate: 0.5 });
    const all = await (await fetch(`${services.url}/outbox/controls`)).json();
    assert.equal(all.controls.telegram.mode, "slow");
    assert.equal(all.controls.email.mode, "normal");
    assert.ok(all.modes.includes("out-of-order"));
    for (const body of [{ mode: "sideways" }, { failRate: 2 }, { retryAfter: 0 }, { delayMs: -1 }]) {
      const res = await fetch(`${services.url}/outbox/controls/email`, { ...json(body), method: "PUT" });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).name, "validation_error");
    }
    assert.equal((await fetch(`${services.url}/outbox/controls/pigeon`, { ...json({ mode: "fail" }), method: "PUT" })).status, 404);
    await fetch(`${services.url}/outbox/controls`, { method: "DELETE" });
    assert.equal((await (await fetch(`${services.url}/outbox/controls`)).json()).controls.telegram.mode, "normal");
  });

  it("describes each channel and says where the local services are", async () => {
    const state = await (await fetch(`${services.url}/outbox/channels`)).json();
    assert.equal(state.email.webhook, `${receiver.url}/api/webhooks/email`);
    assert.equal(state.telegram.webhook.url, `${receiver.url}/api/webhooks/telegram`);
    assert.equal(state.whatsapp.verified, true);
    assert.ok(state.whatsapp.windows.some((w) => w.waId === "15550000002" && w.open));
    assert.equal((await (await fetch(`${services.url}/outbox/messages`)).json()).localServicesUrl, services.url);
  });

  it("lets pages on this machine call it, and no other origin", async () => {
    const preflight = await fetch(`${services.url}/outbox/controls/email`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:8788", "access-control-request-method": "PUT", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://127.0.0.1:8788");
    assert.match(preflight.headers.get("access-control-allow-methods"), /PUT/);
    const foreign = await fetch(`${services.url}/outbox/controls`, { headers: { origin: "https://evil.example" } });
    assert.equal(foreign.headers.get("access-control-allow-origin"), null);
  });
});
