/**
 * The event envelope and one zod schema per event type.
 *
 * Every event that crosses a worker boundary is built with {@link createEvent}
 * (which validates on the producer side) and read with {@link parseEvent}
 * (which validates again on the consumer side), so a malformed event is caught
 * where it is made and can never be half-understood where it is read.
 */
import { z } from "zod";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_LOCALES } from "./notifications";

const id = z.string().min(1).max(128);
const requestId = id;

/** How a client reached us; decides where the "received" and "ready" messages go. */
export const Channel = z.enum(["web", "api", "email"]);

/** A phone number as people type one (digits, spaces, brackets, dashes, a leading +): WhatsApp and the phone field. */
export const PhoneNumber = z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, "must be a phone number").meta({ examples: ["+44 20 7946 0958"] });
/** A LinkedIn profile's address: ops open it to send the message by hand. */
export const LinkedinProfile = z.url({ protocol: /^https$/, hostname: /^([a-z]{2,3}\.)?linkedin\.com$/, error: "must be the https address of a LinkedIn profile" }).max(200).meta({ examples: ["https://www.linkedin.com/in/ada-lovelace"] });

/** Contact details of the person behind a request. */
export const Contact = z.object({
  name: z.string().min(1).max(200),
  email: z.email().max(254),
  phone: z.string().max(40).optional(),
  telegram: z.string().max(64).optional(),
  whatsapp: z.string().max(40).optional(),
  /** A LinkedIn profile URL: messages there are a manual task for ops. */
  linkedin: LinkedinProfile.optional(),
});
export type Contact = z.infer<typeof Contact>;

/** The channels to try, in order; unstated: the messaging apps a person gave first, email last. */
export const ChannelOrder = z
  .array(z.enum(NOTIFICATION_CHANNELS))
  .min(1)
  .max(NOTIFICATION_CHANNELS.length)
  .refine((list) => new Set(list).size === list.length, "must not name a channel twice");

/** How a person who sent a request signed out wants to hear about it (an account's own preferences win). */
export const RequestPreferences = z.strictObject({
  channels: ChannelOrder.optional(),
  locale: z.enum(NOTIFICATION_LOCALES).optional(),
});
export type RequestPreferences = z.infer<typeof RequestPreferences>;

