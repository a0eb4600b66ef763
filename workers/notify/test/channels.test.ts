// Each channel's send through its local stand-in (local/services), which answers and checks as the real API does.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Logger } from "@statex/shared/logger";
import { completeLinkedinTask } from "../src/linkedin-tasks";
import { notificationId } from "../src/notifier";
import { client, deliver, linkedChat, notificationRows, outbox, outboxEvents, phone, prefer, recordingQueue, requestEvent, scripted, wroteOnWhatsApp } from "./helpers";

const HOSTILE = `Eve <b>*bold*</b> & _x_ ~y~ \`z\``;

describe("Telegram", () => {
  it("sends to the linked chat in Telegram's HTML, the name escaped, and counts the Bot API's acceptance as delivered", async () => {
    const { requestId, contact } = client({ name: HOSTILE, telegram: "@eve_tg" });
    const chatId = await linkedChat(requestId);
    const event = requestEvent("request.completed", { requestId, contact, summary: "Fish & chips <script>", resultKey: "k" });
    const result = await deliver([event]);
    expect(result.explicitAcks).toHaveLength(1);

    const [sent, ...more] = await outbox({ channel: "telegram", to: chatId });
    expect(more).toEqual([]);
    // The stand-in parsed it as Telegram does: the client's marks are text, ours (the bold subject, the link) are entities.
    expect(sent?.body).toContain(`Hello ${HOSTILE}`);
    expect(sent?.body).toContain("Fish & chips <script>");
    expect(sent?.html).toContain("Eve &lt;b&gt;*bold*&lt;/b&gt; &amp; _x_");
    expect(sent?.html).toMatch(/^<b>Your analysis is ready<\/b>/);

    const [row] = await notificationRows(requestId);
    expect(row).toMatchObject({ id: await notificationId(event.id, "telegram"), channel: "telegram", status: "delivered", kind: "ready", step: 0, recipient: chatId });
    expect(row?.delivered_at).toBe(row?.sent_at);
    const delivered = (await outboxEvents("notification.delivered")).filter((e) => e.event.correlationId === requestId);
    expect(delivered.map((e) => e.event.data)).toEqual([expect.objectContaining({ notificationId: row?.id, channel: "telegram", kind: "ready" })]);
    // Delivered on the first channel: nothing by email.
    expect(await outbox({ requestId, channel: "email" })).toEqual([]);
  });

  it("sends the same event once, however often it is delivered", async () => {
    const { requestId, contact } = client();
    const chatId = await linkedChat(requestId);
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    await deliver([event]);
    await env.DB.prepare("delete from processed_events where event_id = ?").bind(event.id).run();
    await deliver([event], { attempts: 2 });
    expect(await outbox({ channel: "telegram", to: chatId })).toHaveLength(1);
    expect(await notificationRows(requestId)).toHaveLength(1);
  });
});

describe("WhatsApp", () => {
  it("sends free text, its marks neutralised, within 24 hours of the client's last message, and waits for its delivery report", async () => {
    const number = phone();
    await wroteOnWhatsApp(number, 2);
    const { requestId, contact } = client({ whatsapp: `+${number}`, name: HOSTILE });
    const { queue, checks, sent: queued } = recordingQueue();
    const result = await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })], { env: { ...env, Q_NOTIFY: queue } });
    expect(result.explicitAcks).toHaveLength(1);

    const [message] = await outbox({ channel: "whatsapp", to: number });
    expect(message?.details).toMatchObject({ type: "text", windowOpen: true });
    // No mark of the client's pairs up: each has an invisible word joiner on both sides.
    expect(message?.body).toContain("\u2060*\u2060bold\u2060*\u2060");
    expect(message?.body).toMatch(/^\*We received your request\*/);

    const [row] = await notificationRows(requestId);
    expect(row).toMatchObject({ channel: "whatsapp", status: "sent", recipient: `+${number}`, provider_message_id: message?.providerMessageId });
    // Email is next: a look at the ladder when the delivery window ends.
    expect(checks()).toEqual([expect.objectContaining({ data: expect.objectContaining({ notificationId: row?.id }) })]);
    expect(queued[0]?.delaySeconds).toBeGreaterThanOrEqual(Number(env.DELIVERY_WINDOW_SECONDS));
    expect(await outbox({ requestId, channel: "email" })).toEqual([]);
  });

  it("sends the approved template, in the client's language, outside the 24-hour window", async () => {
    const number = phone();
    await wroteOnWhatsApp(number, 25);
    const { requestId, contact } = client({ whatsapp: number });
    await prefer(requestId, { locale: "de" });
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "s", resultKey: "k" })]);

    const [message] = await outbox({ channel: "whatsapp", to: number });
    expect(message?.details).toMatchObject({ type: "template", template: { name: "statex_request_ready", language: { code: "de" } } });
    expect(await notificationRows(requestId)).toEqual([expect.objectContaining({ channel: "whatsapp", status: "sent", locale: "de" })]);
  });

  it("never sent to before: the template too, with the name and the link as its parameters", async () => {
    const number = phone();
    const { requestId, contact } = client({ whatsapp: number, name: "Ada\nLovelace" });
    const provider = scripted();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })], { env: provider.env });
    const [sent] = await provider.calls();
    expect(sent?.path).toBe(`/whatsapp/v21.0/${env.WHATSAPP_PHONE_NUMBER_ID}/messages`);
    expect(sent?.headers.authorization).toBe(`Bearer ${env.WHATSAPP_TOKEN}`);
    expect(sent?.body).toMatchObject({
      messaging_product: "whatsapp",
      to: number,
      type: "template",
      template: { name: "statex_request_received", language: { code: "en" }, components: [{ type: "body", parameters: [{ type: "text", text: "Ada Lovelace" }, { type: "text", text: expect.stringContaining(`/request.html?id=${requestId}`) }] }] },
    });
  });
});

