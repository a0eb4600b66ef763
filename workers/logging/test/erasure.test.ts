import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createEvent } from "@statex/shared/events";
import type { LogBatch } from "@statex/shared/logger";
import { newId } from "@statex/shared/ids";
import { describe, expect, it, vi } from "vitest";
import { opsCaller } from "../../../shared/test/callers";
import worker from "../src/index";
import { count, deliver } from "./helpers";

type Row = Record<string, unknown>;

/** A person, their request and what the platform said of them, unique to each test. */
function person() {
  const tag = crypto.randomUUID().slice(0, 8);
  const userId = `usr_${tag}`;
  const email = `ada.${tag}@example.com`;
  const name = `Ada Lovelace ${tag}`;
  const requestId = newId("req");
  const contact = { name, email: email.toUpperCase() };
  const text = `I am ${name}, we need a booking website.`;
  return {
    userId,
    email,
    name,
    requestId,
    personal: [email, name, userId, text],
    registered: createEvent("user.registered", { userId, email, name }, { correlationId: `reg-${tag}`, source: "identity" }),
    welcomed: createEvent("notification.sent", { notificationId: `ntf_${tag}`, channel: "email", recipient: email, template: "welcome" }, { correlationId: `reg-${tag}`, source: "notify" }),
    created: createEvent("request.created", { requestId, channel: "web", contact, text, files: [] }, { correlationId: requestId, source: "intake" }),
    completed: createEvent("request.completed", { requestId, contact, summary: text, resultKey: `results/${requestId}/analysis.json` }, { correlationId: requestId, source: "orchestrator" }),
    deleted: createEvent("user.deleted", { userId, email }, { correlationId: `http-${tag}`, source: "identity" }),
    erased: createEvent("request.erased", { requestId }, { id: `${requestId}:request.erased`, correlationId: requestId, source: "intake" }),
    lines: (correlationId: string | undefined, fields: Record<string, unknown>): LogBatch => ({
      lines: [{ ts: new Date().toISOString(), level: "info", service: "intake", ...(correlationId ? { correlationId } : {}), msg: "email received", fields }],
    }),
  };
}

/** Every stored row of the audit trail that holds the text, in any column and any case. */
async function holding(needle: string): Promise<Row[]> {
  const hits: Row[] = [];
  for (const table of ["events", "logs", "dead_letters"]) {
    const { results } = await env.DB.prepare(`select * from ${table}`).all<Row>();
    hits.push(...results.filter((row) => JSON.stringify(row).toLowerCase().includes(needle.toLowerCase())));
  }
  return hits;
}

const eventData = async (id: string) => JSON.parse((await env.DB.prepare("select data from events where id = ?").bind(id).first<{ data: string }>())?.data ?? "null") as unknown;
const deadLetter = (id: string) => env.DB.prepare("select * from dead_letters where id = ?").bind(id).first<Row>();

async function redrive(id: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://logging/dead-letters/${encodeURIComponent(id)}/redrive`, { method: "POST", headers: opsCaller }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("user.deleted in the audit trail", () => {
  it("anonymises every event, line and dead letter that carries the address or the user id, and stores itself without them", async () => {
    const p = person();
    const someone = person();
    await deliver("statex-logging", [p.registered, p.welcomed, p.created, someone.created].map((body) => ({ body })));
    await deliver("statex-logs", [{ body: p.lines(undefined, { from: p.email.toUpperCase(), outcome: "accepted" }) }, { body: p.lines(p.requestId, { chars: 40 }) }]);
    await deliver("statex-notify-dlq", [{ id: `dl-${p.requestId}`, body: p.completed }]);
    // An erasure of an earlier account with the same address, still to be redriven: it must keep what it needs.
    const earlier = createEvent("user.deleted", { userId: "usr_earlier", email: p.email }, { correlationId: "http-earlier", source: "identity" });
    await deliver("statex-intake-dlq", [{ id: `dl-earlier-${p.requestId}`, body: earlier }]);
    expect((await holding(p.email)).length).toBeGreaterThan(3);

    const result = await deliver("statex-logging", [{ body: p.deleted }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);

    for (const needle of [p.name, p.userId]) expect(await holding(needle)).toEqual([]);
    // The one row left with the address: the erasure still to be redriven.
    expect((await holding(p.email)).map((row) => row.id)).toEqual([`statex-intake:dl-earlier-${p.requestId}`]);
    // What happened stays: the events by type and source, the line's message and what says nothing of who.
    expect(await eventData(p.registered.id)).toEqual({ erased: true });
    expect(await eventData(p.welcomed.id)).toEqual({ notificationId: p.welcomed.data.notificationId, channel: "email", template: "welcome", erased: true });
    expect(await eventData(p.deleted.id)).toEqual({ erased: true });
    expect(await count("events", "type = 'user.deleted' and id = ?", p.deleted.id)).toBe(1);
    const line = await env.DB.prepare("select msg, fields from logs where correlation_id is null and fields like '%accepted%'").first<{ msg: string; fields: string }>();
    expect(line).toEqual({ msg: "email received", fields: JSON.stringify({ outcome: "accepted", erased: true }) });
    expect(JSON.parse(String((await deadLetter(`statex-notify:dl-${p.requestId}`))?.body))).toMatchObject({ type: "request.completed", correlationId: p.requestId, data: { requestId: p.requestId }, erased: true });
    // Someone else's request is theirs still.
    expect(await holding(someone.name)).toHaveLength(1);

    const trail = async () => (await env.DB.prepare("select id, data from events order by id").all()).results;
    const before = await trail();
    const again = await deliver("statex-logging", [{ body: p.deleted }], 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await trail()).toEqual(before);
  });
});

