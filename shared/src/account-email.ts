/**
 * An account email, as identity asks notify to send one over RPC (`NotifyApi.sendAccountEmail`). Never an event:
 * a verification or reset link carries a single-use token, and every event is kept in logging's audit trail.
 */
import { z } from "zod";
import { NOTIFICATION_LOCALES } from "./notifications";

/** The account emails notify knows how to write. */
export const ACCOUNT_TEMPLATES = ["verify-email", "register-attempt", "password-reset", "password-changed", "role-changed", "account-locked", "ops-alert", "webhook-disabled"] as const;
export type AccountTemplate = (typeof ACCOUNT_TEMPLATES)[number];

export const AccountEmail = z.strictObject({
  to: z.email().max(254),
  /**
   * The account's name, given only once its address is verified: until then the name is whatever the person who
   * registered typed, and it must not reach someone else's inbox. Without it the email greets no one by name.
   */
  name: z.string().min(1).max(200).optional(),
  template: z.enum(ACCOUNT_TEMPLATES),
  /** The account it is about: its own language (the account page's choice) wins over `locale`, and the row is theirs. */
  userId: z.string().min(1).max(128).optional(),
  /** The language of the browser that caused it (Accept-Language), for an account that chose none. */
  locale: z.enum(NOTIFICATION_LOCALES).optional(),
  /** A path on the site, with its query (`/verify.html?token=…`): notify puts it on its SITE_URL. */
  link: z
    .string()
    .max(300)
    .regex(/^\/[A-Za-z0-9._~/-]*(\?[A-Za-z0-9._~=&-]*)?$/, "must be a path on the site")
    .optional(),
  /** How long the link works, said in the email. */
  linkValidHours: z.number().int().min(1).max(168).optional(),
  /** What an ops alert says (the logging worker's alert rules: which fired or resolved, and the value); which webhook endpoint was disabled. */
  summary: z.string().min(1).max(2_000).optional(),
  /** When what the email tells of ends (an account's sign-in lock), said in the email. */
  until: z.iso.datetime().optional(),
  /** The same for every try of one email: notify sends it once, however often it is asked. */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_:.-]{16,128}$/, "16 to 128 letters, digits, _ : . -"),
  /** The request that caused it, so its log lines and notification events follow it. */
  correlationId: z.string().min(1).max(128),
  /** The caller will not ask again: a failure now is final, recorded as notification.failed. */
  final: z.boolean().default(false),
});
export type AccountEmail = z.input<typeof AccountEmail>;

/** What notify answers: the notification's id, and whether this call sent it or an earlier one had. */
export type AccountEmailSent = { notificationId: string; status: "sent" | "already-sent" };
