/**
 * notify's part of the public API: the messages sent about a request, a Telegram link for it, and a signed-in
 * client's preferences and Telegram chat. notify validates with these very schemas.
 */
import { z } from "zod";
import { ChannelOrder, LinkedinProfile, PhoneNumber } from "../events";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_LOCALES, NOTIFICATION_STATUSES } from "../notifications";
import { type Operation, json } from "../openapi";
import { RequestParam, Timestamp, TokenQuery } from "./common";

const OptOutKind = z.enum(NOTIFICATION_KINDS).refine((k) => k !== "account", "account mail is essential and always sent");

/** Any of the preferences to change: a field left out keeps its value, null clears it. */
export const PreferencesBody = z.strictObject({
  channels: ChannelOrder.nullable().optional(),
  optOuts: z
    .array(OptOutKind)
    .max(NOTIFICATION_KINDS.length)
    .transform((list) => [...new Set(list)])
    .optional(),
  locale: z.enum(NOTIFICATION_LOCALES).nullable().optional(),
  whatsapp: PhoneNumber.nullable().optional(),
  linkedin: LinkedinProfile.nullable().optional(),
});

const Channel = z.enum(NOTIFICATION_CHANNELS);

/** An account's preferences as its page shows them: what was stated, the order that applies now, the linked chat. */
export const PreferencesView = z.object({
  channels: z.array(Channel).nullable().describe("The order stated; null: the messaging apps given first, email last"),
  order: z.array(Channel).describe("The order a message would follow now"),
  defaultOrder: z.array(Channel),
  optOuts: z.array(z.enum(NOTIFICATION_KINDS)),
  locale: z.enum(NOTIFICATION_LOCALES).nullable(),
  whatsapp: z.string().nullable(),
  linkedin: z.string().nullable(),
  telegramChats: z.array(z.object({ username: z.string().nullable(), linkedAt: Timestamp })),
  available: z.array(Channel).describe("The channels this platform offers"),
});

/** A single-use link to the Telegram bot. */
export const TelegramLink = z.object({ url: z.string(), code: z.string(), expiresAt: Timestamp });

/** The messages sent about a request, oldest first, each address half hidden. */
export const RequestNotifications = z.object({
  requestId: z.string(),
  telegram: z.object({ linked: z.boolean(), offered: z.boolean() }),
  notifications: z.array(
    z.object({
      id: z.string(),
      channel: Channel,
      kind: z.enum(NOTIFICATION_KINDS),
      status: z.enum(NOTIFICATION_STATUSES),
      to: z.string().describe("Where it went, mostly hidden"),
      step: z.number().int().describe("Which step of the channel order (0: the first channel)"),
      fallbackFrom: z.string().nullable(),
      attempts: z.number().int(),
      createdAt: Timestamp,
      sentAt: Timestamp.nullable(),
      deliveredAt: Timestamp.nullable(),
      readAt: Timestamp.nullable(),
      failedAt: Timestamp.nullable(),
    }),
  ),
});

/** The local outbox's filters (development only). */
export const OutboxQuery = z.strictObject({
  requestId: z.string().min(1).max(128).optional(),
  to: z.string().min(1).max(254).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  limit: z.string().regex(/^\d{1,4}$/, "must be a whole number").optional(),
});

const Limit = z
  .string()
  .regex(/^\d{1,3}$/, "must be a whole number")
  .transform(Number)
  .pipe(z.number().int().min(1).max(200, "at most 200"))
  .optional();

/** Ops' list of messages: one request's, oldest first, or by status and channel, newest first in pages. */
export const NotificationsQuery = z.strictObject({
  requestId: z.string().min(1).max(128).optional(),
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  /** The `next` of the page before: rows created before it. */
  before: z.iso.datetime().optional(),
  limit: Limit,
});

export const LinkedinTasksQuery = z.strictObject({ status: z.enum(["open", "done", "skipped"]).default("open"), limit: Limit });
export const LinkedinTaskParam = z.object({ id: z.string().regex(/^ntf_[0-9a-z]{1,64}$/i, "must be a task id") });
export const LinkedinTaskBody = z.strictObject({ outcome: z.enum(["done", "skipped"]) });

