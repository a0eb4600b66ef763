import { env, exports } from "cloudflare:workers";
import { createEvent } from "@statex/shared/events";
import { describe, expect, it } from "vitest";
import { client, deliver, notificationRows, outbox, requestEvent } from "./helpers";

type Row = Record<string, unknown>;

const erasedEvent = (requestId: string) => createEvent("request.erased", { requestId }, { id: `${requestId}:request.erased`, correlationId: requestId, source: "intake" });
const byRecipient = async (email: string) =>
  (await env.DB.prepare("select * from notifications where lower(recipient) = ?").bind(email.toLowerCase()).all<Row>()).results;

/** What an anonymised row keeps: what ops count, nothing of whom it went to or what it said. */
function expectAnonymised(row: Row | undefined) {
  expect(row).toMatchObject({ recipient: "", body: "", subject: null, error: null, provider_message_id: null, status: "sent", channel: "email" });
  expect(row?.template).toEqual(expect.any(String));
  expect(row?.sent_at).toEqual(expect.any(String));
}

describe("forgetting on the notify queue", () => {
  it("request.erased anonymises every message about the request, and a redelivery changes nothing", async () => {
    const { requestId, contact } = client();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "A booking site", files: [] })]);
    await deliver([requestEvent("request.completed", { requestId, contact, summary: "A booking site.", resultKey: `results/${requestId}/analysis.json` })]);
    expect(await notificationRows(requestId)).toHaveLength(2);

    const result = await deliver([erasedEvent(requestId)]);
    expect(result.explicitAcks).toHaveLength(1);
    const rows = await notificationRows(requestId);
    expect(rows).toHaveLength(2);
    rows.forEach(expectAnonymised);
    expect(JSON.stringify(rows)).not.toContain(contact.name);

    const again = await deliver([erasedEvent(requestId)], { attempts: 2 });
    expect(again.explicitAcks).toHaveLength(1);
    expect(await notificationRows(requestId)).toEqual(rows);
  });

  it("user.deleted anonymises every message to the address, in any case, and no one else's", async () => {
    const email = `grace.${crypto.randomUUID().slice(0, 8)}@example.com`;
    // A message outside any request: an account email, as identity sends it over RPC.
    await exports.NotifyApi.sendAccountEmail({ to: email, template: "verify-email", link: "/verify.html?token=x", idempotencyKey: `verify-email:${crypto.randomUUID()}`, correlationId: "usr_grace" });
    const { requestId } = client();
    await deliver([requestEvent("request.created", { requestId, channel: "api", contact: { name: "Grace", email: email.toUpperCase() }, text: "x", files: [] })]);
    const other = client();
    await deliver([requestEvent("request.created", { requestId: other.requestId, channel: "api", contact: other.contact, text: "y", files: [] })]);
    const ids = (await byRecipient(email)).map((row) => row.id);
    expect(ids).toHaveLength(2);

    const deleted = createEvent("user.deleted", { userId: "usr_grace", email }, { correlationId: "http-1", source: "identity" });
    expect((await deliver([deleted])).explicitAcks).toHaveLength(1);
    expect(await byRecipient(email)).toEqual([]);
    for (const id of ids) expectAnonymised(await env.DB.prepare("select * from notifications where id = ?").bind(id).first<Row>() ?? undefined);
    expect((await notificationRows(other.requestId))[0]).toMatchObject({ recipient: other.contact.email });
  });

  it("sends nothing more about an erased request (a late 'ready' reaches no one)", async () => {
    const { requestId, contact } = client();
    await env.DB.prepare("insert into requests (id, channel, name, email, text, erased_at) values (?, 'web', '', '', '', ?)").bind(requestId, new Date().toISOString()).run();
    const late = await deliver([requestEvent("request.completed", { requestId, contact, summary: "Done.", resultKey: `results/${requestId}/analysis.json` })]);
    expect(late.explicitAcks).toHaveLength(1);
    expect(await outbox({ requestId })).toEqual([]);
    expect(await notificationRows(requestId)).toEqual([]);
  });
});
