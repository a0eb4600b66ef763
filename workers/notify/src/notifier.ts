/**
 * One message to one address on one channel, sent at most once in effect.
 *
 * Each message has a deterministic id (its event and channel). Its row is written `queued` before the send; a row
 * past `queued` is never sent again; a send claims the row first, so a redelivery racing a retry waits instead of
 * sending beside it; and the id is the provider's Idempotency-Key where the provider has one (the email API), so a
 * crash between the send and the row's update makes the repeated send a no-op there. Telegram, WhatsApp and the email
 * binding have no such key: for them that one crash, between the provider's answer and the row's update, can send
 * twice. The row's update and its `notification.*` events commit together through the outbox.
 *
 * A refusal for good (a 4xx other than 408, 409, 429) fails the message at once; any other failure is retried
 * through the queue, no sooner than the provider asked, until the last delivery attempt, which fails it. A provider
 * whose circuit breaker is open is not called: the send fails as an unreachable provider's would (breakers.ts).
 */
import { Deferred, RetryLater } from "@statex/shared/consumer";
import { type Database, database, schema } from "@statex/shared/db";
import { type Envelope, createEvent } from "@statex/shared/events";
import { sha256Hex } from "@statex/shared/hash";
import type { Logger } from "@statex/shared/logger";
import type { NotificationStatus } from "@statex/shared/notifications";
import { outboxInsert, relayEvents } from "@statex/shared/outbox";
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { sendGuarded } from "./breakers";
import { type Channel, type ChannelName, ChannelError } from "./channels";
import type { DeliveryEnv } from "./env";
import { RECORD_TRIES, recordSend } from "./record";
import type { Rendered } from "./templates";

export type { DeliveryEnv } from "./env";

/** How long a send holds its message: longer than a provider's timeout, so a live send is never doubled. */
const CLAIM_MS = 30_000;

/** The id of the one notification an event causes on a channel, the same on every redelivery. */
export async function notificationId(eventId: string, channel: ChannelName): Promise<string> {
  return `ntf_${(await sha256Hex(`${eventId}:${channel}`)).slice(0, 32)}`;
}

/** One message to one address on one channel. */
export type Delivery = {
  id: string;
  /** The event that caused it (an account email: its idempotency key); every step of one ladder shares it. */
  eventId: string;
  correlationId: string;
  channel: Channel;
  address: string;
  requestId?: string | undefined;
  userId?: string | undefined;
  message: Rendered;
  /** What the row keeps as the body when not the channel's text (an account email, without its link's token). */
  keptBody?: string;
  /** The step of the recipient's channel order, and the notification it fell back from. */
  step?: number;
  fallbackFrom?: string | undefined;
  /** Mail that is not essential: its one-click unsubscribe link. */
  unsubscribeUrl?: string | undefined;
  /** This delivery's attempt (1 for the first); by default one more than the row has recorded. */
  attempt?: number;
  /** No one will ask again: a failure now fails the message for good. */
  final: boolean;
};

/**
 * Where a delivery left its message: its status, whether this call sent it (or marked it failed), and for a
 * failure whether the retries ran out rather than the provider refusing it.
 */
export type Delivered = { status: NotificationStatus; fresh: boolean; exhausted?: boolean };

/** The text a row keeps of a message on its channel. */
function bodyFor(channel: ChannelName, message: Rendered): string {
  if (channel === "telegram") return message.telegram;
  if (channel === "whatsapp") return message.whatsapp;
  return message.text;
}

type Ctx = { env: DeliveryEnv; log: Logger };

/**
 * Sends one message unless it went already. Throws {@link RetryLater} when a failure is worth another try and this
 * is not the last (the queue brings the message back); answers `failed` when it is refused for good or was the last.
 * A row already `failed` is tried again only when asked explicitly (an account email's caller): the ladder never asks.
 */
