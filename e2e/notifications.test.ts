// Every notification channel end to end on the running platform: a client's request goes out through notify to the
// local stand-ins of Resend, the Telegram Bot API and the WhatsApp Cloud API, which store what they took and report
// back by signed webhooks through the gateway, as the real providers do. Each test reads both sides: the platform's
// record of each message (ops' GET /api/ops/notifications) and the stand-in's own store and webhook log.
//
// The stand-ins' controls are one per channel and shared: the tests of this file run one after another, each resets
// them when done, and each uses addresses, numbers and chats of its own, and a network of its own (the gateway's
// rate limits count per network).
import { randomInt } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { devSecretValue } from "../infra/topology.mjs";
import {
  type Client,
  type Notification,
  botSaid,
  clientAt,
  digits,
  freshChatId,
  freshPhone,
  hubSigned,
  recordOf,
  resetControls,
  setControl,
  startCode,
  stored,
  svixSigned,
  tellBot,
  unique,
  waitFor,
  webhooksAbout,
  whatsappStatus,
  whatsappStatuses,
  writeOnWhatsApp,
} from "./channels";
import { type RequestView, holdEverySlot, siteUrl } from "./helpers";

const TEXT =
  "We run two physiotherapy clinics in Braga and book every appointment by phone. " +
  "We want an online booking website so that patients book at any hour and we reduce no-shows. " +
  "Our budget is 18000 EUR and the site has to be live by 1 June 2027.";

/** A name that is markup in every format that has markup. */
const HOSTILE = `<b>Eve & "Co"</b><script>`;
/** A request whose every sentence carries markup, so whichever the summary picks, the ready message quotes some. */
const HOSTILE_TEXT =
  `Our studio <b>Eve & "Co"</b> needs a booking website where <script>alert(1)</script> never runs. ` +
  `The <i>booking website</i> must send reminders & confirmations to "every" client of the studio. ` +
  `Our budget is 12000 EUR & the site must be live by <u>1 June 2027</u>.`;

/** The window after which a message with no delivery report falls back, as the local platform runs it. */
const WINDOW_SECONDS = inject("deliveryWindowSeconds");

const received = { template: "request-received" } as const;
const ready = { template: "request-ready" } as const;
const byStep = (a: Notification, b: Notification) => a.step - b.step;

afterEach(resetControls);

