// Shared by notify's tests: deliver events as the queue would, and read the real local outbox.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type Envelope, type EventData, createEvent } from "@statex/shared/events";
import { newId } from "@statex/shared/ids";
import worker, { consumeNotifyQueue } from "../src/index";
import type { DeliveryEnv } from "../src/notifier";

export type OutboxMessage = { id: string; channel: string; to: string[]; subject: string; body: string; html: string; requestId?: string };

/** A fresh request id and contact, so tests sharing the outbox server never see each other's mail. */
export function client() {
  const requestId = newId("req");
  return { requestId, contact: { name: "Ada <Lovelace>", email: `ada.${requestId.toLowerCase()}@example.com` } };
}

export function requestEvent<T extends "request.created" | "request.completed" | "request.failed">(type: T, data: EventData<T>): Envelope<T> {
  return createEvent(type, data, { correlationId: data.requestId, source: type === "request.created" ? "intake" : "orchestrator" });
}

/** Delivers events in one batch, each as its own message with this delivery attempt. */
export async function deliver(events: unknown[], opts: { attempts?: number; env?: DeliveryEnv } = {}) {
  const batch = createMessageBatch(
    "statex-notify",
    events.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: opts.attempts ?? 1, body })),
  );
  const ctx = createExecutionContext();
  if (opts.env) await consumeNotifyQueue(batch, opts.env);
  else await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

/** What the local outbox server holds, newest first. */
export async function outbox(query: Record<string, string>): Promise<OutboxMessage[]> {
  const res = await fetch(`${env.OUTBOX_URL}/outbox/messages?${new URLSearchParams(query)}`);
  return (await res.json<{ messages: OutboxMessage[] }>()).messages;
}

export async function notificationRows(requestId: string) {
  const rows = await env.DB.prepare("select * from notifications where request_id = ? order by created_at").bind(requestId).all();
  return rows.results;
}

export async function outboxEvents(type: string) {
  const rows = await env.DB.prepare("select body, sent_at from event_outbox where type = ?").bind(type).all<{ body: string; sent_at: string | null }>();
  return rows.results.map((r) => ({ event: JSON.parse(r.body) as Envelope, sentAt: r.sent_at }));
}