/** A file stored in R2 that belongs to a request. */
export const StoredFile = z.object({
  id,
  key: z.string().min(1).max(512),
  name: z.string().min(1).max(255),
  kind: z.enum(["audio", "document"]),
  mime: z.string().min(1).max(127),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type StoredFile = z.infer<typeof StoredFile>;

const NotificationChannel = z.enum(NOTIFICATION_CHANNELS);
const NotificationKind = z.enum(NOTIFICATION_KINDS);

/** The longest first draft request.completed carries: more would make the "ready" email too long to read (or clipped). */
export const REQUEST_DRAFT_MAX = 20_000;

const TaskKind = z.enum(["asr", "docai", "nlp", "prototype"]);
const TaskState = z.enum(["pending", "running", "succeeded", "failed", "cancelled"]);

/** A page or post of the site as content events name it: enough for a consumer to know which pages changed. */
const ContentPage = {
  slug: z.string().min(1).max(200),
  kind: z.enum(["page", "post"]),
  tags: z.array(z.string().min(1).max(100)).max(50),
};
/** Who acted: an author's user id; null only for a page carried over from before authors were recorded. */
const ContentActor = id.nullable();

/** The data schema of every event type in the design, keyed by type. */
export const eventData = {
  "user.registered": z.object({ userId: id, email: z.email(), name: z.string().min(1).max(200) }),
  "user.updated": z.object({ userId: id, fields: z.array(z.string().min(1)).min(1) }),
  /**
   * The account is gone, and with it the person's data everywhere: `email` (trimmed, lower case, as identity keeps
   * it) finds what they submitted signed out too. Consumers need it in clear; logging stores the event without it.
   */
  "user.deleted": z.object({ userId: id, email: z.email().max(254).regex(/^[^A-Z\s]+$/, "must be normalised") }),

  "request.created": z.object({
    requestId,
    channel: Channel,
    contact: Contact,
    text: z.string().max(100_000),
    files: z.array(StoredFile).max(50).default([]),
    userId: id.optional(),
    preferences: RequestPreferences.optional(),
  }),
  "request.processing": z.object({ requestId }),
  "request.completed": z.object({
    requestId,
    contact: Contact,
    summary: z.string().max(10_000),
    /** The first draft's markdown, which the "ready" email shows formatted; absent when there is none or it is longer. */
    draft: z.string().max(REQUEST_DRAFT_MAX).optional(),
    resultKey: z.string().min(1).max(512),
  }),
  "request.failed": z.object({ requestId, contact: Contact, reason: z.string().min(1).max(2_000) }),
  /** The client (status link or owner) or ops stopped the request's job; no result will come. */
  "request.cancelled": z.object({ requestId, by: z.enum(["client", "ops"]) }),
  /**
   * intake anonymised the request (its account was deleted, or it carried that account's email): every worker
   * deletes or anonymises what it holds about it. Only the id travels: the personal data is what is being forgotten.
   */
  "request.erased": z.object({ requestId }),

  "job.created": z.object({
    requestId,
    tasks: z.array(z.object({ id, kind: TaskKind })).min(1),
  }),
  "job.progress": z.object({
    requestId,
    taskId: id,
    kind: TaskKind,
    state: TaskState,
    attempt: z.number().int().min(1),
    done: z.number().int().nonnegative(),
    total: z.number().int().positive(),
  }),
  "job.completed": z.object({ requestId, durationMs: z.number().nonnegative() }),
  "job.failed": z.object({ requestId, reason: z.string().min(1).max(2_000) }),

  /** A channel's provider took a message (for Telegram and the email binding, also all the delivery status there is). */
  "notification.sent": z.object({
    notificationId: id,
    requestId: requestId.optional(),
    channel: NotificationChannel,
    recipient: z.string().min(1).max(254),
    template: z.string().min(1).max(64),
    kind: NotificationKind.optional(),
    /** Which step of the recipient's channel order (0: their first channel). */
    step: z.number().int().nonnegative().optional(),
  }),
  /** A message failed for good on its channel: refused, bounced, or out of retries. The ladder may go on to the next. */
  "notification.failed": z.object({
    notificationId: id,
    requestId: requestId.optional(),
    channel: NotificationChannel,
    error: z.string().min(1).max(2_000),
    attempts: z.number().int().min(1),
    kind: NotificationKind.optional(),
  }),
  /** The provider reported the message delivered (or read, which implies it); published once per message. */
  "notification.delivered": z.object({
    notificationId: id,
    requestId: requestId.optional(),
    channel: NotificationChannel.optional(),
    kind: NotificationKind.optional(),
  }),
  /**
   * notify's own timer, on its own queue only (sent with a delay, never through the outbox): look at a ladder again,
   * because a message's delivery window ended or a step failed for good, and go on to the next channel if no one was
   * reached. Carries ids only.
   */
  "notification.check": z.object({ ladderId: id, notificationId: id.optional(), requestId: requestId.optional() }),
  /**
   * notify's own timer for one webhook delivery (on its own queue only, never through the outbox): attempt it when
   * due. The one message of a delivery goes back to the queue (Deferred) until the delivery succeeds or fails for
   * good, so its retries never multiply. Carries ids only.
   */
  "webhook.attempt": z.object({ deliveryId: id, requestId }),
  /**
   * notify disabled an integrator's endpoint whose every attempt failed for too long. Written by the update that
   * disabled it (a D1 trigger into notify's outbox, migrations/0014), so the owner's email, which notify's consumer
   * sends on it, survives a notify cut short between the two. Ids only: an endpoint's URL may carry the integrator's
   * token, and logging keeps every event.
   */
  "webhook.endpoint-disabled": z.object({ endpointId: id, userId: id, failingSince: z.string().min(1).max(64) }),

  /**
   * Someone used power: a role grant, a sign-in security event, an ops cancel, retry or redrive, a template change.
   * Logging appends it to the hash-chained audit trail. Written into the acting worker's outbox with the rows it
   * records (some by D1 triggers on those rows, migrations/0011_ops_audit.sql), so the record commits with the act.
   */
  "audit.recorded": z.object({
    action: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, "must be like area.verb").max(64),
    actor: z.object({ id: id.nullable(), role: z.string().max(32).nullable() }),
    target: z.object({ type: z.string().min(1).max(32), id: z.string().min(1).max(256) }),
    change: z.record(z.string(), z.unknown()).nullable(),
  }),

  /** A page or post went live: published now, or its scheduled time came (`scheduled`, `by` who scheduled it). */
  "content.published": z.object({ ...ContentPage, version: z.number().int().min(1), by: ContentActor, scheduled: z.boolean() }),
  /**
   * A live page changed: a newer version replaced it (`republished`), or it was taken off the site and is a draft
   * again (`unpublished`, `version` null). Saving a draft changes nothing anyone sees, so it is no event.
   */
  "content.updated": z.object({ ...ContentPage, version: z.number().int().min(1).nullable(), change: z.enum(["republished", "unpublished"]), by: ContentActor }),
  /** A page and every version of it deleted; `kind` and `tags` are those it was live with (null and [] if it never was). */
  "content.deleted": z.object({ slug: ContentPage.slug, kind: ContentPage.kind.nullable(), tags: ContentPage.tags, by: id }),
} as const;

export type EventType = keyof typeof eventData;
export const eventTypes = Object.keys(eventData) as EventType[];
export type EventData<T extends EventType> = z.infer<(typeof eventData)[T]>;

/** The names of the workers that produce events; `source` on every envelope. */
export const Service = z.enum(["gateway", "identity", "intake", "orchestrator", "ai", "notify", "content", "logging"]);
export type Service = z.infer<typeof Service>;

const envelopeBase = z.object({
  id,
  type: z.enum(eventTypes as [EventType, ...EventType[]]),
  occurredAt: z.iso.datetime(),
  correlationId: id,
  source: Service,
  data: z.unknown(),
});

/** An event of a known type with its data already validated. */
export type Envelope<T extends EventType = EventType> = {
  [K in T]: {
    id: string;
    type: K;
    occurredAt: string;
    correlationId: string;
    source: Service;
    data: EventData<K>;
  };
}[T];

/** Thrown when an event (or its data) does not match its schema. */
export class InvalidEventError extends Error {
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(`invalid event: ${issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
    this.name = "InvalidEventError";
  }
}

/** Validates an unknown value as an envelope and its data against the schema of its type. */
export function parseEvent(value: unknown): Envelope {
  const head = envelopeBase.safeParse(value);
  if (!head.success) throw new InvalidEventError(head.error.issues);
  const data = eventData[head.data.type].safeParse(head.data.data);
  if (!data.success) {
    throw new InvalidEventError(data.error.issues.map((i) => ({ ...i, path: ["data", ...i.path] })));
  }
  return { ...head.data, data: data.data } as Envelope;
}

/** Builds and validates a new event; the id is random unless given (deterministic ids make retries safe). */
export function createEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  meta: { correlationId: string; source: Service; id?: string; occurredAt?: Date },
): Envelope<T> {
  const event = {
    id: meta.id ?? crypto.randomUUID(),
    type,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.correlationId,
    source: meta.source,
    data,
  };
  return parseEvent(event) as Envelope<T>;
}
