/**
 * From an event to delivered messages, exactly once in effect.
 *
 * Each (event, channel) pair has a deterministic notification id. Its row is written
 * `queued` before the send; a row already `sent` is never sent again; and the id is the
 * provider's Idempotency-Key, so a crash between the send and the row update makes the
 * redelivered send a no-op at the provider. The row update and the `notification.*` event
 * commit together through the outbox (a failed relay is picked up by the outbox cron).
 */
import { type Database, database, schema } from "@statex/shared/db";
import { type Envelope, createEvent } from "@statex/shared/events";
import { sha256Hex } from "@statex/shared/hash";
import { statusToken } from "@statex/shared/tokens";
import type { Logger } from "@statex/shared/logger";
import { outboxInsert, relayEvents } from "@statex/shared/outbox";
import type { BatchItem } from "drizzle-orm/batch";
import { eq, sql } from "drizzle-orm";
import { isErased } from "./erasure";
import { type Channel, type ChannelName, type Recipient, availableChannels, routesFor } from "./channels";
import { type Rendered, type TemplateInput, type TemplateName, render } from "./templates";

/** NotifyEnv with its vars widened to string: what delivery reads, and what a test may point elsewhere. */
export type DeliveryEnv = { [K in keyof NotifyEnv]: NotifyEnv[K] extends string ? string : NotifyEnv[K] };

/** What to tell whom about an event, or undefined when the event needs no message. */
type Plan = { recipient: Recipient; requestId?: string; template: TemplateName; input: TemplateInput };

const requestTemplates = {
  "request.created": "request-received",
  "request.completed": "request-ready",
  "request.failed": "request-failed",
} as const satisfies Record<string, TemplateName>;

async function planFor(event: Envelope, env: DeliveryEnv): Promise<Plan | undefined> {
  const siteUrl = env.SITE_URL.replace(/\/+$/, "");
  const statusUrl = async (id: string) =>
    `${siteUrl}/request.html?id=${encodeURIComponent(id)}&token=${await statusToken(env.STATUS_TOKEN_SECRET, id)}`;
  switch (event.type) {
    case "request.created":
    case "request.completed":
    case "request.failed": {
      const { requestId, contact } = event.data;
      const template = requestTemplates[event.type];
      const summary = event.type === "request.completed" ? { summary: event.data.summary } : {};
      return { recipient: contact, requestId, template, input: { name: contact.name, requestId, siteUrl, statusUrl: await statusUrl(requestId), ...summary } };
    }
    default:
      return undefined;
  }
}

/** The id of the one notification an event causes on a channel, the same on every redelivery. */
export async function notificationId(eventId: string, channel: ChannelName): Promise<string> {
  return `ntf_${(await sha256Hex(`${eventId}:${channel}`)).slice(0, 32)}`;
}

/** One message to one address on one channel, sent at most once: its notification id is the provider's idempotency key. */
export type Delivery = {
  id: string;
  correlationId: string;
  channel: Channel;
  address: string;
  requestId?: string | undefined;
  message: Rendered;
  /** What the notification row keeps as the body when not the message's text (an account email, without its link's token). */
  keptBody?: string;
  /** This delivery's attempt (1 for the first); by default one more than the row has recorded. */
  attempt?: number;
  /** No one will ask again: a failure now marks the notification failed and publishes notification.failed. */
  final: boolean;
};

/**
 * Sends the messages an event calls for on every channel the recipient has. Throws when
 * a send fails, so the queue retries; on the last delivery attempt the failure is final.
 */
export async function notify(event: Envelope, ctx: { env: DeliveryEnv; log: Logger; attempt: number }): Promise<void> {
  const plan = await planFor(event, ctx.env);
  if (!plan) return;
  if (plan.requestId && (await isErased(ctx.env, plan.requestId))) {
    ctx.log.info("request erased, nothing sent", { type: event.type });
    return;
  }
  const message = await render(plan.template, plan.input);
  const routes = routesFor(plan.recipient, availableChannels(ctx.env));
  if (!routes.length) ctx.log.warn("no channel reaches the recipient", { type: event.type, template: plan.template });
  const errors: unknown[] = [];
  // Channels are independent: one failing must not keep the others from being tried.
  for (const { channel, address } of routes) {
    try {
      const id = await notificationId(event.id, channel.name);
      const final = ctx.attempt >= Number(ctx.env.MAX_DELIVERY_ATTEMPTS);
      await deliver({ id, correlationId: event.correlationId, channel, address, requestId: plan.requestId, message, attempt: ctx.attempt, final }, ctx);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length) throw errors[0];
}

/**
 * Sends one message unless its notification was sent already; throws when the channel fails (the caller retries
 * with the same id). Answers whether this call sent it.
 */
export async function deliver(d: Delivery, ctx: { env: DeliveryEnv; log: Logger }): Promise<"sent" | "already-sent"> {
  const db = database(ctx.env.DB);
  const { notifications } = schema;
  const { id } = d;
  const byId = eq(notifications.id, id);
  const existing = await db.select({ status: notifications.status, attempts: notifications.attempts }).from(notifications).where(byId).get();
  if (existing?.status === "sent") {
    ctx.log.info("notification already sent", { notificationId: id });
    return "already-sent";
  }
  if (!existing) {
    const { template, subject, text } = d.message;
    const row = { id, requestId: d.requestId, channel: d.channel.name, recipient: d.address, template, subject };
    await db.insert(notifications).values({ ...row, body: d.keptBody ?? text, status: "queued" }).onConflictDoNothing();
  }
  const meta = { correlationId: d.correlationId, source: "notify" as const };
  const about = { notificationId: id, channel: d.channel.name, ...(d.requestId ? { requestId: d.requestId } : {}) };
  const attempted = sql`${notifications.attempts} + 1`;
  const attempt = d.attempt ?? (existing?.attempts ?? 0) + 1;

  let providerMessageId: string;
  try {
    ({ providerMessageId } = await d.channel.send({ notificationId: id, to: d.address, requestId: d.requestId, message: d.message }));
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
    // After this delivery no one asks again (the queue moves the message to the DLQ): record the failure while it is still ours.
    const failed = d.final ? createEvent("notification.failed", { ...about, error, attempts: attempt }, meta) : undefined;
    const status = d.final ? { status: "failed" as const } : {};
    await commit(db, ctx, db.update(notifications).set({ attempts: attempted, error, ...status }).where(byId), failed);
    ctx.log.warn(d.final ? "notification failed for good" : "notification failed, will retry", { notificationId: id, attempt, error });
    throw err;
  }
  // If this commit fails the message is retried: the row is still queued, and the provider answers the
  // repeated send with the first message's id instead of sending it again (same Idempotency-Key).
  const sent = createEvent("notification.sent", { ...about, recipient: d.address, template: d.message.template }, { ...meta, id: `${id}.sent` });
  const sentAt = new Date().toISOString();
  await commit(db, ctx, db.update(notifications).set({ status: "sent", providerMessageId, sentAt, attempts: attempted, error: null }).where(byId), sent);
  ctx.log.info("notification sent", { notificationId: id, channel: d.channel.name, template: d.message.template });
  return "sent";
}

/** The row update and its event in one D1 batch, then the event on its way. */
async function commit(db: Database, ctx: { env: DeliveryEnv; log: Logger }, update: BatchItem<"sqlite">, event?: Envelope): Promise<void> {
  await db.batch(event ? [update, outboxInsert(db, event)] : [update]);
  if (event) await relayEvents(db, ctx.env, ctx.log, [event]);
}
