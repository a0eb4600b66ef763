/**
 * Channels: how a rendered message reaches a person. Email is the one built so far;
 * Telegram and WhatsApp are further implementations of {@link Channel}, added to
 * {@link availableChannels} when their API settings exist. Each provider sits behind a
 * base URL, so locally it is the project's own outbox server and in production the real API.
 */
import { z } from "zod";
import type { Rendered } from "./templates";

export type ChannelName = "email" | "telegram" | "whatsapp";

/** Whom to tell: the contact fields a client gave (a channel picks the one it can use). */
export type Recipient = { name: string; email?: string; telegram?: string; whatsapp?: string };

/** One message to one address; `notificationId` doubles as the provider's idempotency key. */
export type Outgoing = { notificationId: string; to: string; requestId?: string; message: Rendered };

export interface Channel {
  readonly name: ChannelName;
  /** The recipient's address on this channel, or undefined when they gave none. */
  addressOf(recipient: Recipient): string | undefined;
  /** Sends, or throws {@link ChannelError}. Sending the same `notificationId` twice delivers once. */
  send(out: Outgoing): Promise<{ providerMessageId: string }>;
}

/**
 * A channel's provider (the email API, later a chat API) refused or failed a send; `status` is its HTTP status (0 when
 * it could not be reached). Not the ai worker's ProviderError, which classifies a failed AI task for its provider chain.
 */
export class ChannelError extends Error {
  constructor(
    readonly channel: ChannelName,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}

/** The settings of the Resend-compatible email API. */
export type EmailSettings = { EMAIL_API_URL: string; EMAIL_API_KEY: string; EMAIL_FROM: string };

const SendAnswer = z.object({ id: z.string().min(1) });
const ProviderProblem = z.object({ message: z.string() });
/** Resend accepts only these characters in tag values. */
const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;
/** A provider that hangs must not hold the queue batch: the retry comes sooner than a long wait would. */
const SEND_TIMEOUT_MS = 15_000;

/** Email through a Resend-compatible API (`POST {EMAIL_API_URL}/emails`). */
export function emailChannel(settings: EmailSettings): Channel {
  return {
    name: "email",
    addressOf: (recipient) => recipient.email,
    async send({ notificationId, to, requestId, message }) {
      const tags = [
        { name: "template", value: message.template },
        ...(requestId && TAG_VALUE.test(requestId) ? [{ name: "request_id", value: requestId }] : []),
      ];
      let res: Response;
      try {
        res = await fetch(`${settings.EMAIL_API_URL.replace(/\/+$/, "")}/emails`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${settings.EMAIL_API_KEY}`,
            "content-type": "application/json",
            "idempotency-key": notificationId,
          },
          body: JSON.stringify({
            from: settings.EMAIL_FROM,
            to: [to],
            subject: message.subject,
            text: message.text,
            html: message.html,
            tags,
            ...(requestId ? { headers: { "X-Request-Id": requestId } } : {}),
          }),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (err) {
        throw new ChannelError("email", 0, `email provider unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const detail = ProviderProblem.safeParse(body);
        throw new ChannelError("email", res.status, `email provider answered ${res.status}: ${detail.success ? detail.data.message : "no details"}`);
      }
      const answer = SendAnswer.safeParse(body);
      if (!answer.success) throw new ChannelError("email", res.status, "email provider answered without a message id");
      return { providerMessageId: answer.data.id };
    },
  };
}

/** The channels that can be used with this configuration (a channel without settings is left out). */
export function availableChannels(settings: EmailSettings): Channel[] {
  return settings.EMAIL_API_URL ? [emailChannel(settings)] : [];
}

/** The channels to tell a recipient on, each with their address there. */
export function routesFor(recipient: Recipient, channels: Channel[]): { channel: Channel; address: string }[] {
  return channels.flatMap((channel) => {
    const address = channel.addressOf(recipient);
    return address ? [{ channel, address }] : [];
  });
}
