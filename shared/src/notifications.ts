/**
 * The words of notify's data that cross worker boundaries: the channels, the kinds of message, the statuses a message
 * goes through and the languages it is written in. The D1 schema, the events and (later) the site's pages read these
 * lists, so none of them can name a status another does not know. No worker-only imports: the site may use it.
 */

/** Where a message can go; LinkedIn has no API for this and becomes a manual task for ops. */
export const NOTIFICATION_CHANNELS = ["email", "telegram", "whatsapp", "linkedin"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** A step of a ladder: a channel and the recipient's address there. */
export type LadderRung = { channel: NotificationChannel; address: string };

/** What a message is about: a request received, ready or failed, or the account (essential: always by email). */
export const NOTIFICATION_KINDS = ["received", "ready", "failed", "account"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * queued: written, not yet accepted by the provider (being retried); sent: the provider took it; delivered / read: the
 * provider said so (Telegram's and the email binding's acceptance counts as delivered: they report nothing later);
 * failed: refused for good; manual: a task for ops (LinkedIn); skipped: not sent (opted out, or no longer reachable).
 * A status only moves forward: see {@link STATUS_FROM}.
 */
export const NOTIFICATION_STATUSES = ["queued", "sent", "delivered", "read", "failed", "manual", "skipped"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The statuses a message may move to each status from: forward only, so provider reports that arrive late, out of
 * order or twice never move one back. `failed` is reached only before delivery, and nothing leaves it but a manual
 * task's outcome; `manual` ends as ops mark it (done: delivered; skipped).
 */
export const STATUS_FROM: Record<NotificationStatus, readonly NotificationStatus[]> = {
  queued: [],
  sent: ["queued"],
  delivered: ["queued", "sent", "manual"],
  read: ["queued", "sent", "delivered"],
  failed: ["queued", "sent"],
  manual: ["queued"],
  skipped: ["queued", "manual"],
};

/** The languages notify writes in; any other falls back to the first. */
export const NOTIFICATION_LOCALES = ["en", "de"] as const;
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

/** A language tag (`de-AT`, `EN`) as one notify writes in, or English. */
export function notificationLocale(tag: string | null | undefined): NotificationLocale {
  const primary = (tag ?? "").trim().slice(0, 2).toLowerCase();
  return (NOTIFICATION_LOCALES as readonly string[]).includes(primary) ? (primary as NotificationLocale) : "en";
}
