// Shared by notify's tests: deliver events as the queue would, read the real local outbox, set up the people and the
// providers a test needs, and call notify's routes.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type Envelope, type EventData, createEvent } from "@statex/shared/events";
import { newId } from "@statex/shared/ids";
import worker, { consumeNotifyQueue } from "../src/index";
import type { DeliveryEnv } from "../src/notifier";
import { type Preferences, savePreferences } from "../src/preferences";

export type OutboxMessage = {
  id: string;
  channel: string;
  to: string[];
  subject: string;
  body: string;
  html: string;
  requestId?: string;
  providerMessageId?: string;
  details?: { type?: string; template?: { name: string; language: { code: string } }; windowOpen?: boolean };
};

/** A fresh request id and contact, so tests sharing the outbox server never see each other's mail. */
export function client(extra: Partial<{ whatsapp: string; telegram: string; linkedin: string; name: string }> = {}) {
  const requestId = newId("req");
  return { requestId, contact: { name: "Ada <Lovelace>", email: `ada.${requestId.toLowerCase()}@example.com`, ...extra } };
}

/** A phone number no other test uses (digits, with a country code). */
export function phone(): string {
  return `49${String(Math.floor(Math.random() * 1e10)).padStart(10, "0")}`;
}

export function requestEvent<T extends "request.created" | "request.completed" | "request.failed">(type: T, data: EventData<T>): Envelope<T> {
  return createEvent(type, data, { correlationId: data.requestId, source: type === "request.created" ? "intake" : "orchestrator" });
}

/**
 * Delivers events in one batch, each as its own message with this delivery attempt. `delays` has, per message, the
 * delay its retry asked for (the queue's result names the retried messages, not their delays).
 */
export async function deliver(events: unknown[], opts: { attempts?: number; env?: DeliveryEnv } = {}) {
  const batch = createMessageBatch(
    "statex-notify",
    events.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: opts.attempts ?? 1, body })),
  );
  const delays: (number | undefined)[] = [];
  const watched: MessageBatch = {
    queue: batch.queue,
    metadata: batch.metadata,
    messages: batch.messages.map((m, i) => ({
      id: m.id,
      timestamp: m.timestamp,
      body: m.body,
      attempts: m.attempts,
      ack: () => m.ack(),
      retry: (options?: QueueRetryOptions) => {
        delays[i] = options?.delaySeconds;
        m.retry(options);
      },
    })),
    ackAll: () => batch.ackAll(),
    retryAll: (options) => batch.retryAll(options),
  };
  const ctx = createExecutionContext();
  await consumeNotifyQueue(watched, opts.env ?? env);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

/** What the local outbox server holds, newest first. */
export async function outbox(query: Record<string, string>): Promise<OutboxMessage[]> {
  const res = await fetch(`${env.OUTBOX_URL}/outbox/messages?${new URLSearchParams(query)}`);
  return (await res.json<{ messages: OutboxMessage[] }>()).messages;
}

export type Row = Record<string, unknown> & { id: string; status: string; channel: string };

export async function notificationRows(requestId: string): Promise<Row[]> {
  const rows = await env.DB.prepare("select * from notifications where request_id = ? order by created_at, step").bind(requestId).all<Row>();
  return rows.results;
}

export async function outboxEvents(type: string) {
  const rows = await env.DB.prepare("select body, sent_at from event_outbox where type = ?").bind(type).all<{ body: string; sent_at: string | null }>();
  return rows.results.map((r) => ({ event: JSON.parse(r.body) as Envelope, sentAt: r.sent_at }));
}

/** A request's preferences, as the account page will save them. */
export function prefer(requestId: string, prefs: Partial<Preferences>): Promise<void> {
  return savePreferences(env.DB, { requestId }, prefs);
}

/** A Telegram chat that wrote to the local bot (a bot cannot write first), linked to the request's messages. */
export async function linkedChat(requestId: string): Promise<string> {
  const chatId = String(Math.floor(Math.random() * 1e9) + 1_000);
  const res = await fetch(`${env.OUTBOX_URL}/telegram/standin/updates`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chatId, text: "/start" }) });
  if (!res.ok) throw new Error(`the local bot answered ${res.status}`);
  await env.DB.prepare("insert into telegram_chats (id, chat_id, request_id) values (?, ?, ?)").bind(`request:${requestId}`, chatId, requestId).run();
  return chatId;
}

