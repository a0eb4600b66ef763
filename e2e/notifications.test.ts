// Every notification channel end to end on the running platform: a client's request goes out through notify to the
// local stand-ins of Resend, the Telegram Bot API and the WhatsApp Cloud API, which store what they took and report
// back by signed webhooks through the gateway, as the real providers do. Each test reads both sides: the platform's
// record of each message (ops' GET /api/ops/notifications) and the stand-in's own store and webhook log.
//
// The stand-ins' controls are one per channel and shared: the tests of this file run one after another, each resets
// them when done, and each uses addresses, numbers and chats of its own, and a network of its own (the gateway's
// rate limits count per network).
import { afterEach, describe, expect, it } from "vitest";
import { workers } from "../infra/topology.mjs";
import {
  type Client,
  type Notification,
  botSaid,
  clientAt,
  digits,
  freshChatId,
  freshPhone,
  recordOf,
  resetControls,
  setControl,
  startCode,
  stored,
  tellBot,
  unique,
  waitFor,
  webhooksAbout,
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
const WINDOW_SECONDS = Number(workers.notify.vars.DELIVERY_WINDOW_SECONDS.dev);

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
    expect(row).toMatchObject({ channel: "email", recipient: email, step: 0, fallbackFrom: null, attempts: 1, error: null });
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
    expect(row).toMatchObject({ channel: "whatsapp", recipient: phone, step: 0, fallbackFrom: null, attempts: 1, error: null });
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
    const inside = await recordOf(client, second.id, received, (n) => n.providerMessageId !== null, 30_000);
    const [free] = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.id === inside.providerMessageId);
    expect(free?.details).toMatchObject({ type: "text", windowOpen: true });
    expect(free?.body).toMatch(/^\*We received your request\*\n\nHello Ana Lima,\n\n/);
    expect(free?.body).toContain(`${siteUrl()}/request.html?id=${second.id}&token=`);
  }, 45_000);
});

/** A request by someone who gave a Telegram name, and the code of the bot's link its first email offers them. */
async function offeredCode(client: Client, name: string, text: string) {
  const submitted = await client.submit({ name, email: `${unique("tg")}@studio.example`, telegram: `@${unique("tg").replace(/\W/g, "_").slice(0, 30)}`, text });
  const offer = await waitFor("the first email, offering the bot", async () => (await stored({ channel: "email", requestId: submitted.id })).find((m) => startCode(m.body)));
  return { submitted, code: startCode(offer.body) ?? "" };
}

/**
 * {@link offeredCode} for a request held in line (every job slot taken), so that its "ready" message is planned only
 * after the test linked a chat; `release` lets it run.
 */
async function heldTelegramRequest(client: Client, name: string, text: string) {
  const slots = await holdEverySlot();
  try {
    return { ...(await offeredCode(client, name, text)), release: slots.release };
  } catch (err) {
    await slots.release();
    throw err;
  }
}

describe("Telegram, through a chat linked with the code from the first email", () => {
  it("the next message goes to the chat, delivered, its HTML escaped so the client sees the name and text as typed", async () => {
    const client = clientAt("203.0.113.4");
    const chatId = freshChatId();
    const { submitted, code, release } = await heldTelegramRequest(client, HOSTILE, HOSTILE_TEXT);
    try {
      await tellBot(chatId, `/start ${code}`);
      expect(await waitFor("the bot's answer", async () => (await botSaid(chatId))[0])).toMatch(/^Linked: StateX will send your messages to this chat/);
    } finally {
      await release();
    }

    const row = await recordOf(client, submitted.id, ready, (n) => n.status === "delivered", 40_000);
    expect(row).toMatchObject({ channel: "telegram", recipient: String(chatId), step: 0, attempts: 1, error: null });
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

  it("refuses a used code and an unknown one in the chat, and links neither chat", async () => {
    const client = clientAt("203.0.113.5");
    const [owner, latecomer, stranger] = [freshChatId(), freshChatId(), freshChatId()];
    const { submitted, code, release } = await heldTelegramRequest(client, "Lena Roth", TEXT);
    try {
      await tellBot(owner, `/start ${code}`);
      expect(await waitFor("the owner's link", async () => (await botSaid(owner))[0])).toMatch(/^Linked/);
      await tellBot(latecomer, `/start ${code}`);
      await tellBot(stranger, `/start ${"A".repeat(43)}`);
      expect(await waitFor("the answer to a used code", async () => (await botSaid(latecomer))[0])).toBe("This link was used already. Open a new one from your StateX account page.");
      expect(await waitFor("the answer to an unknown code", async () => (await botSaid(stranger))[0])).toBe("This link is not known. Open a new one from your StateX account page.");
    } finally {
      await release();
    }

    // The request's next message goes to the chat the code linked, and to no other.
    const row = await recordOf(client, submitted.id, ready, (n) => n.status === "delivered", 40_000);
    expect(row).toMatchObject({ channel: "telegram", recipient: String(owner) });
    expect((await botSaid(owner)).slice(1).map((t) => t.split("\n")[0])).toEqual(["Your analysis is ready"]);
    expect(await botSaid(latecomer)).toHaveLength(1);
    expect(await botSaid(stranger)).toHaveLength(1);
  }, 60_000);
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
    const { id } = await client.submit({ name: "Omar Haddad", email, whatsapp: phone, text: TEXT });
    await recordOf(client, id, { ...received, channel: "email" }, (n) => n.status === "delivered");
    await resetControls();

    const [whatsapp, mail, ...more] = (await client.notifications(id)).filter((n) => n.template === "request-received").sort(byStep);
    expect(more).toEqual([]);
    expect(whatsapp).toMatchObject({ channel: "whatsapp", step: 0, status: "failed", attempts: 1, fallbackFrom: null, providerMessageId: null });
    expect(whatsapp?.error).toMatch(/131026/);
    expect(mail).toMatchObject({ channel: "email", step: 1, status: "delivered", fallbackFrom: whatsapp?.id, attempts: 1 });

    const mails = (await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request");
    expect(mails.map((m) => m.id)).toEqual([mail?.providerMessageId]);
    const templates = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.details?.template?.name === "statex_request_received");
    expect(templates).toEqual([]);
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
    expect(mail).toMatchObject({ step: 1, fallbackFrom: sent.id, attempts: 1 });
    expect(Date.parse(mail.createdAt) - Date.parse(sent.sentAt ?? "")).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1_000);
    const whatsapp = (await client.notifications(id)).find((n) => n.id === sent.id);
    expect(whatsapp).toMatchObject({ status: "sent", deliveredAt: null });

    const [message] = (await stored({ channel: "whatsapp", to: digits(phone) })).filter((m) => m.id === sent.providerMessageId);
    expect(message?.statuses.map((s) => s.status)).toEqual(["accepted", "sent"]);
    const mails = (await stored({ channel: "email", to: email })).filter((m) => m.subject === "We received your request");
    expect(mails.map((m) => m.id)).toEqual([mail.providerMessageId]);
  }, (WINDOW_SECONDS + 45) * 1_000);
});
