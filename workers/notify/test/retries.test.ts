// Retries that listen, and the ladder: each provider's refusals as it words them (a scripted provider per test).
import { env } from "cloudflare:workers";
import { createEvent } from "@statex/shared/events";
import { describe, expect, it } from "vitest";
import { notificationId } from "../src/notifier";
import { client, deliver, notificationRows, outboxEvents, phone, prefer, recordingQueue, refusingOnce, requestEvent, scripted, sentOnWhatsApp } from "./helpers";

const telegram429 = (retryAfter: number) => ({ status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } } });
const telegramBlocked = { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } };

async function telegramClient() {
  const who = client();
  const chatId = String(Math.floor(Math.random() * 1e9) + 1_000);
  await env.DB.prepare("insert into telegram_chats (id, chat_id, request_id) values (?, ?, ?)").bind(`request:${who.requestId}`, chatId, who.requestId).run();
  return { ...who, chatId };
}

describe("a refusal for good", () => {
  it("fails the message at once, without a retry, and the next channel gets it once", async () => {
    const { requestId, contact } = await telegramClient();
    const provider = scripted();
    await provider.script(telegramBlocked);
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    const result = await deliver([event], { env: provider.env });
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);

    expect((await provider.calls()).map((c) => c.path)).toEqual([`/telegram/bot${env.TELEGRAM_BOT_TOKEN}/sendMessage`, "/email/emails"]);
    const [tg, mail] = await notificationRows(requestId);
    expect(tg).toMatchObject({ channel: "telegram", status: "failed", attempts: 1, step: 0, error: expect.stringContaining("bot was blocked") });
    expect(mail).toMatchObject({ channel: "email", status: "sent", step: 1, fallback_from: tg?.id });
    const failed = (await outboxEvents("notification.failed")).filter((e) => e.event.correlationId === requestId);
    expect(failed.map((e) => e.event.data)).toEqual([expect.objectContaining({ channel: "telegram", notificationId: tg?.id })]);

    // Delivered again (a redelivery): nothing more is sent on either channel.
    await env.DB.prepare("delete from processed_events where event_id = ?").bind(event.id).run();
    await deliver([event], { env: provider.env, attempts: 2 });
    expect(await provider.calls()).toHaveLength(2);
  });

  it("WhatsApp's 4xx too; a 408, 409 or 429 is not one", async () => {
    const number = phone();
    const { requestId, contact } = client({ whatsapp: number });
    const provider = scripted();
    await provider.script({ status: 409, body: { error: { message: "busy", type: "OAuthException", code: 1 } } });
    const first = await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })], { env: provider.env });
    expect(first.retryMessages).toHaveLength(1);
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "queued", attempts: 1 });
  });
});

