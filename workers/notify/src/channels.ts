/**
 * Channels: how a rendered message reaches a person. Each provider sits behind a base URL (or a binding), so locally
 * it is the project's own stand-in and in production the real API: email (a Resend-compatible API, or Cloudflare's
 * send_email binding), Telegram's Bot API, WhatsApp's Cloud API, and LinkedIn as a task for ops. A channel whose
 * settings are missing is not offered (channels-available.ts).
 *
 * A refusal is classified here, once for every provider: a permanent one (4xx other than 408, 409 and 429) fails
 * the message at once; anything else is retried, no sooner than the provider asked (`Retry-After`, Telegram's
 * `retry_after`).
 */
import type { NotificationChannel, NotificationKind } from "@statex/shared/notifications";
import type { Rendered } from "./templates";

export type ChannelName = NotificationChannel;

/** One message to one address; `notificationId` doubles as the provider's idempotency key where it has one. */
export type Outgoing = {
  notificationId: string;
  to: string;
  requestId?: string | undefined;
  userId?: string | undefined;
  kind: NotificationKind;
  message: Rendered;
  /** Mail that is not essential carries a one-click unsubscribe link (RFC 8058). */
  unsubscribeUrl?: string | undefined;
};

/**
 * What a provider answered: its id for the message, and how far that takes the message. `delivered` where the
 * acceptance is all the delivery status the provider will ever give (Telegram, the email binding); `manual` for a
 * task that people carry out (LinkedIn).
 */
export type Accepted = { providerMessageId: string; status: "sent" | "delivered" | "manual" };

export interface Channel {
  readonly name: ChannelName;
  /** Sends, or throws {@link ChannelError} (or RetryLater while the provider's pace says wait). */
  send(out: Outgoing): Promise<Accepted>;
}

/** Whether a provider's HTTP status refuses the message for good: 4xx but 408 (timeout), 409 (busy) and 429 (too many). */
export function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;
}

/**
 * A channel's provider refused or failed a send; `status` is its HTTP status (0 when it could not be reached), or
 * the status its own error code stands for. Not the ai worker's ProviderError, which classifies AI tasks.
 */
export class ChannelError extends Error {
  /** Refused for good: sending it again would be refused again. */
  readonly permanent: boolean;

  /** How long the provider asked us to wait before trying again. */
  readonly retryAfterSeconds: number | undefined;
  /** The provider's own error code, where it has one (WhatsApp's Graph codes, the email binding's). */
  readonly code: number | string | undefined;

  constructor(
    readonly channel: ChannelName,
    readonly status: number,
    message: string,
    details: { retryAfterSeconds?: number | undefined; code?: number | string | undefined } = {},
  ) {
    super(message);
    this.name = "ChannelError";
    this.permanent = isPermanent(status);
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.code = details.code;
  }
}

/**
 * Seconds a `Retry-After` header asks for (a number of seconds, or an HTTP date), or undefined when it says nothing
 * usable.
 */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1_000));
}

/** A provider that hangs must not hold the queue batch: the retry comes sooner than a long wait would. */
export const SEND_TIMEOUT_MS = 15_000;

/**
 * POSTs JSON to a provider and reads its JSON answer; throws {@link ChannelError} when it cannot be reached (status
 * 0). Answers of every status come back, for the channel to read its provider's error shape.
 */
export async function postJson(channel: ChannelName, url: string, headers: Record<string, string>, body: unknown): Promise<{ res: Response; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (err) {
    throw new ChannelError(channel, 0, `${channel} provider unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { res, json: await res.json().catch(() => undefined) };
}