describe("each channel, sent and delivered", () => {
  it("email: sent through the Resend API under the message's idempotency key, delivered when its signed email.delivered arrives", async () => {
    const client = clientAt("203.0.113.1");
    const email = `${unique("mira")}@studio.example`;
    const { id } = await client.submit({ name: "Mira Costa", email, text: TEXT });

    const row = await recordOf(client, id, received, (n) => n.status === "delivered");
    expect(row).toMatchObject({ channel: "email", recipient: email, step: 0, fallbackFrom: null, error: null });
    expect(row.sentAt).not.toBeNull();

    const mails = (await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ id: row.providerMessageId, idempotencyKey: row.id, requestId: id, status: "delivered" });
    expect(mails[0]?.statuses.map((s) => s.status)).toEqual(["accepted", "sent", "delivered"]);

    // The platform heard both reports, each answered 200, and took the delivery's time from the provider's report.
    const reports = await webhooksAbout("email", row.providerMessageId ?? "");
    expect(reports.map((d) => [d.event, d.state, d.attempts.at(-1)?.status])).toEqual([
      ["email.sent", "delivered", 200],
      ["email.delivered", "delivered", 200],
    ]);
    expect(row.deliveredAt).toBe((reports[1]?.payload as { created_at: string }).created_at);
  });

  it("WhatsApp: the template to a number that never wrote, sent, delivered, then read, as the Cloud API reported each", async () => {
    const client = clientAt("203.0.113.2");
    const phone = freshPhone();
    const { id } = await client.submit({ name: "Rui Alves", email: `${unique("rui")}@clinic.example`, whatsapp: phone, text: TEXT });

    const row = await recordOf(client, id, received, (n) => n.status === "read");
    expect(row).toMatchObject({ channel: "whatsapp", recipient: phone, step: 0, fallbackFrom: null, error: null });
    // Reached on the first channel: the ladder went no further.
    expect((await client.notifications(id)).filter((n) => n.template === "request-received")).toHaveLength(1);

    const [message] = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.id === row.providerMessageId);
    expect(message?.details).toMatchObject({ type: "template", template: { name: "statex_request_received" }, windowOpen: false });
    expect(message?.statuses.map((s) => s.status)).toEqual(["accepted", "sent", "delivered", "read"]);

    const heard = whatsappStatuses(await webhooksAbout("whatsapp", row.providerMessageId ?? ""));
    expect(heard.map((s) => [s.status, s.answered])).toEqual([
      ["sent", 200],
      ["delivered", 200],
      ["read", 200],
    ]);
    expect(row.deliveredAt).toBe(heard[1]?.at);
    expect(row.readAt).toBe(heard[2]?.at);
  });

  it("WhatsApp: outside the 24-hour window the approved template; once the client wrote, free text", async () => {
    const client = clientAt("203.0.113.3");
    const phone = freshPhone();
    const contact = { name: "Ana Lima", email: `${unique("ana")}@clinic.example`, whatsapp: phone };
    const first = await client.submit({ ...contact, text: TEXT });
    const outside = await recordOf(client, first.id, received, (n) => n.providerMessageId !== null);
    const [template] = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.id === outside.providerMessageId);
    expect(template?.details).toMatchObject({ type: "template", template: { name: "statex_request_received", language: { code: "en" } }, windowOpen: false });
    // The template's parameters: the name and the request's status link.
    expect(template?.body).toMatch(new RegExp(`^\\[template statex_request_received \\(en\\)\\] Ana Lima · ${siteUrl()}/request\\.html\\?id=${first.id}&token=`));

    await writeOnWhatsApp(phone, "Hello, any news about my booking website?");

    const second = await client.submit({ ...contact, text: `${TEXT} We also need a page for each therapist.` });
    // One message every 6 s to a number (WhatsApp's pair rate): this one may wait its turn behind the first request's "ready".
    const inside = await recordOf(client, second.id, received, (n) => n.providerMessageId !== null, 40_000);
    const [free] = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.id === inside.providerMessageId);
    expect(free?.details).toMatchObject({ type: "text", windowOpen: true });
    expect(free?.body).toMatch(/^\*We received your request\*\n\nHello Ana Lima,\n\n/);
    expect(free?.body).toContain(`${siteUrl()}/request.html?id=${second.id}&token=`);
  }, 60_000);
});

/** A request by someone who gave a Telegram name, and the code of the bot's link its first email offers them. */
async function offeredCode(client: Client, name: string, text: string) {
  const submitted = await client.submit({ name, email: `${unique("tg")}@studio.example`, telegram: "@statex_client", text });
  const offer = await waitFor("the first email, offering the bot", async () => (await stored({ channel: "email", requestId: submitted.id })).find((m) => startCode(m.body)));
  return { submitted, code: startCode(offer.body) ?? "" };
}

/**
 * Runs `work` while every job slot is taken, so that a request sent meanwhile waits in line: its "ready" message is
 * planned only after `work` linked a chat.
 */
async function whileHeld<T>(work: () => Promise<T>): Promise<T> {
  const slots = await holdEverySlot();
  try {
    return await work();
  } finally {
    await slots.release();
  }
}