describe("429 and 5xx", () => {
  it("come back no sooner than Telegram's retry_after, then send", async () => {
    const { requestId, contact, chatId } = await telegramClient();
    const provider = scripted();
    await provider.script(telegram429(37));
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    const first = await deliver([event], { env: provider.env });
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays).toEqual([37]);
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "queued", attempts: 1, error: expect.stringContaining("429") });

    const second = await deliver([event], { env: provider.env, attempts: 2 });
    expect(second.explicitAcks).toHaveLength(1);
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "delivered", attempts: 2, error: null, recipient: chatId });
    expect(await provider.calls()).toHaveLength(2);
  });

  it("come back no sooner than the email API's Retry-After header, and never sooner than the backoff", async () => {
    const { requestId, contact } = client();
    const provider = scripted();
    await provider.script({ status: 429, headers: { "retry-after": "120" }, body: { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" } }, { status: 503, body: { message: "down" } });
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    expect((await deliver([event], { env: provider.env })).delays).toEqual([120]);
    // A 5xx names no wait: the backoff of the 6th delivery (32 to 64 s).
    const sixth = (await deliver([event], { env: provider.env, attempts: 6 })).delays[0] ?? 0;
    expect(sixth).toBeGreaterThanOrEqual(32);
    expect(sixth).toBeLessThanOrEqual(64);
    await deliver([event], { env: provider.env, attempts: 7 });
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "sent", attempts: 3 });
  });

  it("out of retries on one channel: failed for good, and the next channel gets a look of its own at once", async () => {
    const number = phone();
    const { requestId, contact } = client({ whatsapp: number });
    const provider = scripted();
    await provider.script({ status: 500, body: { error: { message: "Something went wrong", type: "OAuthException", code: 131000 } } });
    const { queue, checks } = recordingQueue();
    const last = Number(env.MAX_DELIVERY_ATTEMPTS);
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    const result = await deliver([event], { env: { ...provider.env, Q_NOTIFY: queue }, attempts: last });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await notificationRows(requestId)).toEqual([expect.objectContaining({ channel: "whatsapp", status: "failed" })]);

    const [check] = checks();
    expect(check?.data).toMatchObject({ ladderId: event.id, notificationId: await notificationId(event.id, "whatsapp") });
    // The check, on its first delivery: email, once, however often it comes.
    expect((await deliver([check, check], { env: { ...provider.env, Q_NOTIFY: queue } })).explicitAcks).toHaveLength(2);
    expect((await notificationRows(requestId)).map((r) => [r.channel, r.status])).toEqual([["whatsapp", "failed"], ["email", "sent"]]);
    expect((await provider.calls()).filter((c) => c.path === "/email/emails")).toHaveLength(1);
  });
});

describe("a channel switched off", () => {
  it("while its message waited for a retry: the message is skipped and the ladder goes on", async () => {
    const { requestId, contact } = await telegramClient();
    const provider = scripted();
    await provider.script({ status: 502, body: { ok: false, error_code: 502, description: "Bad Gateway" } });
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    expect((await deliver([event], { env: provider.env })).retryMessages).toHaveLength(1);
    await deliver([event], { env: { ...provider.env, TELEGRAM_API_URL: "" }, attempts: 2 });
    expect((await notificationRows(requestId)).map((r) => [r.channel, r.status, r.error])).toEqual([
      ["telegram", "skipped", "channel not configured"],
      ["email", "sent", null],
    ]);
  });
});

describe("the delivery window", () => {
  it("with no delivery report in time, the next channel gets the message, once", async () => {
    const number = phone();
    const { requestId, contact } = client({ whatsapp: number });
    await prefer(requestId, { channels: ["whatsapp", "email"] });
    const provider = scripted();
    const { queue, checks, sent } = recordingQueue();
    const withQueue = { ...provider.env, Q_NOTIFY: queue };
    const event = requestEvent("request.completed", { requestId, contact, summary: "s", resultKey: "k" });
    await deliver([event], { env: withQueue });
    expect(sent[0]?.delaySeconds).toBeGreaterThanOrEqual(Number(env.DELIVERY_WINDOW_SECONDS));
    const [check] = checks();

    // The check before the window ended changes nothing, and asks for another look.
    await deliver([check], { env: withQueue });
    expect(await notificationRows(requestId)).toEqual([expect.objectContaining({ channel: "whatsapp", status: "sent" })]);
    expect(checks()).toHaveLength(2);

    // The window ended without a report: email, once, however often the ladder is looked at.
    const past = new Date(Date.now() - (Number(env.DELIVERY_WINDOW_SECONDS) + 1) * 1_000).toISOString();
    await env.DB.prepare("update notifications set sent_at = ? where request_id = ?").bind(past, requestId).run();
    const again = checks()[1];
    await deliver([again, check], { env: withQueue });
    await deliver([createEvent("notification.check", { ladderId: event.id }, { correlationId: requestId, source: "notify" })], { env: withQueue });
    const rows = await notificationRows(requestId);
    expect(rows.map((r) => [r.channel, r.status, r.step])).toEqual([["whatsapp", "sent", 0], ["email", "sent", 1]]);
    expect(rows[1]?.fallback_from).toBe(rows[0]?.id);
    expect((await provider.calls()).map((c) => c.path)).toEqual([`/whatsapp/v21.0/${env.WHATSAPP_PHONE_NUMBER_ID}/messages`, "/email/emails"]);
  });

  it("a delivered message ends the ladder: the window's end sends nothing more", async () => {
    const { requestId, withQueue, checks, provider } = await sentOnWhatsApp();
    await env.DB.prepare("update notifications set status = 'delivered', sent_at = '2000-01-01T00:00:00.000Z' where request_id = ?").bind(requestId).run();
    await deliver(checks(), { env: withQueue });
    expect(await notificationRows(requestId)).toHaveLength(1);
    expect(await provider.calls()).toHaveLength(1);
  });
});