/** An unsubscribe link's token (the email's List-Unsubscribe), naming the owner and the kind of message, signed. */
export const UnsubscribeQuery = z.strictObject({ token: z.string().min(1).max(300) });

const UnsubscribeKind = z.object({ unsubscribed: z.enum(NOTIFICATION_KINDS).describe("The kind of message no longer sent") });

/** A delivery report of the email API, as Resend sends it: data.email_id names the message. */
export const EmailReport = z.object({
  type: z.string().describe("email.sent, email.delivered, email.opened, email.bounced move the message on; others are only noted"),
  created_at: z.string().optional(),
  data: z.looseObject({
    email_id: z.string().min(1).max(200),
    bounce: z.looseObject({ message: z.string().optional(), type: z.string().optional() }).optional(),
  }),
});

/** Resend's signature of a report (Svix). */
export const SvixHeaders = z.object({ "svix-id": z.string(), "svix-timestamp": z.string(), "svix-signature": z.string() });

const TelegramChat = z.looseObject({ id: z.union([z.number().int(), z.string()]), type: z.string() });
const TelegramFrom = z.looseObject({ username: z.string().optional(), language_code: z.string().optional() });

/** A Telegram Bot API update: a chat's message (/start <code>, /stop) or the bot being blocked. */
export const TelegramUpdate = z.looseObject({
  update_id: z.number().int(),
  message: z.looseObject({ chat: TelegramChat, from: TelegramFrom.optional(), text: z.string().optional() }).optional(),
  my_chat_member: z.looseObject({ chat: TelegramChat, new_chat_member: z.looseObject({ status: z.string() }) }).optional(),
});

/** The secret token the bot's webhook was set with, which Telegram sends back. */
export const TelegramHeaders = z.object({ "x-telegram-bot-api-secret-token": z.string() });

/** WhatsApp's seconds since the epoch, as a string or a number. */
const Epoch = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()]).transform((s) => new Date(Number(s) * 1_000).toISOString());

const WhatsappValue = z.looseObject({
  messages: z.array(z.looseObject({ from: z.string().min(1).max(32), id: z.string().optional(), timestamp: Epoch })).optional(),
  statuses: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(200),
        status: z.string().describe("sent, delivered, read and failed move the message on"),
        timestamp: Epoch,
        errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});

/** A WhatsApp Cloud API notification: clients' inbound messages and the statuses of ours. */
export const WhatsappNotification = z.looseObject({
  entry: z.array(z.looseObject({ changes: z.array(z.looseObject({ field: z.string().optional(), value: WhatsappValue })).default([]) })).default([]),
});

/** Meta's signature of the body (HMAC-SHA256 under the app secret). */
export const HubHeaders = z.object({ "x-hub-signature-256": z.string() });

/** Meta's verification handshake, setting the webhook up. */
export const WhatsappHandshakeQuery = z.object({ "hub.mode": z.literal("subscribe"), "hub.verify_token": z.string().min(1), "hub.challenge": z.string().min(1) });

/** What a provider's webhook answers: taken (a repeat of a delivery acted on already says so). */
const Received = z.object({ received: z.literal(true), duplicate: z.literal(true).optional() });

/** One message and its delivery as ops read it: the recipient in full (ops only), the provider's id, the error. */
export const NotificationRow = z.object({
  id: z.string(),
  eventId: z.string().nullable(),
  requestId: z.string().nullable(),
  userId: z.string().nullable(),
  channel: Channel,
  kind: z.enum(NOTIFICATION_KINDS),
  locale: z.enum(NOTIFICATION_LOCALES),
  recipient: z.string(),
  template: z.string(),
  subject: z.string().nullable(),
  status: z.enum(NOTIFICATION_STATUSES),
  step: z.number().int(),
  fallbackFrom: z.string().nullable(),
  attempts: z.number().int(),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp.nullable(),
  sentAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
  readAt: Timestamp.nullable(),
  failedAt: Timestamp.nullable(),
});
export const Notifications = z.object({
  requestId: z.string().optional().describe("Echoed when one request's messages were asked for"),
  notifications: z.array(NotificationRow),
  next: Timestamp.nullable().describe("The `before` of the next page; null on the last and for one request's list"),
});