describe("email", () => {
  it("marks mail that is not essential with a one-click List-Unsubscribe", async () => {
    const { requestId, contact } = client();
    const provider = scripted();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })], { env: provider.env });
    const [sent] = await provider.calls();
    const headers = sent?.body.headers as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(headers["List-Unsubscribe"]).toMatch(new RegExp(`^<${env.SITE_URL}/api/notifications/unsubscribe\\?token=r\\.${requestId}\\.received\\.[\\w-]{43}>$`));
    expect(sent?.body.text).toContain(headers["List-Unsubscribe"]?.slice(1, -1));
    expect(sent?.headers["idempotency-key"]).toBe((await notificationRows(requestId))[0]?.id);
  });

  it("through Cloudflare's send_email binding when EMAIL_PROVIDER is cloudflare, its acceptance counted as delivered", async () => {
    const sent: EmailMessageBuilder[] = [];
    // The binding exists in staging and production only; this stand-in is typed as the binding's own interface.
    const binding: SendEmail = {
      async send(message: EmailMessage | EmailMessageBuilder) {
        if (!("subject" in message)) throw new Error("raw MIME is not what notify sends");
        sent.push(message);
        return { messageId: `cf-${sent.length}` };
      },
    };
    const { requestId, contact } = client();
    await deliver([requestEvent("request.failed", { requestId, contact, reason: "x" })], { env: { ...env, EMAIL_PROVIDER: "cloudflare", EMAIL: binding } });
    expect(sent).toEqual([
      expect.objectContaining({ from: { name: "StateX", email: "hello@statex.local" }, to: contact.email, subject: "We could not finish your request", headers: expect.objectContaining({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }) }),
    ]);
    expect(sent[0]?.html).toContain("Ada &lt;Lovelace&gt;");
    expect(await notificationRows(requestId)).toEqual([expect.objectContaining({ channel: "email", status: "delivered", provider_message_id: "cf-1" })]);
  });

  it("sends a German client's mail in German, and offers the bot to someone who gave a Telegram name", async () => {
    const { requestId, contact } = client({ telegram: "@ada_tg" });
    await prefer(requestId, { locale: "de" });
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })]);
    const [mail] = await outbox({ requestId, channel: "email" });
    expect(mail?.subject).toBe("Wir haben Ihre Anfrage erhalten");
    expect(mail?.body).toContain("Hallo Ada <Lovelace>,");
    const link = /https:\/\/t\.me\/statex_local_bot\?start=([\w-]{43})/.exec(mail?.body ?? "");
    expect(link).not.toBeNull();
    const stored = await env.DB.prepare("select request_id, used_at from telegram_link_codes where request_id = ?").bind(requestId).all();
    expect(stored.results).toEqual([{ request_id: requestId, used_at: null }]);
    // Stored as a hash only.
    expect(JSON.stringify(await env.DB.prepare("select * from telegram_link_codes").all())).not.toContain(link?.[1]);
  });
});

describe("LinkedIn", () => {
  it("becomes a task for ops with the prepared text and the profile, the message manual until ops mark it", async () => {
    const { requestId, contact } = client({ linkedin: "https://www.linkedin.com/in/ada-lovelace" });
    await prefer(requestId, { channels: ["linkedin", "email"] });
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "A booking site.", resultKey: "k" })]);
    const [row] = await notificationRows(requestId);
    expect(row).toMatchObject({ channel: "linkedin", status: "manual", recipient: contact.linkedin });
    const task = await env.DB.prepare("select * from linkedin_tasks where id = ?").bind(row?.id).first();
    expect(task).toMatchObject({ request_id: requestId, profile: contact.linkedin, status: "open" });
    expect(task?.text).toContain("A booking site.");
    // A person carries it out: no email beside it.
    expect(await outbox({ requestId, channel: "email" })).toEqual([]);

    const log = new Logger(env, "notify");
    expect(await completeLinkedinTask(env, log, String(row?.id), "done", "usr_ops")).toBe("moved");
    expect(await completeLinkedinTask(env, log, String(row?.id), "skipped", "usr_ops")).toBe("unchanged");
    expect((await notificationRows(requestId))[0]).toMatchObject({ status: "delivered" });
    expect(await env.DB.prepare("select status, done_by from linkedin_tasks where id = ?").bind(row?.id).first()).toEqual({ status: "done", done_by: "usr_ops" });
  });

  it("a task ops skip sends the ladder on to the next channel", async () => {
    const { requestId, contact } = client({ linkedin: "https://www.linkedin.com/in/grace" });
    await prefer(requestId, { channels: ["linkedin", "email"] });
    const { queue, checks } = recordingQueue();
    const withQueue = { ...env, Q_NOTIFY: queue };
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })], { env: withQueue });
    const [task] = await notificationRows(requestId);
    expect(await completeLinkedinTask(withQueue, new Logger(env, "notify"), String(task?.id), "skipped", "usr_ops")).toBe("moved");
    await deliver(checks(), { env: withQueue });
    expect((await notificationRows(requestId)).map((r) => [r.channel, r.status])).toEqual([["linkedin", "skipped"], ["email", "sent"]]);
    expect(await outbox({ requestId, channel: "email" })).toHaveLength(1);
  });
});
