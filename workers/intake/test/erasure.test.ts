import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { USER_ID_HEADER, USER_ROLE_HEADER } from "@statex/shared/auth";
import { database } from "@statex/shared/db";
import { type Envelope, createEvent } from "@statex/shared/events";
import { markSent, outboxInsert } from "@statex/shared/outbox";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { call, form, submitForm, submitJson } from "./call";
import { pdf } from "./files";

type Submitted = { id: string; statusUrl: string };
type RequestRow = Record<string, string | null>;

/** A person with an account, unique to each test, and the user.deleted their account's deletion publishes. */
function person() {
  const tag = crypto.randomUUID().slice(0, 8);
  const userId = `usr_${tag}`;
  const email = `ada.${tag}@example.com`;
  const deleted = createEvent("user.deleted", { userId, email }, { correlationId: `http-${tag}`, source: "identity" });
  return { userId, email, name: `Ada Lovelace ${tag}`, deleted };
}

async function deliver(events: Envelope[], attempts = 1) {
  const batch = createMessageBatch("statex-intake", events.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const requestRow = (id: string) => env.DB.prepare("select * from requests where id = ?").bind(id).first<RequestRow>();
const objectsUnder = async (prefix: string) => (await env.FILES.list({ prefix })).objects.map((o) => o.key);
const outboxCarrying = async (needle: string) =>
  (await env.DB.prepare("select id, type, sent_at from event_outbox where instr(lower(body), lower(?)) > 0").bind(needle).all<{ id: string; type: string; sent_at: string | null }>()).results;

/** Whether any row of the table holds the text, in any column and any case. */
async function tableHolds(table: string, needle: string): Promise<boolean> {
  const { results } = await env.DB.prepare(`select * from ${table}`).all();
  return results.some((row) => JSON.stringify(row).toLowerCase().includes(needle.toLowerCase()));
}

/** A completed resumable upload of one part. */
async function uploaded(name: string, bytes: Uint8Array): Promise<{ id: string; uploadToken: string }> {
  const json = { "content-type": "application/json" };
  const upload = await (await call("/uploads", { method: "POST", headers: json, body: JSON.stringify({ name, size: bytes.byteLength }) })).json<{ id: string; uploadToken: string }>();
  const token = { "x-upload-token": upload.uploadToken };
  expect((await call(`/uploads/${upload.id}/parts/1`, { method: "PUT", headers: token, body: bytes })).status).toBeLessThan(300);
  expect((await call(`/uploads/${upload.id}/complete`, { method: "POST", headers: token })).status).toBe(200);
  return upload;
}

/** Submissions of the person and of someone else, as the site and the API make them. */
async function seed(p: ReturnType<typeof person>) {
  const signedIn = { [USER_ID_HEADER]: p.userId, [USER_ROLE_HEADER]: "client" };
  const text = `I am ${p.name}; we need a booking website.`;
  // Signed in, with a file, the address typed in another case than the account keeps it.
  const mine = await submitForm(form({ name: p.name, email: p.email.toUpperCase(), text, phone: "+351 912 345 678" }, [{ name: `${p.name} brief.pdf`, bytes: pdf(`Brief by ${p.name}`) }]), signedIn);
  // Signed out, with the same address, an idempotency key and a file uploaded ahead (it lives under uploads/).
  const upload = await uploaded(`${p.name} recording.pdf`, pdf(`Notes by ${p.name}`));
  const anonymous = await submitJson(
    { name: p.name, email: p.email, text, telegram: "ada_lovelace", uploadIds: [upload.id], uploadTokens: [upload.uploadToken] },
    { "idempotency-key": `key-${p.userId}` },
  );
  const other = await submitForm(form({ name: "Grace Hopper", email: `grace.${crypto.randomUUID().slice(0, 8)}@example.com`, text: "A dashboard for our fleet." }, [{ name: "fleet.pdf", bytes: pdf("Fleet") }]));
  // Refused as spam (the honeypot), with the same address.
  expect((await submitJson({ name: p.name, email: p.email, text, website: "http://spam.example" })).status).toBe(422);
  // What identity's outbox said of the registration.
  const db = database(env.DB);
  const registered = createEvent("user.registered", { userId: p.userId, email: p.email, name: p.name }, { correlationId: `reg-${p.userId}`, source: "identity" });
  await db.batch([outboxInsert(db, registered)]);
  const ids = await Promise.all(
    [mine, anonymous, other].map(async (res) => {
      expect(res.status, await res.clone().text()).toBe(202);
      return (await res.json<Submitted>()).id;
    }),
  );
  const [mineId = "", anonymousId = "", otherId = ""] = ids;
  return { mine: mineId, anonymous: anonymousId, other: otherId, uploadKey: `uploads/${upload.id}` };
}

describe("user.deleted on intake's queue", () => {
  it("anonymises the account's requests and those sent with its email, deletes their files and the outbox rows that carried them", async () => {
    const p = person();
    const r = await seed(p);
    expect(await objectsUnder(`requests/${r.mine}/`)).toHaveLength(1);
    expect(await env.FILES.head(r.uploadKey)).not.toBeNull();

    const result = await deliver([p.deleted]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);

    for (const id of [r.mine, r.anonymous]) {
      const row = await requestRow(id);
      expect(row).toMatchObject({ id, name: "", email: "", text: "", phone: null, telegram: null, whatsapp: null, user_id: null, idempotency_key: null, idempotency_hash: null });
      expect(row?.erased_at).toEqual(expect.any(String));
      expect(row?.channel).toEqual(expect.any(String));
      expect(await objectsUnder(`requests/${id}/`)).toEqual([]);
      expect(await env.DB.prepare("select count(*) as n from request_files where request_id = ?").bind(id).first()).toEqual({ n: 0 });
      // One request.erased each, relayed, carrying the id only.
      const erased = await env.DB.prepare("select body, sent_at from event_outbox where id = ?").bind(`${id}:request.erased`).first<{ body: string; sent_at: string | null }>();
      expect(JSON.parse(erased?.body ?? "{}").data).toEqual({ requestId: id });
      expect(erased?.sent_at).not.toBeNull();
    }
    expect(await env.FILES.head(r.uploadKey)).toBeNull();
    // Someone else's request is theirs still.
    expect(await requestRow(r.other)).toMatchObject({ name: "Grace Hopper", erased_at: null });
    expect(await objectsUnder(`requests/${r.other}/`)).toHaveLength(1);
    expect((await outboxCarrying(r.other)).map((o) => o.type)).toEqual(["request.created"]);

    // Nothing of the person left in intake's tables, nor in the outbox rows it may read.
    for (const needle of [p.email, p.name, p.userId]) {
      expect(await outboxCarrying(needle)).toEqual([]);
      for (const table of ["requests", "request_files", "uploads", "spam_log"]) expect(await tableHolds(table, needle), `${table} holds ${needle}`).toBe(false);
    }
    expect(await env.DB.prepare("select count(*) as n from spam_log where email is null and excerpt is null").first()).toEqual({ n: 1 });
  });

  it("answers an erased request's status link with 410", async () => {
    const p = person();
    const res = await submitJson({ name: p.name, email: p.email, text: "A shop." });
    const { id, statusUrl } = await res.json<Submitted>();
    await deliver([p.deleted]);
    const status = await call(statusUrl.replace(/^\/api/, ""));
    expect(status.status).toBe(410);
    expect(await status.json()).toMatchObject({ status: 410, title: "Gone", type: "/problems/erased" });
    // Without the token it is as unknown as any id.
    expect((await call(`/requests/${id}`)).status).toBe(404);
  });

  it("changes nothing when the same event comes again, and acks it", async () => {
    const p = person();
    const r = await seed(p);
    await deliver([p.deleted]);
    const before = await requestRow(r.mine);
    const outbox = await env.DB.prepare("select count(*) as n from event_outbox").first();
    const again = await deliver([p.deleted], 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await requestRow(r.mine)).toEqual(before);
    expect(await env.DB.prepare("select count(*) as n from event_outbox").first()).toEqual(outbox);
    const seen = await env.DB.prepare("select count(*) as n from processed_events where consumer = 'intake' and event_id = ?").bind(p.deleted.id).first();
    expect(seen).toEqual({ n: 1 });
  });

  it("retries when storage fails, and a retry after a partial erasure finishes it", async () => {
    const p = person();
    const r = await seed(p);
    // A real D1 failure after the files are gone: the table the rows' batch deletes from is unreachable.
    await env.DB.exec("ALTER TABLE request_files RENAME TO request_files_offline");
    let failed;
    try {
      failed = await deliver([p.deleted]);
    } finally {
      await env.DB.exec("ALTER TABLE request_files_offline RENAME TO request_files");
    }
    expect(failed.retryMessages).toHaveLength(1);
    expect(await requestRow(r.mine)).toMatchObject({ name: p.name, erased_at: null });

    const retried = await deliver([p.deleted], 2);
    expect(retried.explicitAcks).toHaveLength(1);
    expect(await requestRow(r.mine)).toMatchObject({ name: "", erased_at: expect.any(String) });
    expect(await objectsUnder(`requests/${r.mine}/`)).toEqual([]);
  });

  it("ignores events that are not its to act on", async () => {
    const created = createEvent("content.deleted", { slug: "x", kind: null, tags: [], by: "usr_1" }, { correlationId: "c", source: "content" });
    const result = await deliver([created]);
    expect(result.explicitAcks).toHaveLength(1);
  });
});

describe("the user.deleted outbox row", () => {
  it("forgets the email once it is sent, and keeps it while it is not", async () => {
    const p = person();
    const db = database(env.DB);
    await db.batch([outboxInsert(db, p.deleted)]);
    const row = () => env.DB.prepare("select body, sent_at from event_outbox where id = ?").bind(p.deleted.id).first<{ body: string; sent_at: string | null }>();
    expect((await row())?.body).toContain(p.email);
    // What every relay does once the queues took the event (intake itself never publishes user.deleted).
    await markSent(db, [p.deleted.id]);
    const sent = await row();
    expect(sent?.sent_at).not.toBeNull();
    expect(JSON.parse(sent?.body ?? "{}").data).toEqual({ userId: p.userId });
  });
});
