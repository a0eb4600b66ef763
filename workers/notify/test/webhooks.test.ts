// The providers' webhooks: verified before anything is read, acted on once, statuses only forward.
import { env } from "cloudflare:workers";
import { operations } from "@statex/shared/api/notify";
import type { Operation } from "@statex/shared/openapi";
import { describe, expect, it } from "vitest";
import { hubSignature, svixSignature } from "../src/signatures";
import { createLinkCode } from "../src/telegram-link";
import { call, client, deliver, linkedChat, notificationRows, outbox, outboxEvents, phone, requestEvent, scripted, sentOnWhatsApp, wroteOnWhatsApp } from "./helpers";

async function svixPost(body: string, opts: { secret?: string; id?: string; timestamp?: number; signature?: string } = {}) {
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = opts.signature ?? `v1,${await svixSignature(opts.secret ?? env.EMAIL_WEBHOOK_SECRET, id, timestamp, body)}`;
  return { method: "POST", headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature }, body };
}

async function metaPost(payload: unknown, secret = env.WHATSAPP_APP_SECRET) {
  const body = JSON.stringify(payload);
  return { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": await hubSignature(secret, body) }, body };
}

const statuses = (...list: { id: string; status: string; at?: number; errors?: unknown[] }[]) => ({
  object: "whatsapp_business_account",
  entry: [{ id: "100000000000002", changes: [{ field: "messages", value: { messaging_product: "whatsapp", statuses: list.map((s) => ({ id: s.id, status: s.status, timestamp: String(s.at ?? Math.floor(Date.now() / 1000)), recipient_id: "1", ...(s.errors ? { errors: s.errors } : {}) })) } }] }],
});
const inbound = (from: string, at: number) => ({
  object: "whatsapp_business_account",
  entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", contacts: [{ wa_id: from }], messages: [{ from, id: `wamid.${crypto.randomUUID()}`, timestamp: String(at), type: "text", text: { body: "hi" } }] } }] }],
});

/** The body of a JSON answer, parsed with the schema the API document gives the route's status. */
async function documented(op: Operation, res: Response): Promise<unknown> {
  const schema = op.responses?.[res.status]?.json;
  expect(schema, `no schema for ${res.status}`).toBeDefined();
  return schema?.parse(await res.json());
}

/** An email sent through the local email API, and its row. */
async function sentEmail() {
  const { requestId, contact } = client();
  await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })]);
  const [row] = await notificationRows(requestId);
  return { requestId, row, providerMessageId: String(row?.provider_message_id) };
}

describe("POST /webhooks/email", () => {
  it("moves the email named by data.email_id to delivered, once, on a valid Svix signature", async () => {
    const { requestId, row, providerMessageId } = await sentEmail();
    const body = JSON.stringify({ type: "email.delivered", created_at: "2026-12-02T10:00:00.000Z", data: { email_id: providerMessageId, to: ["x@example.com"] } });
    const init = await svixPost(body);
    // The payload and headers as the document describes them (Resend's, as notify reads them).
    operations.emailWebhook.body.parse(JSON.parse(body));
    operations.emailWebhook.headers.parse(init.headers);
    const res = await call("/webhooks/email", init);
    expect(res.status).toBe(200);
    expect(await documented(operations.emailWebhook, res)).toEqual({ received: true });
    // The same delivery again (its svix-id) changes nothing.
    expect(await documented(operations.emailWebhook, await call("/webhooks/email", init))).toEqual({ received: true, duplicate: true });
    expect((await notificationRows(requestId))[0]).toMatchObject({ id: row?.id, status: "delivered", delivered_at: "2026-12-02T10:00:00.000Z" });
    const delivered = (await outboxEvents("notification.delivered")).filter((e) => e.event.correlationId === requestId);
    expect(delivered).toHaveLength(1);
  });

  it("refuses a missing, wrong, or stale signature with 401 and changes nothing", async () => {
    const { requestId, providerMessageId } = await sentEmail();
    const body = JSON.stringify({ type: "email.bounced", data: { email_id: providerMessageId, bounce: { message: "no such user", type: "Permanent" } } });
    const good = await svixPost(body);
    const cases = [
      { ...good, headers: { "content-type": "application/json" } },
      await svixPost(body, { signature: "v1,AAAA" }),
      await svixPost(body, { secret: "someone else's" }),
      await svixPost(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      // The signature of another body.
      { ...good, body: body.replace("email.bounced", "email.delivered") },
    ];
    for (const init of cases) {
      const res = await call("/webhooks/email", init);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "sent" });
  });

  it("takes a whsec_ secret's base64 key, and one of several signatures; a bounce fails the message", async () => {
    const { requestId, providerMessageId } = await sentEmail();
    const secret = `whsec_${btoa("a key of thirty-two bytes, or so")}`;
    const body = JSON.stringify({ type: "email.bounced", data: { email_id: providerMessageId, bounce: { message: "no such user", type: "Permanent" } } });
    const signed = await svixPost(body, { secret });
    const init = { ...signed, headers: { ...signed.headers, "svix-signature": `v1,bm90IGl0 ${signed.headers["svix-signature"]}` } };
    expect((await call("/webhooks/email", init, { ...env, EMAIL_WEBHOOK_SECRET: secret })).status).toBe(200);
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "failed", error: "bounced (Permanent): no such user" });
  });
});

