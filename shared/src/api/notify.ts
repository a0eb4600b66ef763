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

/** The operations of notify's client routes, which the gateway's table names row by row. */
export const operations = {
  requestNotifications: { params: RequestParam, query: TokenQuery, responses: { 200: json(RequestNotifications) }, errors: [410] },
  requestTelegramLink: { params: RequestParam, query: TokenQuery, responses: { 201: json(TelegramLink, "Created") }, errors: [409, 410] },
  preferences: { responses: { 200: json(PreferencesView) } },
  savePreferences: { body: PreferencesBody, responses: { 200: json(PreferencesView) } },
  telegramLink: { responses: { 201: json(TelegramLink, "Created") }, errors: [409] },
  unlinkTelegram: { responses: { 200: json(z.object({ unlinked: z.number().int() })) } },
  notifications: { query: NotificationsQuery },
  linkedinTasks: { query: LinkedinTasksQuery },
  markLinkedinTask: { params: LinkedinTaskParam, body: LinkedinTaskBody, errors: [409] },
  outbox: { query: OutboxQuery },
} satisfies Record<string, Operation>;