const LinkedinStatus = z.enum(["open", "done", "skipped"]);
/** A LinkedIn message for ops to send by hand; its id is its notification's. */
export const LinkedinTasks = z.object({
  tasks: z.array(
    z.object({
      id: z.string(),
      notificationId: z.string(),
      requestId: z.string().nullable(),
      profile: z.string(),
      text: z.string(),
      status: LinkedinStatus,
      createdAt: Timestamp,
      doneBy: z.string().nullable(),
      doneAt: Timestamp.nullable(),
    }),
  ),
});
export const MarkedLinkedinTask = z.object({ id: z.string(), status: LinkedinTaskBody.shape.outcome });

/** What the local outbox holds (development only), newest first, as its stand-in serves it. */
export const Outbox = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      from: z.string().optional(),
      to: z.array(z.string()),
      subject: z.string().optional(),
      body: z.string(),
      html: z.string().optional(),
      requestId: z.string().optional(),
      time: Timestamp,
      status: z.string().optional().describe("The latest of statuses"),
      statuses: z.array(z.object({ status: z.string(), time: Timestamp, detail: z.string().optional() })),
      idempotencyKey: z.string().optional(),
      providerMessageId: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  localServicesUrl: z.string(),
});

/** The operations of notify's client routes, which the gateway's table names row by row. */
export const operations = {
  requestNotifications: { params: RequestParam, query: TokenQuery, responses: { 200: json(RequestNotifications) }, errors: [410] },
  requestTelegramLink: { params: RequestParam, query: TokenQuery, responses: { 201: json(TelegramLink, "Created") }, errors: [409, 410] },
  preferences: { responses: { 200: json(PreferencesView) } },
  savePreferences: { body: PreferencesBody, responses: { 200: json(PreferencesView) } },
  telegramLink: { responses: { 201: json(TelegramLink, "Created") }, errors: [409] },
  unlinkTelegram: { responses: { 200: json(z.object({ unlinked: z.number().int() })) } },
  notifications: { query: NotificationsQuery, responses: { 200: json(Notifications) } },
  linkedinTasks: { query: LinkedinTasksQuery, responses: { 200: json(LinkedinTasks) } },
  markLinkedinTask: { params: LinkedinTaskParam, body: LinkedinTaskBody, responses: { 200: json(MarkedLinkedinTask, "Marked") }, errors: [409] },
  outbox: { query: OutboxQuery, responses: { 200: json(Outbox) } },
  unsubscribePage: { query: UnsubscribeQuery, responses: { 200: { description: "A page asking to confirm, whose button POSTs", type: "text/html" } } },
  unsubscribe: {
    query: UnsubscribeQuery,
    responses: { 200: { ...json(UnsubscribeKind, "Unsubscribed: the kind, to a request accepting application/json; a page saying so otherwise"), type: "text/html" } },
  },
  emailWebhook: { headers: SvixHeaders, body: EmailReport, responses: { 200: json(Received, "Taken, acted on or not understood (never sent again)") }, errors: [413] },
  telegramWebhook: {
    headers: TelegramHeaders,
    body: TelegramUpdate,
    responses: { 200: json(z.object({ ok: z.literal(true), duplicate: z.literal(true).optional() }), "Taken, acted on or not understood (never sent again)") },
    errors: [413],
  },
  whatsappHandshake: { query: WhatsappHandshakeQuery, responses: { 200: { description: "hub.challenge, as it came", type: "text/plain" } }, errors: [403] },
  whatsappWebhook: { headers: HubHeaders, body: WhatsappNotification, responses: { 200: json(z.object({ received: z.literal(true) }), "Taken, acted on or not understood") }, errors: [413] },
} satisfies Record<string, Operation>;