describe("POST /webhooks/whatsapp", () => {
  it("reconciles statuses that come out of order and twice to one forward status, with one notification.delivered", async () => {
    const { requestId, id } = await sentOnWhatsApp();
    const t = Math.floor(Date.now() / 1000);
    for (const payload of [statuses({ id, status: "read", at: t + 3 }), statuses({ id, status: "sent", at: t }), statuses({ id, status: "delivered", at: t + 2 }, { id, status: "delivered", at: t + 2 }), statuses({ id, status: "read", at: t + 3 })]) {
      const init = await metaPost(payload);
      operations.whatsappWebhook.headers.parse(init.headers);
      const res = await call("/webhooks/whatsapp", init);
      expect(res.status).toBe(200);
      expect(await documented(operations.whatsappWebhook, res)).toEqual({ received: true });
    }
    const [row] = await notificationRows(requestId);
    expect(row).toMatchObject({ status: "read", read_at: new Date((t + 3) * 1000).toISOString(), delivered_at: new Date((t + 3) * 1000).toISOString() });
    const delivered = (await outboxEvents("notification.delivered")).filter((e) => e.event.correlationId === requestId);
    expect(delivered).toHaveLength(1);
    // A failure reported after it was read changes nothing.
    await call("/webhooks/whatsapp", await metaPost(statuses({ id, status: "failed" })));
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "read" });
  });

  it("a failed status fails the message and sends the ladder on to the next channel", async () => {
    const { requestId, id, withQueue, checks, provider } = await sentOnWhatsApp();
    const errors = [{ code: 131026, title: "Message undeliverable", message: "Message undeliverable" }];
    expect((await call("/webhooks/whatsapp", await metaPost(statuses({ id, status: "failed", errors })), withQueue)).status).toBe(200);
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "failed", error: "whatsapp reported 131026: Message undeliverable" });
    const failed = checks().find((c) => c.id.endsWith(".failed"));
    expect(failed).toBeDefined();
    await deliver([failed], { env: withQueue });
    expect((await notificationRows(requestId)).map((r) => [r.channel, r.status])).toEqual([["whatsapp", "failed"], ["email", "sent"]]);
    expect((await provider.calls()).filter((c) => c.path === "/email/emails")).toHaveLength(1);
  });

  it("an inbound message opens the 24-hour window, and a late older one does not close it", async () => {
    const number = phone();
    const now = Math.floor(Date.now() / 1000);
    await call("/webhooks/whatsapp", await metaPost(inbound(number, now)));
    await call("/webhooks/whatsapp", await metaPost(inbound(number, now - 90_000)));
    const window = await env.DB.prepare("select last_inbound_at from whatsapp_windows where phone = ?").bind(number).first<{ last_inbound_at: string }>();
    expect(window?.last_inbound_at).toBe(new Date(now * 1000).toISOString());
  });

  it("refuses a bad or missing signature with 401 and changes nothing", async () => {
    const number = phone();
    const payload = inbound(number, Math.floor(Date.now() / 1000));
    const forged = await metaPost(payload, "not the app secret");
    const unsigned = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) };
    for (const init of [forged, unsigned]) expect((await call("/webhooks/whatsapp", init)).status).toBe(401);
    expect(await env.DB.prepare("select * from whatsapp_windows where phone = ?").bind(number).first()).toBeNull();
  });

  it("answers Meta's handshake with the challenge for the right verify token only", async () => {
    const ok = await call(`/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${env.WHATSAPP_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain(operations.whatsappHandshake.responses[200].type);
    expect(await ok.text()).toBe("1158201444");
    expect((await call("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")).status).toBe(403);
    // Short of any part: the same refusal, never a 400 Meta would not read.
    expect((await call(`/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${env.WHATSAPP_VERIFY_TOKEN}`)).status).toBe(403);
    expect((await call(`/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${env.WHATSAPP_VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
  });
});