describe("Telegram, through a linked chat", () => {
  it("a request's own link (POST /api/requests/:id/telegram-link): its next message goes to the chat, delivered, its HTML escaped so the client reads the name and text as typed", async () => {
    const client = clientAt("203.0.113.4");
    const chatId = freshChatId();
    const submitted = await whileHeld(async () => {
      const submitted = await client.submit({ name: HOSTILE, email: `${unique("eve")}@studio.example`, telegram: "@eve_and_co", text: HOSTILE_TEXT });
      expect((await client.clientView(submitted)).telegram).toEqual({ linked: false, offered: true });
      const link = await client.requestLink(submitted);
      expect(link.url).toBe(`https://t.me/statex_local_bot?start=${link.code}`);
      await tellBot(chatId, `/start ${link.code}`);
      expect(await waitFor("the bot's answer", async () => (await botSaid(chatId))[0])).toMatch(/^Linked: StateX will send your messages to this chat/);
      // One chat per request: no second link, and the client's page says it is linked.
      await client.requestLink(submitted, 409);
      expect((await client.clientView(submitted)).telegram).toEqual({ linked: true, offered: false });
      return submitted;
    });

    const row = await recordOf(client, submitted.id, ready, (n) => n.status === "delivered", 40_000);
    expect(row).toMatchObject({ channel: "telegram", recipient: String(chatId), step: 0, error: null });
    expect(row.deliveredAt).toBe(row.sentAt);
    // Telegram reached the client: no email about it.
    expect((await stored({ channel: "email", requestId: submitted.id })).map((m) => m.subject)).toEqual(["We received your request"]);

    const [message] = (await stored({ channel: "telegram", to: String(chatId) })).filter((m) => m.id === `tg_${(row.providerMessageId ?? "").replace(":", "_")}`);
    expect(message?.details?.parseMode).toBe("HTML");
    // What the client reads, as Telegram parsed the HTML: the name and the summary exactly as typed...
    const view = (await (await fetch(`${siteUrl()}${submitted.statusUrl}`)).json()) as RequestView;
    expect(view.result?.summary).toMatch(/[<&]/);
    expect(message?.body).toContain(`Hello ${HOSTILE},`);
    expect(message?.body).toContain(view.result?.summary);
    // ...and no formatting but ours: the subject in bold, the quoted summary, the link.
    const entities = message?.details?.entities ?? [];
    expect(new Set(entities.map((e) => e.type))).toEqual(new Set(["bold", "blockquote", "text_link"]));
    const bold = entities.filter((e) => e.type === "bold").map((e) => message?.body.slice(e.offset, e.offset + e.length));
    expect(bold).toEqual(["Your analysis is ready"]);
    expect(message?.html).toContain("Hello &lt;b&gt;Eve &amp; &quot;Co&quot;&lt;/b&gt;&lt;script&gt;,");
    expect(message?.html).not.toContain("<script>");
  }, 60_000);

  it("an account's link (POST /api/me/telegram-link), opened before it sends anything: every message of its request in the chat, none by email", async () => {
    const email = `${unique("yara")}@studio.example`;
    const client = await clientAt("203.0.113.17").signedUp("Yara Said", email);
    const [chatId, other] = [freshChatId(), freshChatId()];
    const link = await client.accountLink();
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(55 * 60_000);
    await tellBot(chatId, `/start ${link.code}`);
    expect(await waitFor("the bot's answer", async () => (await botSaid(chatId))[0])).toMatch(/^Linked/);

    const submitted = await client.submit({ name: "Yara Said", email, text: TEXT });
    await recordOf(client, submitted.id, ready, (n) => n.status === "delivered", 40_000);
    const rows = (await client.notifications(submitted.id)).map((n) => [n.template, n.channel, n.status, n.step, n.recipient]);
    expect(rows.sort()).toEqual([
      ["request-ready", "telegram", "delivered", 0, String(chatId)],
      ["request-received", "telegram", "delivered", 0, String(chatId)],
    ]);
    expect((await botSaid(chatId)).map((t) => t.split("\n")[0])).toEqual([expect.stringMatching(/^Linked/), "We received your request", "Your analysis is ready"]);
    expect(await stored({ channel: "email", requestId: submitted.id })).toEqual([]);

    // The account's code worked once: from another chat it is refused.
    await tellBot(other, `/start ${link.code}`);
    expect(await waitFor("the answer to a used code", async () => (await botSaid(other))[0])).toBe("This link was used already. Open a new one from your StateX account page.");
  }, 60_000);

  it("the first email's link: a used code and an unknown one are refused in the chat, and link neither chat", async () => {
    const client = clientAt("203.0.113.5");
    const [owner, latecomer, stranger] = [freshChatId(), freshChatId(), freshChatId()];
    const { submitted } = await whileHeld(async () => {
      const offered = await offeredCode(client, "Lena Roth", TEXT);
      await tellBot(owner, `/start ${offered.code}`);
      expect(await waitFor("the owner's link", async () => (await botSaid(owner))[0])).toMatch(/^Linked/);
      await tellBot(latecomer, `/start ${offered.code}`);
      await tellBot(stranger, `/start ${"A".repeat(43)}`);
      expect(await waitFor("the answer to a used code", async () => (await botSaid(latecomer))[0])).toBe("This link was used already. Open a new one from your StateX account page.");
      expect(await waitFor("the answer to an unknown code", async () => (await botSaid(stranger))[0])).toBe("This link is not known. Open a new one from your StateX account page.");
      return offered;
    });

    // The request's next message goes to the chat the code linked, and to no other.
    const row = await recordOf(client, submitted.id, ready, (n) => n.status === "delivered", 40_000);
    expect(row).toMatchObject({ channel: "telegram", recipient: String(owner) });
    expect((await botSaid(owner)).slice(1).map((t) => t.split("\n")[0])).toEqual(["Your analysis is ready"]);
    expect(await botSaid(latecomer)).toHaveLength(1);
    expect(await botSaid(stranger)).toHaveLength(1);
  }, 60_000);
});