describe("request.erased in the audit trail", () => {
  it("anonymises the request's timeline, and what arrives about it afterwards", async () => {
    const p = person();
    await deliver("statex-logging", [{ body: p.created }]);
    await deliver("statex-logs", [{ body: p.lines(p.requestId, { error: { message: `no channel reaches ${p.email}` }, taskId: "nlp" }) }]);
    await deliver("statex-ai-tasks-dlq", [{ id: `dl-task-${p.requestId}`, body: { taskId: "nlp", requestId: p.requestId, kind: "nlp", attempt: 2, input: { text: p.personal[3] } } }]);

    expect((await deliver("statex-logging", [{ body: p.erased }])).explicitAcks).toHaveLength(1);
    // Late: the job's last event, a line shipped after the erasure, a message that exhausted its retries.
    await deliver("statex-logging", [{ body: p.completed }]);
    await deliver("statex-logs", [{ body: p.lines(p.requestId, { recipient: p.email, template: "request-ready" }) }]);
    await deliver("statex-notify-dlq", [{ id: `dl-late-${p.requestId}`, body: p.completed }]);

    for (const needle of p.personal) expect(await holding(needle)).toEqual([]);
    // By type: the test's events were all made at once, so their times need not tell them apart.
    const timeline = await env.DB.prepare("select type, data from events where correlation_id = ? order by type").bind(p.requestId).all<{ type: string; data: string }>();
    expect(timeline.results.map((e) => [e.type, JSON.parse(e.data)])).toEqual([
      ["request.completed", { requestId: p.requestId, resultKey: `results/${p.requestId}/analysis.json`, erased: true }],
      ["request.created", { requestId: p.requestId, channel: "web", files: [], erased: true }],
      ["request.erased", { requestId: p.requestId }],
    ]);
    const lines = await env.DB.prepare("select fields from logs where correlation_id = ? order by id").bind(p.requestId).all<{ fields: string }>();
    expect(lines.results.map((l) => JSON.parse(l.fields))).toEqual([{ taskId: "nlp", erased: true }, { template: "request-ready", erased: true }]);

    // An anonymised dead letter has nothing left to send.
    const send = vi.spyOn(env.REDRIVE_AI_TASKS, "send");
    const refused = await redrive(`statex-ai-tasks:dl-task-${p.requestId}`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ type: "/problems/erased" });
    expect(send).not.toHaveBeenCalled();
  });
});

describe("redriving a user.deleted dead letter", () => {
  it("sends it whole, then keeps it without the address", async () => {
    const p = person();
    await deliver("statex-intake-dlq", [{ id: `dl-${p.requestId}`, body: p.deleted }]);
    const send = vi.spyOn(env.REDRIVE_INTAKE, "send");
    const res = await redrive(`statex-intake:dl-${p.requestId}`);
    expect(res.status).toBe(200);
    expect(send).toHaveBeenCalledExactlyOnceWith(p.deleted, { contentType: "json" });
    const stored = JSON.parse(String((await deadLetter(`statex-intake:dl-${p.requestId}`))?.body));
    expect(stored.data).toEqual({ userId: p.userId });
    expect(await holding(p.email)).toEqual([]);
  });
});