describe("pacing", () => {
  it("holds a second message to one WhatsApp number for its pair rate (one every 6 s), as a new queue message", async () => {
    const number = phone();
    const first = client({ whatsapp: number });
    const second = client({ whatsapp: number });
    const provider = scripted();
    const { queue, sent } = recordingQueue();
    const events = [
      requestEvent("request.created", { requestId: first.requestId, channel: "web", contact: first.contact, text: "x", files: [] }),
      requestEvent("request.created", { requestId: second.requestId, channel: "web", contact: second.contact, text: "x", files: [] }),
    ];
    // The last delivery attempt: a wait must not count as one, or the message would be dead-lettered unsent.
    const result = await deliver(events, { env: { ...provider.env, Q_NOTIFY: queue }, attempts: 9 });
    expect(result.explicitAcks).toHaveLength(2);
    expect(result.retryMessages).toEqual([]);
    const [again] = sent.filter((m) => (m.body as { id: string }).id === events[1]?.id);
    const held = again?.delaySeconds ?? 0;
    expect(held).toBeGreaterThanOrEqual(5);
    expect(held).toBeLessThanOrEqual(6);
    expect(await provider.calls()).toHaveLength(1);
    // Held, not failed: no attempt counted, no error.
    expect((await notificationRows(second.requestId))[0]).toMatchObject({ status: "queued", attempts: 0, error: null });
  });

  it("the Pacer answers each limit's next slot: a burst within it at once, one more after its interval, none held far ahead", async () => {
    const pacer = env.PACER.getByName(`test-${crypto.randomUUID()}`);
    const rates = (chat: string) => [
      { key: "bot", perSecond: 30, burst: 30 },
      { key: `chat:${chat}`, perSecond: 1, burst: 1 },
    ];
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => pacer.reserve(rates(String(i)), 1_000)));
    expect(burst.every((r) => r.reserved && r.waitMs === 0)).toBe(true);
    const thirtyFirst = await pacer.reserve(rates("x"), 1_000);
    expect(thirtyFirst.reserved).toBe(true);
    expect(thirtyFirst.waitMs).toBeGreaterThan(0);
    expect(thirtyFirst.waitMs).toBeLessThanOrEqual(34);
    // One chat: the next second.
    const again = await pacer.reserve(rates("0"), 1_000);
    expect(again.waitMs).toBeGreaterThan(900);
    const far = await pacer.reserve(rates("0"), 1_000);
    expect(far).toMatchObject({ reserved: false });
    expect(far.waitMs).toBeGreaterThan(1_000);
  });
});

describe("a send the provider took", () => {
  it("is recorded although a write of the record was refused, and WhatsApp gets it once (found by the chaos run)", async () => {
    const { requestId, contact } = client({ whatsapp: phone() });
    const provider = scripted();
    const db = refusingOnce(provider.env.DB, /^update "notifications" set "status"/);
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    const result = await deliver([event], { env: { ...provider.env, DB: db } });
    expect(db.refused()).toBe(true);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
    const [row] = await notificationRows(requestId);
    expect(row).toMatchObject({ channel: "whatsapp", status: "sent", attempts: 1 });
    expect((await provider.calls()).filter((c) => c.path.startsWith("/whatsapp/"))).toHaveLength(1);
  });
});