describe("POST /webhooks/telegram", () => {
  const update = (chatId: string, text: string, updateId = Math.floor(Math.random() * 1e9)) => ({
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": env.TELEGRAM_WEBHOOK_SECRET },
    body: JSON.stringify({ update_id: updateId, message: { message_id: 1, date: 0, chat: { id: Number(chatId), type: "private" }, from: { id: Number(chatId), is_bot: false, first_name: "Ada", username: "ada_tg", language_code: "de" }, text } }),
  });
  const linkOf = (requestId: string) => env.DB.prepare("select chat_id, username from telegram_chats where request_id = ?").bind(requestId).first<{ chat_id: string; username: string }>();

  it("links the chat with /start <code>, once per code, answers in the chat, and /stop unlinks it", async () => {
    const { requestId } = client();
    const { code } = await createLinkCode(env, { requestId });
    // The local bot knows the chat (it wrote first), so the bot's answers can reach it.
    const chatId = await linkedChat(`req_other_${crypto.randomUUID()}`);
    const first = update(chatId, `/start ${code}`);
    operations.telegramWebhook.body.parse(JSON.parse(first.body));
    operations.telegramWebhook.headers.parse(first.headers);
    const res = await call("/webhooks/telegram", first);
    expect(res.status).toBe(200);
    expect(await documented(operations.telegramWebhook, res)).toEqual({ ok: true });
    expect(await linkOf(requestId)).toEqual({ chat_id: chatId, username: "ada_tg" });
    // The same update again is acted on once; another with the used code is refused.
    expect(await documented(operations.telegramWebhook, await call("/webhooks/telegram", first))).toEqual({ ok: true, duplicate: true });
    await call("/webhooks/telegram", update(chatId, `/start ${code}`));
    const replies = (await outbox({ channel: "telegram", to: chatId })).map((m) => m.body);
    expect(replies).toEqual([expect.stringContaining("schon benutzt"), expect.stringContaining("Verbunden")]);

    await call("/webhooks/telegram", update(chatId, "/stop"));
    expect(await linkOf(requestId)).toBeNull();
  });

  it("refuses an expired code and an unknown one, and links nothing", async () => {
    const { requestId } = client();
    const { code } = await createLinkCode(env, { requestId }, { now: Date.now() - 2 * 60 * 60 * 1000 });
    const chatId = String(Math.floor(Math.random() * 1e9) + 1_000);
    await call("/webhooks/telegram", update(chatId, `/start ${code}`));
    await call("/webhooks/telegram", update(chatId, "/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    expect(await linkOf(requestId)).toBeNull();
    expect(await env.DB.prepare("select used_at from telegram_link_codes where request_id = ?").bind(requestId).first()).toEqual({ used_at: null });
  });

  it("refuses an update without the secret token with 401 and acts on nothing", async () => {
    const { requestId } = client();
    const { code } = await createLinkCode(env, { requestId });
    const forged = update("4242", `/start ${code}`);
    const refused: Record<string, string>[] = [{ "content-type": "application/json" }, { "content-type": "application/json", "x-telegram-bot-api-secret-token": "guess" }];
    for (const headers of refused) {
      expect((await call("/webhooks/telegram", { ...forged, headers })).status).toBe(401);
    }
    expect(await linkOf(requestId)).toBeNull();
  });

  it("a linked chat gets the request's next message, and a code spent in a group links nothing", async () => {
    const { requestId, contact } = client();
    const { code } = await createLinkCode(env, { requestId });
    const chatId = await linkedChat(`req_other_${crypto.randomUUID()}`);
    const group = update(chatId, `/start ${code}`);
    const inGroup = { ...group, body: group.body.replace('"type":"private"', '"type":"group"') };
    await call("/webhooks/telegram", inGroup);
    expect(await linkOf(requestId)).toBeNull();
    await call("/webhooks/telegram", update(chatId, `/start ${code}`));
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "Done.", resultKey: "k" })]);
    expect((await notificationRows(requestId)).map((r) => [r.channel, r.status])).toEqual([["telegram", "delivered"]]);
  });
});

