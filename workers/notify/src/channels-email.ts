/**
 * Email, by one of two providers chosen by `EMAIL_PROVIDER`: `resend`, a Resend-compatible HTTP API at
 * EMAIL_API_URL (its webhooks report delivery, see webhook-email.ts), or `cloudflare`, Cloudflare Email Service's
 * send_email binding (`EMAIL`, staging and production only), whose acceptance is all the delivery status there is.
 * Both send the same HTML and text, and mail that is not essential carries `List-Unsubscribe` with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), pointing at notify's unsubscribe route.
 */
import { z } from "zod";
import { type Accepted, type Channel, ChannelError, type Outgoing, postJson, retryAfter } from "./channels";
import type { DeliveryEnv } from "./env";

/** The settings of the Resend-compatible email API. */
export type EmailSettings = Pick<DeliveryEnv, "EMAIL_API_URL" | "EMAIL_API_KEY" | "EMAIL_FROM"> & Partial<Pick<DeliveryEnv, "EMAIL_PROVIDER" | "EMAIL">>;

const SendAnswer = z.object({ id: z.string().min(1) });
const ProviderProblem = z.object({ message: z.string() });
/** Resend accepts only these characters in tag values. */
const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

/** The headers a message carries beside its body: the request it is about, and how to unsubscribe. */
function mailHeaders(out: Outgoing): Record<string, string> {
  return {
    ...(out.requestId ? { "X-Request-Id": out.requestId } : {}),
    ...(out.unsubscribeUrl ? { "List-Unsubscribe": `<${out.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
  };
}

/** Email through a Resend-compatible API (`POST {EMAIL_API_URL}/emails`), the notification id as its Idempotency-Key. */
export function resendChannel(settings: Pick<EmailSettings, "EMAIL_API_URL" | "EMAIL_API_KEY" | "EMAIL_FROM">): Channel {
  return {
    name: "email",
    async send(out): Promise<Accepted> {
      const { message, requestId } = out;
      const tags = [
        { name: "template", value: message.template },
        ...(requestId && TAG_VALUE.test(requestId) ? [{ name: "request_id", value: requestId }] : []),
      ];
      const headers = mailHeaders(out);
      const { res, json } = await postJson(
        "email",
        `${settings.EMAIL_API_URL.replace(/\/+$/, "")}/emails`,
        { authorization: `Bearer ${settings.EMAIL_API_KEY}`, "idempotency-key": out.notificationId },
        {
          from: settings.EMAIL_FROM,
          to: [out.to],
          subject: message.subject,
          text: message.text,
          html: message.html,
          tags,
          ...(Object.keys(headers).length ? { headers } : {}),
        },
      );
      if (!res.ok) {
        const detail = ProviderProblem.safeParse(json);
        throw new ChannelError("email", res.status, `email provider answered ${res.status}: ${detail.success ? detail.data.message : "no details"}`, {
          retryAfterSeconds: retryAfter(res.headers.get("retry-after")),
        });
      }
      const answer = SendAnswer.safeParse(json);
      if (!answer.success) throw new ChannelError("email", 502, "email provider answered without a message id");
      return { providerMessageId: answer.data.id, status: "sent" };
    },
  };
}

/**
 * The binding's error codes that refuse a message for good (Email Service's Workers API); any other code (a rate
 * limit, an internal error) is worth another try.
 */
const REFUSED = new Set(["E_VALIDATION_ERROR", "E_FIELD_MISSING", "E_TOO_MANY_RECIPIENTS", "E_SENDER_NOT_VERIFIED", "E_RECIPIENT_NOT_ALLOWED", "E_RECIPIENT_SUPPRESSED", "E_SENDER_DOMAIN_NOT_AVAILABLE", "E_CONTENT_TOO_LARGE", "E_HEADER_NOT_ALLOWED"]);

/** "StateX <hello@statex.app>" as the binding's address object. */
function address(from: string): string | EmailAddress {
  const named = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(from);
  return named?.[1] && named[2] ? { name: named[1], email: named[2] } : from.trim();
}

/** The status a binding error stands for: 429 for a rate limit, 422 for a refusal, 503 for the rest. */
function statusOfCode(code: string): number {
  if (/RATE_LIMIT/.test(code)) return 429;
  return REFUSED.has(code) ? 422 : 503;
}

/**
 * Email through Cloudflare Email Service's send_email binding. It has no idempotency key: a crash between its
 * acceptance and the row's update can send once more, which the Resend path's key rules out.
 */
export function cloudflareEmailChannel(binding: SendEmail, from: string): Channel {
  return {
    name: "email",
    async send(out): Promise<Accepted> {
      const { message } = out;
      try {
        const sent = await binding.send({ from: address(from), to: out.to, subject: message.subject, text: message.text, html: message.html, headers: mailHeaders(out) });
        return { providerMessageId: sent.messageId, status: "delivered" };
      } catch (err) {
        const code: unknown = err instanceof Error ? Reflect.get(err, "code") : undefined;
        const name = typeof code === "string" ? code : "E_UNKNOWN";
        throw new ChannelError("email", statusOfCode(name), `email binding refused (${name}): ${err instanceof Error ? err.message : String(err)}`, { code: name });
      }
    },
  };
}

/** The configured email provider, or undefined when it has no settings. */
export function emailChannel(env: EmailSettings): Channel | undefined {
  if (env.EMAIL_PROVIDER === "cloudflare") return env.EMAIL ? cloudflareEmailChannel(env.EMAIL, env.EMAIL_FROM) : undefined;
  return env.EMAIL_API_URL ? resendChannel(env) : undefined;
}