export async function deliver(d: Delivery, ctx: Ctx): Promise<Delivered> {
  const db = database(ctx.env.DB);
  const { notifications } = schema;
  const { id } = d;
  const byId = eq(notifications.id, id);
  const existing = await db.select({ status: notifications.status }).from(notifications).where(byId).get();
  if (existing && existing.status !== "queued" && existing.status !== "failed") {
    ctx.log.info("notification already sent", { notificationId: id, status: existing.status });
    return { status: existing.status, fresh: false };
  }
  if (!existing) {
    const { template, kind, locale, subject } = d.message;
    await db
      .insert(notifications)
      .values({
        id,
        eventId: d.eventId,
        requestId: d.requestId,
        userId: d.userId,
        channel: d.channel.name,
        kind,
        locale,
        recipient: d.address,
        template,
        subject,
        body: d.keptBody ?? bodyFor(d.channel.name, d.message),
        status: "queued",
        step: d.step ?? 0,
        fallbackFrom: d.fallbackFrom,
      })
      .onConflictDoNothing();
  }

  // The claim: only one delivery of a message sends at a time.
  const now = new Date();
  const claimed = await db
    .update(notifications)
    .set({ claimedUntil: new Date(now.getTime() + CLAIM_MS).toISOString(), attempts: sql`${notifications.attempts} + 1`, updatedAt: now.toISOString() })
    .where(and(byId, inArray(notifications.status, ["queued", "failed"]), or(isNull(notifications.claimedUntil), lt(notifications.claimedUntil, now.toISOString()))))
    .returning({ attempts: notifications.attempts, claimedUntil: notifications.claimedUntil })
    .get();
  if (!claimed) {
    const row = await db.select({ status: notifications.status, claimedUntil: notifications.claimedUntil }).from(notifications).where(byId).get();
    if (row && row.status !== "queued" && row.status !== "failed") return { status: row.status, fresh: false };
    const wait = row?.claimedUntil ? (Date.parse(row.claimedUntil) - now.getTime()) / 1_000 : 1;
    throw new Deferred(`notification ${id} is being sent by another delivery`, wait);
  }

  const meta = { correlationId: d.correlationId, source: "notify" as const };
  const about = { notificationId: id, channel: d.channel.name, kind: d.message.kind, ...(d.requestId ? { requestId: d.requestId } : {}) };
  const attempt = d.attempt ?? claimed.attempts;

  let accepted: Awaited<ReturnType<Channel["send"]>>;
  try {
    const out = { notificationId: id, to: d.address, requestId: d.requestId, userId: d.userId, kind: d.message.kind, message: d.message, unsubscribeUrl: d.unsubscribeUrl };
    accepted = await sendGuarded(d.channel, out, ctx.env, ctx.log);
  } catch (err) {
    if (err instanceof Deferred) {
      // The provider's pace said wait: nothing was tried, so nothing is counted.
      await db.update(notifications).set({ claimedUntil: null, attempts: sql`${notifications.attempts} - 1` }).where(byId);
      throw err;
    }
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
    const refused = err instanceof ChannelError && err.permanent;
    if (refused || d.final) {
      const failedAt = new Date().toISOString();
      const failed = createEvent("notification.failed", { ...about, error, attempts: attempt }, { ...meta, id: `${id}.failed.${attempt}` });
      await commit(db, ctx, db.update(notifications).set({ status: "failed", error, failedAt, updatedAt: failedAt, claimedUntil: null }).where(byId), [failed]);
      ctx.log.warn(refused ? "notification refused for good" : "notification failed for good", { notificationId: id, channel: d.channel.name, attempt, error });
      return { status: "failed", fresh: true, exhausted: !refused };
    }
    await db.update(notifications).set({ error, claimedUntil: null, updatedAt: new Date().toISOString() }).where(byId);
    ctx.log.warn("notification failed, will retry", { notificationId: id, channel: d.channel.name, attempt, error });
    const asked = err instanceof ChannelError ? (err.retryAfterSeconds ?? 0) : 0;
    throw new RetryLater(error, asked, { cause: err });
  }

  // The provider took it, and a send cannot be taken back: a refused write is tried again here (RECORD_TRIES) rather
  // than through the queue, whose redelivery would find the row still queued and send again on a channel without an
  // idempotency key (Telegram, WhatsApp; the chaos run found exactly that). If every try fails the message is
  // retried: the email API then answers the repeated send with the first message's id (same Idempotency-Key).
  const at = new Date().toISOString();
  const events: Envelope[] = [];
  if (accepted.status !== "manual") {
    events.push(createEvent("notification.sent", { ...about, recipient: d.address.slice(0, 254), template: d.message.template, step: d.step ?? 0 }, { ...meta, id: `${id}.sent` }));
  }
  if (accepted.status === "delivered") events.push(createEvent("notification.delivered", about, { ...meta, id: `${id}.delivered` }));
  const set = {
    status: accepted.status,
    providerMessageId: accepted.providerMessageId,
    sentAt: accepted.status === "manual" ? null : at,
    deliveredAt: accepted.status === "delivered" ? at : null,
    updatedAt: at,
    error: null,
    claimedUntil: null,
  };
  await commit(db, ctx, db.update(notifications).set(set).where(byId), events, RECORD_TRIES);
  ctx.log.info("notification sent", { notificationId: id, channel: d.channel.name, template: d.message.template, status: accepted.status });
  return { status: accepted.status, fresh: true };
}

/** A row's update and its events in one D1 batch (tried up to `tries` times, a moment apart), then the events on their way. */
export async function commit(db: Database, ctx: Ctx, update: BatchItem<"sqlite">, events: Envelope[], tries = 1): Promise<void> {
  await recordSend(() => db.batch([update, ...events.map((event) => outboxInsert(db, event))]), ctx.log, tries);
  if (events.length) await relayEvents(db, ctx.env, ctx.log, events);
}