describe("unsubscribing", () => {
  it("asks on GET, opts out on POST (the one-click of RFC 8058), and the next message of that kind is skipped", async () => {
    const number = phone();
    await wroteOnWhatsApp(number);
    const { requestId, contact } = client();
    const provider = scripted();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })], { env: provider.env });
    const [mail] = await provider.calls();
    const link = new URL(/<(.+)>/.exec(String((mail?.body.headers as Record<string, string>)["List-Unsubscribe"]))?.[1] ?? "http://missing");
    const readyLink = `/notifications/unsubscribe${link.search.replace(".received.", ".ready.")}`;

    // A forged kind in a real token: refused.
    expect((await call(readyLink, { method: "POST" })).status).toBe(400);
    const path = `/notifications/unsubscribe${link.search}`;
    const page = await call(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain(operations.unsubscribePage.responses[200].type);
    expect(await page.text()).toContain('<form method="post">');
    // Served through the site's /api proxy, where Pages adds no headers: the page brings its own policy.
    const policy = (res: Response) => ({ csp: res.headers.get("content-security-policy"), nosniff: res.headers.get("x-content-type-options"), referrer: res.headers.get("referrer-policy") });
    expect(policy(page)).toEqual({ csp: expect.stringMatching(/default-src 'none'.*frame-ancestors 'none'/), nosniff: "nosniff", referrer: "no-referrer" });
    expect(await env.DB.prepare("select * from notification_preferences where request_id = ?").bind(requestId).first()).toBeNull();

    const done = await call(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(done.status).toBe(200);
    expect(done.headers.get("content-type")).toContain(operations.unsubscribe.responses[200].type);
    expect(policy(done)).toEqual(policy(page));
    // A client asking for JSON gets the kind it no longer receives, as the document says.
    const again = await call(path, { method: "POST", headers: { accept: "application/json" } });
    expect(await documented(operations.unsubscribe, again)).toEqual({ unsubscribed: "received" });
    const prefs = await env.DB.prepare("select opt_outs from notification_preferences where request_id = ?").bind(requestId).first<{ opt_outs: string }>();
    expect(JSON.parse(prefs?.opt_outs ?? "[]")).toEqual(["received"]);

    // The next "received" (another event) is skipped; "ready" still goes.
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "again", files: [] })], { env: provider.env });
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "s", resultKey: "k" })], { env: provider.env });
    expect((await notificationRows(requestId)).map((r) => [r.kind, r.status])).toEqual([["received", "sent"], ["received", "skipped"], ["ready", "sent"]]);
    expect(await provider.calls()).toHaveLength(2);
  });

  it("refuses a token that is not ours", async () => {
    const res = await call("/notifications/unsubscribe?token=r.req_1.ready.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", { method: "POST" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ field: "query.token" }] });
  });
});
