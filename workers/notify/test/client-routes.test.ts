// What clients and ops reach of notify through the gateway: an account's preferences and Telegram chat, a request's
// messages for its status-link holder or owner, ops' listing and the LinkedIn tasks; and what a submission's form
// and an account's language change in the messages that follow.
import { env, exports } from "cloudflare:workers";
import { LinkedinTasks, MarkedLinkedinTask } from "@statex/shared/api/notify";
import { newId } from "@statex/shared/ids";
import { statusToken } from "@statex/shared/tokens";
import { describe, expect, it } from "vitest";
import { describeOpsOnly, opsCaller } from "../../../shared/test/callers";
import { call, client, deliver, linkedChat, notificationRows, outbox, phone, recordingQueue, requestEvent } from "./helpers";

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** A signed-in client of their own, as the gateway forwards one. */
function member() {
  const userId = newId("usr");
  return { userId, headers: { "x-statex-user-id": userId, "x-statex-user-role": "client" } };
}

/** A request as intake stored it, so notify's client routes can check who may see it. */
async function storedRequest(opts: { userId?: string; telegram?: string } = {}) {
  const { requestId, contact } = client(opts.telegram ? { telegram: opts.telegram } : {});
  await env.DB.prepare("insert into requests (id, channel, name, email, text, telegram, user_id) values (?, 'web', ?, ?, 'x', ?, ?)")
    .bind(requestId, contact.name, contact.email, opts.telegram ?? null, opts.userId ?? null)
    .run();
  return { requestId, contact, token: await statusToken(env.STATUS_TOKEN_SECRET, requestId) };
}

const telegramUpdate = (chatId: string, text: string) =>
  json(
    "POST",
    { update_id: Math.floor(Math.random() * 1e9), message: { message_id: 1, date: 0, chat: { id: Number(chatId), type: "private" }, from: { id: Number(chatId), is_bot: false, first_name: "Ada", username: "ada_tg" }, text } },
    { "x-telegram-bot-api-secret-token": env.TELEGRAM_WEBHOOK_SECRET },
  );

type Prefs = { channels: string[] | null; order: string[]; optOuts: string[]; locale: string | null; whatsapp: string | null; telegramChats: { username: string | null }[]; available: string[] };

describe("GET and PUT /me/preferences", () => {
  it("answers the defaults, saves what is given, keeps what is not, and clears with null", async () => {
    const { headers } = member();
    const first = await call("/me/preferences", { headers });
    expect(first.status).toBe(200);
    expect(await first.json<Prefs>()).toMatchObject({ channels: null, order: ["email"], optOuts: [], locale: null, telegramChats: [], available: expect.arrayContaining(["email", "telegram", "whatsapp", "linkedin"]) });

    const number = phone();
    const saved = await call("/me/preferences", json("PUT", { channels: ["whatsapp", "email"], optOuts: ["ready", "ready"], locale: "de", whatsapp: `+${number}` }, headers));
    expect(saved.status).toBe(200);
    expect(await saved.json<Prefs>()).toMatchObject({ channels: ["whatsapp", "email"], order: ["whatsapp", "email"], optOuts: ["ready"], locale: "de", whatsapp: `+${number}` });

    const cleared = await call("/me/preferences", json("PUT", { channels: null }, headers));
    // Not stated: the messaging app given comes first, email last.
    expect(await cleared.json<Prefs>()).toMatchObject({ channels: null, order: ["whatsapp", "email"], optOuts: ["ready"], locale: "de" });
  });

  it("refuses bad fields with 400 naming each, and changes nothing", async () => {
    const { headers } = member();
    await call("/me/preferences", json("PUT", { locale: "de" }, headers));
    const bad = await call("/me/preferences", json("PUT", { channels: ["email", "email"], optOuts: ["account"], locale: "fr", linkedin: "https://example.com/in/eve", whatsapp: "call me" }, headers));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    const fields = (await bad.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["channels", "optOuts.0", "locale", "linkedin", "whatsapp"]));
    expect(await (await call("/me/preferences", { headers })).json<Prefs>()).toMatchObject({ locale: "de", channels: null });
    expect((await call("/me/preferences", json("PUT", { sms: true }, headers))).status).toBe(400);
  });

  it("needs a signed-in caller, and each account sees only its own", async () => {
    expect((await call("/me/preferences")).status).toBe(401);
    const ada = member();
    const bob = member();
    await call("/me/preferences", json("PUT", { locale: "de" }, ada.headers));
    expect(await (await call("/me/preferences", { headers: bob.headers })).json<Prefs>()).toMatchObject({ locale: null });
  });

  it("sends a signed-in client's request messages as the account chose: its order, its language, its opt-outs", async () => {
    const { userId, headers } = member();
    await call("/me/preferences", json("PUT", { locale: "de", optOuts: ["ready"] }, headers));
    const { requestId, contact } = client({ whatsapp: phone() });
    await env.DB.prepare("insert into requests (id, channel, name, email, text, user_id) values (?, 'web', 'x', 'x@example.com', 'x', ?)").bind(requestId, userId).run();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [], userId })]);
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "fertig", resultKey: "k" })]);
    const rows = await notificationRows(requestId);
    expect(rows.filter((r) => r.kind === "received")).toEqual([expect.objectContaining({ channel: "whatsapp", locale: "de" })]);
    // Opted out of "ready": nothing went out about it.
    expect(rows.filter((r) => r.kind === "ready" && r.status !== "skipped")).toEqual([]);
  });
});

