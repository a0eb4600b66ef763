import { env } from "cloudflare:workers";
import { verifyStatusToken } from "@statex/shared/tokens";
import { createEvent } from "@statex/shared/events";
import { describe, expect, it } from "vitest";
import { notificationId } from "../src/notifier";
import { client, deliver, notificationRows, outbox, outboxEvents, requestEvent } from "./helpers";

describe("the notify consumer, sending through the local email API", () => {
  it("emails 'we received your request' and records it as sent", async () => {
    const { requestId, contact } = client();
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "A booking site", files: [] });
    const result = await deliver([event]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);

    const [mail, ...more] = await outbox({ requestId });
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ channel: "email", to: [contact.email], subject: "We received your request" });
    expect(mail?.body).toContain("Hello Ada <Lovelace>");
    expect(mail?.html).toContain("Hello Ada &lt;Lovelace&gt;");

    const [row] = await notificationRows(requestId);
    expect(row).toMatchObject({ id: await notificationId(event.id, "email"), status: "sent", attempts: 1, template: "request-received", recipient: contact.email });
    expect(row?.provider_message_id).toBe(mail?.id);
    const sent = (await outboxEvents("notification.sent")).find((e) => e.event.correlationId === requestId);
    expect(sent?.event.data).toMatchObject({ requestId, channel: "email", recipient: contact.email, template: "request-received" });
    expect(sent?.sentAt).not.toBeNull();
  });

  it("emails the summary and a status link that the status page accepts when a request completes", async () => {
    const { requestId, contact } = client();
    const summary = "A clinic needs online booking & reminders <by SMS>.";
    await deliver([requestEvent("request.completed", { requestId, contact, summary, resultKey: `results/${requestId}.json` })]);

    const [mail] = await outbox({ requestId });
    expect(mail?.subject).toBe("Your analysis is ready");
    expect(mail?.body).toContain(summary);
    expect(mail?.html).toContain("online booking &amp; reminders &lt;by SMS&gt;");
    const link = new URL(/http\S+request\.html\S+/.exec(mail?.body ?? "")?.[0] ?? "http://missing");
    expect(`${link.origin}${link.pathname}`).toBe(`${env.SITE_URL}/request.html`);
    expect(link.searchParams.get("id")).toBe(requestId);
    expect(await verifyStatusToken(env.STATUS_TOKEN_SECRET, requestId, link.searchParams.get("token") ?? "")).toBe(true);
  });

  it("formats the first draft in the ready email when the event carries it", async () => {
    const { requestId, contact } = client();
    const draft = "# A booking site\n\n- online booking\n- reminders <by SMS>\n";
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "Booking.", draft, resultKey: `results/${requestId}.json` })]);
    const [mail] = await outbox({ requestId });
    expect(mail?.html).toContain('<h1 id="a-booking-site">A booking site</h1>\n<ul>\n<li>online booking</li>\n<li>reminders &lt;by SMS&gt;</li>');
    expect(mail?.body).not.toContain("# A booking site");
  });

  it("tells the client when a request failed, with the same link and without the internal reason", async () => {
    const { requestId, contact } = client();
    await deliver([requestEvent("request.failed", { requestId, contact, reason: "provider chain exhausted: quota" })]);
    const [mail] = await outbox({ requestId });
    expect(mail?.subject).toBe("We could not finish your request");
    expect(mail?.body).toContain(`/request.html?id=${requestId}&token=`);
    expect(mail?.body).not.toContain("quota");
  });

  it("sends no welcome of its own: a new account's first email is identity's verification link", async () => {
    const email = `grace.${crypto.randomUUID()}@example.com`;
    const event = createEvent("user.registered", { userId: "usr_1", email, name: "Grace" }, { correlationId: "usr_1", source: "identity" });
    const result = await deliver([event]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await outbox({ to: email })).toEqual([]);
  });

  it("sends nothing twice: not on redelivery, not after a crash between the send and the row update", async () => {
    const { requestId, contact } = client();
    const event = requestEvent("request.created", { requestId, channel: "api", contact, text: "x", files: [] });
    await deliver([event]);
    const again = await deliver([event]);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await outbox({ requestId })).toHaveLength(1);

    // The crash: the provider took the message, but neither the row nor the consumer's memory says so.
    await env.DB.prepare("update notifications set status = 'queued' where request_id = ?").bind(requestId).run();
    await env.DB.prepare("delete from processed_events where event_id = ?").bind(event.id).run();
    await env.DB.prepare("delete from event_outbox where id = ?").bind(`${await notificationId(event.id, "email")}.sent`).run();
    await deliver([event]);
    const mails = await outbox({ requestId });
    expect(mails).toHaveLength(1);
    const [row] = await notificationRows(requestId);
    expect(row).toMatchObject({ status: "sent", provider_message_id: mails[0]?.id });
  });

  it("retries while the provider fails, records the error, and sends once it recovers", async () => {
    const { requestId, contact } = client();
    const event = requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] });
    const failing = { ...env, EMAIL_API_URL: `${env.OUTBOX_URL}/fail/email` };

    const first = await deliver([event], { env: failing, attempts: 1 });
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    const second = await deliver([event], { env: failing, attempts: 2 });
    expect(second.retryMessages).toHaveLength(1);
    expect(await notificationRows(requestId)).toEqual([
      expect.objectContaining({ status: "queued", attempts: 2, error: expect.stringContaining("email provider answered 500") }),
    ]);
    expect(await outbox({ requestId })).toEqual([]);

    await deliver([event], { attempts: 3 });
    expect(await outbox({ requestId })).toHaveLength(1);
    expect(await notificationRows(requestId)).toEqual([expect.objectContaining({ status: "sent", attempts: 3, error: null })]);
  });

  it("on the last delivery attempt marks the notification failed and publishes notification.failed", async () => {
    const { requestId, contact } = client();
    const event = requestEvent("request.completed", { requestId, contact, summary: "s", resultKey: "k" });
    const failing = { ...env, EMAIL_API_URL: `${env.OUTBOX_URL}/fail/503/email` };
    const last = Number(env.MAX_DELIVERY_ATTEMPTS);

    const result = await deliver([event], { env: failing, attempts: last });
    // Taken, not left to the dead letters: the failure is recorded (the row, notification.failed), and with email the
    // last channel of this client's ladder, a redrive would find nothing left to try.
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    expect(await notificationRows(requestId)).toEqual([expect.objectContaining({ status: "failed", error: expect.stringContaining("503") })]);
    const failed = (await outboxEvents("notification.failed")).find((e) => e.event.correlationId === requestId);
    expect(failed?.event.data).toMatchObject({ requestId, channel: "email", attempts: last });
    expect(failed?.sentAt).not.toBeNull();
  });

  it("sets an invalid body aside without retrying it", async () => {
    const result = await deliver([{ type: "request.created", data: {} }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare("select queue, reason from dead_letters").first<{ queue: string; reason: string }>();
    expect(row?.queue).toBe("statex-notify");
    expect(row?.reason).toMatch(/invalid event/);
  });
});