describe("LinkedIn, a task for ops", () => {
  const profileOf = (label: string) => `https://www.linkedin.com/in/${unique(label).replace(/\W/g, "-")}`;

  it("holds the prepared text and the profile; done by hand, the message is delivered, and a task is marked once", async () => {
    const client = clientAt("203.0.113.18");
    const [email, profile] = [`${unique("zoe")}@studio.example`, profileOf("zoe")];
    const { id } = await client.submit({ name: "Zoe Martin", email, linkedin: profile, notifyBy: ["linkedin", "email"], text: TEXT });
    const row = await recordOf(client, id, received, (n) => n.status === "manual");
    expect(row).toMatchObject({ channel: "linkedin", recipient: profile, step: 0, sentAt: null, providerMessageId: row.id });
    const task = (await client.linkedinTasks("open")).find((t) => t.notificationId === row.id);
    expect(task).toMatchObject({ id: row.id, requestId: id, profile, status: "open", doneBy: null });
    expect(task?.text).toMatch(/^Hello Zoe Martin,\n\nThank you: we received your request/);

    expect(await client.markTask(row.id, "done")).toEqual({ status: 200, body: { id: row.id, status: "done" } });
    expect((await client.markTask(row.id, "skipped")).status).toBe(409);
    expect((await client.notifications(id)).find((n) => n.id === row.id)).toMatchObject({ status: "delivered", deliveredAt: expect.any(String) });
    expect((await client.linkedinTasks("done")).find((t) => t.id === row.id)).toMatchObject({ status: "done", doneBy: expect.any(String), doneAt: expect.any(String) });
    // Reached by hand: nothing by email.
    expect((await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request")).toEqual([]);
  });

  it("skipped by ops, the message goes on to the next channel, once", async () => {
    const client = clientAt("203.0.113.19");
    const [email, profile] = [`${unique("ida")}@studio.example`, profileOf("ida")];
    const { id } = await client.submit({ name: "Ida Berg", email, linkedin: profile, notifyBy: ["linkedin", "email"], text: TEXT });
    const task = await recordOf(client, id, received, (n) => n.status === "manual");
    expect((await client.markTask(task.id, "skipped")).status).toBe(200);

    const mail = await recordOf(client, id, { ...received, channel: "email" }, (n) => n.status === "delivered");
    expect(mail).toMatchObject({ step: 1, fallbackFrom: task.id });
    expect((await client.notifications(id)).find((n) => n.id === task.id)?.status).toBe("skipped");
    const mails = (await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request");
    expect(mails.map((m) => m.id)).toEqual([mail.providerMessageId]);
  });
});

describe("failures, retries and the fallback ladder", () => {
  it("429 with Retry-After: tried again no sooner than asked, then sent once", async () => {
    const client = clientAt("203.0.113.6");
    const email = `${unique("nina")}@studio.example`;
    // 4 s: longer than the backoff after a first attempt (1-2 s), so only Retry-After explains the wait.
    const retryAfter = 4;
    await setControl("email", { mode: "429", retryAfter });
    const { id } = await client.submit({ name: "Nina Berg", email, text: TEXT });
    const refused = await recordOf(client, id, received, (n) => n.attempts >= 1 && /429/.test(n.error ?? ""));
    expect(refused.status).toBe("queued");
    await resetControls();

    const row = await recordOf(client, id, received, (n) => n.sentAt !== null);
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(Date.parse(row.sentAt ?? "") - Date.parse(row.createdAt)).toBeGreaterThanOrEqual(retryAfter * 1_000);
    expect(row).toMatchObject({ channel: "email", step: 0, error: null });
    // The refusals were not sends: the provider holds the one email.
    const mails = (await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request");
    expect(mails.map((m) => m.id)).toEqual([row.providerMessageId]);
  });

  it("refused for good (a 4xx): failed at once, and the next channel gets the message exactly once", async () => {
    const client = clientAt("203.0.113.7");
    const phone = freshPhone();
    const email = `${unique("omar")}@clinic.example`;
    await setControl("whatsapp", { mode: "fail-4xx" });
    const submitted = await client.submit({ name: "Omar Haddad", email, whatsapp: phone, text: TEXT });
    const { id } = submitted;
    await recordOf(client, id, { ...received, channel: "email" }, (n) => n.status === "delivered");
    await resetControls();

    const [whatsapp, mail, ...more] = (await client.notifications(id)).filter((n) => n.template === "request-received").sort(byStep);
    expect(more).toEqual([]);
    expect(whatsapp).toMatchObject({ channel: "whatsapp", step: 0, status: "failed", attempts: 1, fallbackFrom: null, providerMessageId: null });
    expect(whatsapp?.error).toMatch(/131026/);
    expect(mail).toMatchObject({ channel: "email", step: 1, status: "delivered", fallbackFrom: whatsapp?.id });

    const mails = (await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request");
    expect(mails.map((m) => m.id)).toEqual([mail?.providerMessageId]);
    const templates = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.details?.template?.name === "statex_request_received");
    expect(templates).toEqual([]);

    // The client's own view tells the same story, its addresses half hidden.
    const view = await client.clientView(submitted);
    expect(view.notifications.filter((n) => n.kind === "received").map((n) => [n.channel, n.status, n.step, n.fallbackFrom, n.to])).toEqual([
      ["whatsapp", "failed", 0, null, `+…${digits(phone).slice(-3)}`],
      ["email", "delivered", 1, whatsapp?.id, "o…@clinic.example"],
    ]);
  });

  it(`no delivery report within the window (${WINDOW_SECONDS} s here): the next channel gets the message, once`, async () => {
    const client = clientAt("203.0.113.8");
    const phone = freshPhone();
    const email = `${unique("pia")}@clinic.example`;
    await setControl("whatsapp", { mode: "no-delivery" });
    const { id } = await client.submit({ name: "Pia Schulz", email, whatsapp: phone, text: TEXT });
    const sent = await recordOf(client, id, { ...received, channel: "whatsapp" }, (n) => n.status === "sent");
    // Only this send goes undelivered; the request's later messages meet a healthy provider.
    await resetControls();

    const mail = await recordOf(client, id, { ...received, channel: "email" }, (n) => n.status === "delivered", (WINDOW_SECONDS + 30) * 1_000);
    expect(mail).toMatchObject({ step: 1, fallbackFrom: sent.id });
    expect(Date.parse(mail.createdAt) - Date.parse(sent.sentAt ?? "")).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1_000);
    const whatsapp = (await client.notifications(id)).find((n) => n.id === sent.id);
    expect(whatsapp).toMatchObject({ status: "sent", deliveredAt: null });

    const [message] = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.id === sent.providerMessageId);
    expect(message?.statuses.map((s) => s.status)).toEqual(["accepted", "sent"]);
    const mails = (await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request");
    expect(mails.map((m) => m.id)).toEqual([mail.providerMessageId]);
  }, (WINDOW_SECONDS + 45) * 1_000);
});

/** A request's first message on WhatsApp, sent and never reported delivered, for the test to report on by hand. */
async function undeliveredWhatsApp(client: Client, name: string) {
  const phone = freshPhone();
  await setControl("whatsapp", { mode: "no-delivery" });
  const { id } = await client.submit({ name, email: `${unique("wa")}@clinic.example`, whatsapp: phone, text: TEXT });
  const row = await recordOf(client, id, { ...received, channel: "whatsapp" }, (n) => n.status === "sent");
  // Only this send goes unreported: the request's later messages meet a healthy provider.
  await resetControls();
  return { id, phone, row };
}

describe("webhooks without a valid signature are refused with 401, and change nothing", () => {
  it("email: Svix's headers missing, wrong, of another secret, stale or of another body", async () => {
    const client = clientAt("203.0.113.9");
    const email = `${unique("sven")}@studio.example`;
    await setControl("email", { mode: "no-delivery" });
    const { id } = await client.submit({ name: "Sven Olsen", email, text: TEXT });
    const row = await recordOf(client, id, received, (n) => n.status === "sent");
    await resetControls();

    const body = JSON.stringify({ type: "email.delivered", created_at: new Date().toISOString(), data: { email_id: row.providerMessageId, to: [email] } });
    const svixId = `msg_${unique("e2e")}`;
    const good = svixSigned(body, { id: svixId });
    const forged = [
      {},
      { ...good, "svix-signature": "v1,AAAA" },
      svixSigned(body, { id: svixId, secret: "someone-elses-secret" }),
      svixSigned(body, { id: svixId, at: Date.now() - 6 * 60_000 }),
      svixSigned(body.replace("email.delivered", "email.opened"), { id: svixId }),
    ];
    for (const headers of forged) {
      const res = await client.webhook("email", body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await client.notifications(id)).find((n) => n.id === row.id)).toMatchObject({ status: "sent", deliveredAt: null });

    // The same body, signed: taken (its svix-id was never claimed by a refusal), and taken once.
    const res = await client.webhook("email", body, good);
    expect(await res.json()).toEqual({ received: true });
    expect(await (await client.webhook("email", body, good)).json()).toEqual({ received: true, duplicate: true });
    expect((await client.notifications(id)).find((n) => n.id === row.id)).toMatchObject({ status: "delivered", deliveredAt: JSON.parse(body).created_at });
  });

  it("WhatsApp: X-Hub-Signature-256 missing, of another secret, of another body, or malformed", async () => {
    const client = clientAt("203.0.113.10");
    const { id, phone, row } = await undeliveredWhatsApp(client, "Tomas Novak");

    const at = Math.floor(Date.now() / 1_000);
    const body = whatsappStatus(row.providerMessageId ?? "", "delivered", at, digits(phone));
    const forged = [{}, hubSigned(body, "someone-elses-secret"), hubSigned(body.replace("delivered", "read")), { "x-hub-signature-256": "sha256=" }];
    for (const headers of forged) {
      const res = await client.webhook("whatsapp", body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
    }
    expect((await client.notifications(id)).find((n) => n.id === row.id)).toMatchObject({ status: "sent", deliveredAt: null });

    expect((await client.webhook("whatsapp", body, hubSigned(body))).status).toBe(200);
    expect((await client.notifications(id)).find((n) => n.id === row.id)).toMatchObject({ status: "delivered", deliveredAt: new Date(at * 1_000).toISOString() });
  });

  it("Telegram: X-Telegram-Bot-Api-Secret-Token missing or wrong; the code stays unspent and the update unclaimed", async () => {
    const client = clientAt("203.0.113.11");
    const chatId = freshChatId();
    const { code } = await offeredCode(client, "Uma Rao", TEXT);
    // The client has written to the bot, so the bot can answer in the chat.
    await tellBot(chatId, "hello");

    const update = JSON.stringify({
      update_id: randomInt(900_000_000, 2_000_000_000),
      message: { message_id: 2, from: { id: chatId, is_bot: false, first_name: "Uma" }, chat: { id: chatId, first_name: "Uma", type: "private" }, date: Math.floor(Date.now() / 1_000), text: `/start ${code}` },
    });
    const secret = devSecretValue("TELEGRAM_WEBHOOK_SECRET");
    const refused: Record<string, string>[] = [{}, { "x-telegram-bot-api-secret-token": "" }, { "x-telegram-bot-api-secret-token": `${secret}x` }, { "x-telegram-bot-api-secret-token": secret.toUpperCase() }];
    for (const headers of refused) {
      const res = await client.webhook("telegram", update, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
    }

    // The same update with the right token: not a repeat, and the code still links.
    const res = await client.webhook("telegram", update, { "x-telegram-bot-api-secret-token": secret });
    expect(await res.json()).toEqual({ ok: true });
    expect(await waitFor("the bot's answer", async () => (await botSaid(chatId))[0])).toMatch(/^Linked/);
    expect(await botSaid(chatId)).toHaveLength(1);
  }, 45_000);
});

describe("statuses that arrive out of order and twice", () => {
  it("from the Cloud API shuffled, one of them twice: reconciled to read, with one notification.delivered", async () => {
    const client = clientAt("203.0.113.12");
    const phone = freshPhone();
    await setControl("whatsapp", { mode: "out-of-order" });
    const { id } = await client.submit({ name: "Vera Costa", email: `${unique("vera")}@clinic.example`, whatsapp: phone, text: TEXT });
    const sent = await recordOf(client, id, { ...received, channel: "whatsapp" }, (n) => n.providerMessageId !== null);
    await resetControls();

    const heard = await waitFor("the four status reports, each answered", async () => {
      const list = whatsappStatuses(await webhooksAbout("whatsapp", sent.providerMessageId ?? ""));
      return list.length === 4 && list.every((s) => s.answered === 200) ? list : undefined;
    });
    // Not in the order they happened, and one of them twice.
    expect(heard.slice(0, 3).map((s) => s.status)).not.toEqual(["sent", "delivered", "read"]);
    expect(heard.map((s) => s.status).sort()).toEqual(expect.arrayContaining(["delivered", "read", "sent"]));
    expect(new Set(heard.map((s) => s.status)).size).toBe(3);

    const row = (await client.notifications(id)).find((n) => n.id === sent.id);
    expect(row).toMatchObject({ status: "read", readAt: heard.find((s) => s.status === "read")?.at });
    expect(row?.deliveredAt).not.toBeNull();
    expect(await client.deliveredEvents(id, sent.id)).toHaveLength(1);
  });

  it("signed by hand in the order read, delivered, sent, delivered: read, and never back", async () => {
    const client = clientAt("203.0.113.13");
    const { id, phone, row: sent } = await undeliveredWhatsApp(client, "Wim Jansen");

    const now = Math.floor(Date.now() / 1_000);
    const times = { sent: now - 3, delivered: now - 2, read: now - 1 };
    for (const status of ["read", "delivered", "sent", "delivered"] as const) {
      const body = whatsappStatus(sent.providerMessageId ?? "", status, times[status], digits(phone));
      expect((await client.webhook("whatsapp", body, hubSigned(body))).status).toBe(200);
    }
    const row = (await client.notifications(id)).find((n) => n.id === sent.id);
    expect(row).toMatchObject({ status: "read", sentAt: sent.sentAt, readAt: new Date(times.read * 1_000).toISOString(), failedAt: null });
    expect(Date.parse(row?.deliveredAt ?? "")).toBeLessThanOrEqual(times.read * 1_000);
    expect(await client.deliveredEvents(id, sent.id)).toHaveLength(1);
  });
});

describe("the same submission twice", () => {
  it("under one Idempotency-Key is one request, told once on each message's channel", async () => {
    const client = clientAt("203.0.113.14");
    const email = `${unique("xena")}@studio.example`;
    const fields = { name: "Xena Park", email, text: TEXT };
    const key = unique("e2e-notify");
    const first = await client.submit(fields, key);
    const again = await client.submit(fields, key);
    expect(again.id).toBe(first.id);

    // Both messages of the request delivered: by then a second request.created would have been told too.
    await recordOf(client, first.id, ready, (n) => n.status === "delivered", 30_000);
    const rows = await client.notifications(first.id);
    expect(rows.map((n) => [n.template, n.channel, n.status]).sort()).toEqual([
      ["request-ready", "email", "delivered"],
      ["request-received", "email", "delivered"],
    ]);
    const subjects = (await stored({ channel: "email", to: email })).map((m) => m.subject).sort();
    expect(subjects).toEqual(["We received your request", "Your analysis is ready"]);
  }, 40_000);
});

describe("hostile names and texts, escaped in each format", () => {
  it("email: HTML-escaped in the HTML part, as typed in the text part", async () => {
    const client = clientAt("203.0.113.15");
    const email = `${unique("eve")}@studio.example`;
    const submitted = await client.submit({ name: HOSTILE, email, text: HOSTILE_TEXT });
    await recordOf(client, submitted.id, ready, (n) => n.status === "delivered", 30_000);
    const mails = await stored({ channel: "email", to: email });
    const first = mails.find((m) => m.subject === "We received your request");
    const last = mails.find((m) => m.subject === "Your analysis is ready");

    expect(first?.body).toContain(`Hello ${HOSTILE},`);
    expect(first?.html).toContain("Hello &lt;b&gt;Eve &amp; &quot;Co&quot;&lt;/b&gt;&lt;script&gt;,");
    const view = (await (await fetch(`${siteUrl()}${submitted.statusUrl}`)).json()) as RequestView;
    expect(view.result?.summary).toMatch(/</);
    expect(last?.body).toContain(view.result?.summary);
    for (const html of [first?.html, last?.html]) {
      expect(html).not.toMatch(/<script|<b>Eve|<i>booking|<u>1 June/);
    }
    expect(last?.html).toContain("&lt;");
  }, 40_000);

  it("WhatsApp: free text as given, no HTML escaping", async () => {
    const client = clientAt("203.0.113.16");
    const phone = freshPhone();
    await writeOnWhatsApp(phone, "Hi, I am about to send a request.");
    const { id } = await client.submit({ name: HOSTILE, email: `${unique("eve")}@clinic.example`, whatsapp: phone, text: TEXT });
    const row = await recordOf(client, id, received, (n) => n.providerMessageId !== null);
    const [message] = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.id === row.providerMessageId);
    expect(message?.details).toMatchObject({ type: "text", windowOpen: true });
    expect(message?.body).toContain(`Hello ${HOSTILE},`);
    expect(message?.body).not.toContain("&lt;");
  });
});