describe("a Telegram chat for an account", () => {
  it("links with the account page's single-use link, shows on the page, and unlinks", async () => {
    const { userId, headers } = member();
    const made = await call("/me/telegram-link", { method: "POST", headers });
    expect(made.status).toBe(201);
    const { url, code, expiresAt } = await made.json<{ url: string; code: string; expiresAt: string }>();
    expect(url).toBe(`https://t.me/${env.TELEGRAM_BOT_USERNAME}?start=${code}`);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50 * 60_000);

    const chatId = await linkedChat(`req_other_${crypto.randomUUID()}`);
    expect((await call("/webhooks/telegram", telegramUpdate(chatId, `/start ${code}`))).status).toBe(200);
    const linked = await (await call("/me/preferences", { headers })).json<Prefs>();
    expect(linked.telegramChats).toEqual([expect.objectContaining({ username: "ada_tg" })]);
    expect(linked.order).toEqual(["telegram", "email"]);

    // The account's messages now go to the chat first.
    const { requestId, contact } = client();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [], userId })]);
    expect((await notificationRows(requestId)).map((r) => [r.channel, r.recipient])).toEqual([["telegram", chatId]]);

    const unlinked = await call("/me/telegram-chats", { method: "DELETE", headers });
    expect(await unlinked.json()).toEqual({ unlinked: 1 });
    expect((await (await call("/me/preferences", { headers })).json<Prefs>()).telegramChats).toEqual([]);
    expect((await call("/me/telegram-link", { method: "POST" })).status).toBe(401);
  });
});

type Listed = { requestId: string; telegram: { linked: boolean; offered: boolean }; notifications: { channel: string; kind: string; status: string; to: string; step: number }[] };