/** The client wrote to the business number (the local WhatsApp's window and ours), `hoursAgo` hours ago. */
export async function wroteOnWhatsApp(number: string, hoursAgo = 0): Promise<void> {
  const time = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
  const res = await fetch(`${env.OUTBOX_URL}/whatsapp/standin/inbound`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: number, text: "hi", time }) });
  if (!res.ok) throw new Error(`the local WhatsApp answered ${res.status}`);
  await env.DB.prepare("insert into whatsapp_windows (phone, last_inbound_at) values (?, ?) on conflict (phone) do update set last_inbound_at = excluded.last_inbound_at").bind(number, time).run();
}

/** A provider that answers as each test scripts it (test/scripted-providers.ts), under a key of this test's own. */
export function scripted() {
  const key = crypto.randomUUID();
  const base = `${env.SCRIPTED_PROVIDERS_URL}/${key}`;
  return {
    env: { ...env, EMAIL_API_URL: `${base}/email`, TELEGRAM_API_URL: `${base}/telegram`, WHATSAPP_API_URL: `${base}/whatsapp` } satisfies DeliveryEnv,
    /** The next calls get these answers, in order; after them, success. */
    async script(...answers: { status: number; body?: unknown; headers?: Record<string, string> }[]) {
      await fetch(`${base}/__script`, { method: "POST", body: JSON.stringify({ answers }) });
    },
    async calls(): Promise<{ method: string; path: string; headers: Record<string, string>; body: Record<string, unknown> }[]> {
      return (await (await fetch(`${base}/__calls`)).json<{ calls: [] }>()).calls;
    },
  };
}

/** A queue that keeps what is sent to it, typed as the binding it stands in for: the ladder's delayed checks stay in the test's hands. */
export function recordingQueue() {
  const sent: { body: unknown; delaySeconds: number | undefined }[] = [];
  const metadata = { metrics: { backlogCount: sent.length, backlogBytes: 0 } };
  const queue: Queue = {
    async send(body, options) {
      sent.push({ body, delaySeconds: options?.delaySeconds });
      return { metadata };
    },
    async sendBatch(messages) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds });
      return { metadata };
    },
    async metrics() {
      return { backlogCount: 0, backlogBytes: 0 };
    },
  };
  return { queue, sent, checks: () => sent.map((m) => m.body as Envelope<"notification.check">).filter((b) => b.type === "notification.check") };
}

/** Calls one of notify's routes as the gateway would, and waits for what it left running (a bot's reply). */
export async function call(path: string, init: RequestInit = {}, environment: DeliveryEnv = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://notify${path}`, init), environment, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/**
 * A "received" message sent on WhatsApp through a scripted provider, its ladder's checks kept in the test's hands:
 * the request, its row, the provider's message id, the env that sent it, the checks asked for, and the provider.
 */
export async function sentOnWhatsApp() {
  const { requestId, contact } = client({ whatsapp: phone() });
  const provider = scripted();
  const { queue, checks } = recordingQueue();
  const withQueue = { ...provider.env, Q_NOTIFY: queue };
  await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })], { env: withQueue });
  const [row] = await notificationRows(requestId);
  return { requestId, row, id: String(row?.provider_message_id), withQueue, checks, provider };
}

/** The database with the first write matching `pattern` refused, as D1 refuses one now and then. */
export function refusingOnce(d1: D1Database, pattern: RegExp): D1Database & { refused: () => boolean } {
  let refused = false;
  return {
    prepare(query) {
      if (!refused && pattern.test(query)) {
        refused = true;
        throw new Error("D1_ERROR: write refused");
      }
      return d1.prepare(query);
    },
    batch: (statements) => d1.batch(statements),
    exec: (query) => d1.exec(query),
    withSession: (constraint) => d1.withSession(constraint),
    dump: () => d1.dump(),
    refused: () => refused,
  };
}
