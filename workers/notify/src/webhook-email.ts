/**
 * `POST /webhooks/email`: the email API's delivery reports, signed as Resend signs them (Svix; see signatures.ts)
 * and refused with 401 before anything is read when the signature is missing, wrong or older than 5 minutes. Each
 * delivery is acted on once (its svix-id). `email.sent`, `email.delivered`, `email.opened` (read) and
 * `email.bounced` (failed: the ladder moves on) move the message named by `data.email_id` forward;
 * `email.delivery_delayed` is only noted.
 */
import { EmailReport } from "@statex/shared/api/notify";
import { type AppEnv, limitBody } from "@statex/shared/http";
import { Hono } from "hono";
import type { DeliveryEnv } from "./env";
import { verifySvix } from "./signatures";
import { type Report, applyReport } from "./status";
import { WEBHOOK_MAX_BYTES, badSignature, once, readJson } from "./webhook-common";

const STATUS: Record<string, Report["status"]> = { "email.sent": "sent", "email.delivered": "delivered", "email.opened": "read", "email.bounced": "failed" };

function isoOrNow(value: string | undefined): string {
  const at = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? new Date().toISOString() : new Date(at).toISOString();
}

export const emailWebhook = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: the email provider, proven by its signature.
  .post("/webhooks/email", limitBody(WEBHOOK_MAX_BYTES), async (c) => {
    const body = await c.req.text();
    if (!(await verifySvix(c.env.EMAIL_WEBHOOK_SECRET, c.req.raw.headers, body))) throw badSignature();
    const log = c.get("log");
    const parsed = EmailReport.safeParse(readJson(body));
    if (!parsed.success) {
      log.warn("email webhook not understood", { deliveryId: c.req.header("svix-id") });
      return c.json({ received: true });
    }
    const event = parsed.data;
    const acted = await once(c.env.DB, "email", c.req.header("svix-id") ?? "", async () => {
      const status = STATUS[event.type];
      if (!status) {
        log.info("email webhook noted", { type: event.type, providerMessageId: event.data.email_id });
        return;
      }
      const error = status === "failed" ? `bounced${event.data.bounce?.type ? ` (${event.data.bounce.type})` : ""}: ${event.data.bounce?.message ?? "no details"}` : undefined;
      const applied = await applyReport({ channel: "email", providerMessageId: event.data.email_id, status, at: isoOrNow(event.created_at), error }, { env: c.env, log });
      if (applied === "unknown") log.warn("email webhook for an unknown message", { type: event.type, providerMessageId: event.data.email_id });
    });
    return c.json({ received: true, ...(acted ? {} : { duplicate: true }) });
  });