describe("GET /requests/:id/notifications", () => {
  it("lists the request's messages, addresses half hidden, for its status-link holder", async () => {
    const { requestId, contact, token } = await storedRequest();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })]);
    const res = await call(`/requests/${requestId}/notifications?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const body = await res.json<Listed>();
    expect(body.notifications).toEqual([expect.objectContaining({ channel: "email", kind: "received", status: "sent", step: 0, to: `a…@example.com` })]);
    expect(JSON.stringify(body)).not.toContain(contact.email);
    expect(body.telegram).toEqual({ linked: false, offered: false });
  });

  it("answers the owner without a token, and the same 404 for a wrong token, another account and an unknown id", async () => {
    const owner = member();
    const { requestId, token } = await storedRequest({ userId: owner.userId });
    expect((await call(`/requests/${requestId}/notifications`, { headers: owner.headers })).status).toBe(200);
    const refused = [
      await call(`/requests/${requestId}/notifications?token=${"x".repeat(43)}`),
      await call(`/requests/${requestId}/notifications`, { headers: member().headers }),
      await call(`/requests/${newId("req")}/notifications?token=${token}`),
    ];
    for (const res of refused) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
    }
    expect((await call(`/requests/not-a-request/notifications`)).status).toBe(400);
  });

  it("offers the bot to someone who gave a Telegram name, binds the chat to the request, and then offers it no more", async () => {
    const { requestId, contact, token } = await storedRequest({ telegram: "@ada_lovelace" });
    expect((await (await call(`/requests/${requestId}/notifications?token=${token}`)).json<Listed>()).telegram).toEqual({ linked: false, offered: true });
    const made = await call(`/requests/${requestId}/telegram-link?token=${token}`, { method: "POST" });
    expect(made.status).toBe(201);
    const { code } = await made.json<{ code: string }>();
    const chatId = await linkedChat(`req_other_${crypto.randomUUID()}`);
    await call("/webhooks/telegram", telegramUpdate(chatId, `/start ${code}`));
    expect((await (await call(`/requests/${requestId}/notifications?token=${token}`)).json<Listed>()).telegram).toEqual({ linked: true, offered: false });
    const again = await call(`/requests/${requestId}/telegram-link?token=${token}`, { method: "POST" });
    expect(again.status).toBe(409);
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "done", resultKey: "k" })]);
    const listed = (await (await call(`/requests/${requestId}/notifications?token=${token}`)).json<Listed>()).notifications;
    expect(listed).toEqual([expect.objectContaining({ channel: "telegram", kind: "ready", status: "delivered", to: "linked chat" })]);
    expect((await call(`/requests/${requestId}/telegram-link`, { method: "POST" })).status).toBe(404);
  });
});

describe("a submission's own preferences", () => {
  it("follows the order and language the form gave, for every message about the request", async () => {
    const { requestId, contact } = client({ whatsapp: phone() });
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [], preferences: { channels: ["email"], locale: "de" } })]);
    await deliver([requestEvent("request.failed", { requestId, contact, reason: "x" })]);
    const rows = await notificationRows(requestId);
    expect(rows.map((r) => [r.kind, r.channel, r.locale])).toEqual([
      ["received", "email", "de"],
      ["failed", "email", "de"],
    ]);
    const mail = await outbox({ requestId });
    expect(mail.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/Anfrage/)]));
  });
});

describe("an account's preferences and a request's form together", () => {
  it("takes from the form what the account left unstated, and keeps an opt-out from either", async () => {
    const { userId, headers } = member();
    // All the account ever said: no mail about failures (an unsubscribe link, say).
    await call("/me/preferences", json("PUT", { optOuts: ["failed"] }, headers));
    const { requestId, contact } = client({ whatsapp: phone() });
    await env.DB.prepare("insert into requests (id, channel, name, email, text, user_id) values (?, 'web', 'x', 'x@example.com', 'x', ?)").bind(requestId, userId).run();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [], userId, preferences: { channels: ["email"], locale: "de" } })]);
    await deliver([requestEvent("request.failed", { requestId, contact, reason: "x" })]);
    const rows = await notificationRows(requestId);
    expect(rows.filter((r) => r.status !== "skipped").map((r) => [r.kind, r.channel, r.locale])).toEqual([["received", "email", "de"]]);
  });
});

describe("account emails in the account's language", () => {
  it("writes in the language the account chose, else the browser's", async () => {
    const { userId, headers } = member();
    await call("/me/preferences", json("PUT", { locale: "de" }, headers));
    const base = { template: "password-changed" as const, link: "/reset.html", correlationId: "req_account_language" };
    const to = `konto.${userId.toLowerCase()}@example.com`;
    await exports.NotifyApi.sendAccountEmail({ ...base, to, userId, locale: "en", idempotencyKey: `acm_${userId}_1` });
    const other = `browser.${userId.toLowerCase()}@example.com`;
    await exports.NotifyApi.sendAccountEmail({ ...base, to: other, locale: "de", idempotencyKey: `acm_${userId}_2` });
    const [chosen] = await outbox({ to });
    const [browser] = await outbox({ to: other });
    expect(chosen?.subject).toMatch(/Passwort/);
    expect(browser?.subject).toMatch(/Passwort/);
    const row = await env.DB.prepare("select user_id, locale from notifications where recipient = ?").bind(to).first();
    expect(row).toEqual({ user_id: userId, locale: "de" });
  });
});

describe("ops: every message, and the LinkedIn tasks", () => {
  it("filters by status and channel, newest first, in pages", async () => {
    const { requestId, contact } = client({ linkedin: "https://www.linkedin.com/in/ada-lovelace" });
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [], preferences: { channels: ["linkedin", "email"] } })]);
    const manual = await (await call("/notifications?status=manual&channel=linkedin&limit=1", { headers: opsCaller })).json<{ notifications: { id: string; status: string; channel: string }[]; next: string | null }>();
    expect(manual.notifications).toHaveLength(1);
    expect(manual.notifications[0]).toMatchObject({ status: "manual", channel: "linkedin" });
    const page = await call(`/notifications?status=manual&before=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&limit=200`, { headers: opsCaller });
    expect(page.status).toBe(200);
    expect((await call("/notifications?status=lost", { headers: opsCaller })).status).toBe(400);
    expect((await call("/notifications?limit=1000", { headers: opsCaller })).status).toBe(400);
  });

  it("lists the open LinkedIn tasks, marks one done once (delivered), and skipped moves the ladder on", async () => {
    const done = client({ linkedin: "https://www.linkedin.com/in/ada-lovelace" });
    const skipped = client({ linkedin: "https://www.linkedin.com/in/grace-hopper" });
    // The ladder's next step is a queue message: kept in the test's hands.
    const { queue, checks } = recordingQueue();
    const withQueue = { ...env, Q_NOTIFY: queue };
    for (const { requestId, contact } of [done, skipped]) {
      await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [], preferences: { channels: ["linkedin", "email"] } })], { env: withQueue });
    }
    const { tasks } = LinkedinTasks.parse(await (await call("/linkedin-tasks?status=open&limit=200", { headers: opsCaller })).json());
    const task = tasks.find((t) => t.requestId === done.requestId);
    const other = tasks.find((t) => t.requestId === skipped.requestId);
    expect(task).toMatchObject({ profile: "https://www.linkedin.com/in/ada-lovelace", text: expect.stringContaining(done.requestId) });
    expect(task?.notificationId).toBe(task?.id);

    const marked = await call(`/linkedin-tasks/${task?.id}`, json("POST", { outcome: "done" }, opsCaller));
    expect(MarkedLinkedinTask.parse(await marked.json())).toEqual({ id: task?.id, status: "done" });
    expect((await call(`/linkedin-tasks/${task?.id}`, json("POST", { outcome: "skipped" }, opsCaller))).status).toBe(409);
    expect((await notificationRows(done.requestId)).map((r) => [r.channel, r.status])).toEqual([["linkedin", "delivered"]]);

    await call(`/linkedin-tasks/${other?.id}`, json("POST", { outcome: "skipped" }, opsCaller), withQueue);
    await deliver(checks(), { env: withQueue });
    expect((await notificationRows(skipped.requestId)).map((r) => [r.channel, r.status])).toEqual([
      ["linkedin", "skipped"],
      ["email", "sent"],
    ]);
    expect((await call(`/linkedin-tasks/ntf_${"0".repeat(32)}`, json("POST", { outcome: "done" }, opsCaller))).status).toBe(404);
    expect((await call(`/linkedin-tasks/${task?.id}`, json("POST", { outcome: "maybe" }, opsCaller))).status).toBe(400);
  });
});

describeOpsOnly(
  [
    { method: "GET", path: "/linkedin-tasks", served: 200 },
    { method: "GET", path: "/notifications?status=failed", served: 200 },
  ],
  (method, path, headers) => call(path, { method, headers }),
);

describe("the signed-in routes refuse a caller without an account", () => {
  it.each([
    ["GET", "/me/preferences"],
    ["PUT", "/me/preferences"],
    ["POST", "/me/telegram-link"],
    ["DELETE", "/me/telegram-chats"],
  ])("%s %s: 401", async (method, path) => {
    const res = await call(path, { method, headers: { "content-type": "application/json" }, ...(method === "PUT" ? { body: "{}" } : {}) });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });
});
