/**
 * notify: tells clients what happened to their requests (received, ready, failed) on the channels they prefer, down
 * a fallback ladder driven by delivery status, and account holders what happened to their account (by email);
 * records each message's status from the providers' webhooks, and forgets the addresses and messages of a deleted
 * account or an erased request.
 * Sends integrators' webhooks: the request events their endpoints subscribed to, signed (Standard Webhooks) and
 * retried on a schedule (src/outgoing/).
 * Reached over the notify queue (events, and its own delayed `notification.check` and `webhook.attempt`), by identity
 * over RPC for account emails (NotifyApi), through the gateway for the providers' webhooks, the account's webhook
 * endpoints, unsubscribing, ops' status and the dev outbox, and by its cron (its outbox, overdue webhook deliveries).
 */
import { batchOf, consumeEvents } from "@statex/shared/consumer";
import type { AccountEmail, AccountEmailSent } from "@statex/shared/account-email";
import { withWriteFaults } from "@statex/shared/db";
import type { Envelope } from "@statex/shared/events";
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
import { outboxCron } from "@statex/shared/relay";
import { WorkerEntrypoint } from "cloudflare:workers";
import { sendAccountEmail } from "./account-emails";
import type { DeliveryEnv } from "./env";
import { forget, isErasure } from "./erasure";
import { checkLadder, notify } from "./ladder";
import { fanOut, isWebhookEvent, onAttemptMessage, sweep, tellOwnerDisabled } from "./outgoing/deliveries";
import { webhookRoutes } from "./outgoing/routes";
import { routes } from "./routes";
import { meRoutes } from "./routes-me";
import { requestRoutes } from "./routes-request";
import { unsubscribeRoutes } from "./unsubscribe";
import { emailWebhook } from "./webhook-email";
import { telegramWebhook } from "./webhook-telegram";
import { whatsappWebhook } from "./webhook-whatsapp";

export { CircuitBreaker } from "@statex/shared/breaker";
export { Pacer } from "./pacer";

const app = createApp<DeliveryEnv>("notify");
app.route("/", routes);
app.route("/", meRoutes);
app.route("/", requestRoutes);
app.route("/", emailWebhook);
app.route("/", telegramWebhook);
app.route("/", whatsappWebhook);
app.route("/", unsubscribeRoutes);
app.route("/", webhookRoutes);

/** What one message on the notify queue asks for; `attempt` is its delivery attempt (the last one fails for good). */
async function handle(event: Envelope, env: DeliveryEnv, log: Logger, attempt: number): Promise<void> {
  if (isErasure(event)) return forget(event, env, log);
  if (event.type === "notification.check") return checkLadder(event.data.ladderId, { env, log, attempt });
  if (event.type === "webhook.attempt") return onAttemptMessage(event.data.deliveryId, { env, log });
  if (event.type === "webhook.endpoint-disabled") return tellOwnerDisabled(event, { env, log, attempt });
  // Both are idempotent, so a retry of the messages' part writes no second delivery.
  if (isWebhookEvent(event)) await fanOut(event, { env, log });
  return notify(event, { env, log, attempt });
}

/**
 * The cron: relays what notify's outbox still holds (its messages' events, an endpoint's disabling), then attempts
 * the webhook deliveries whose queued attempt is overdue (its message lost) and disables the endpoints failing too
 * long that no attempt has come to.
 */
export const scheduled = outboxCron<DeliveryEnv>("notify", async (_db, env, log) => {
  const { attempted, disabled } = await sweep({ env, log });
  if (attempted) log.info("overdue webhook deliveries attempted", { count: attempted });
  if (disabled) log.info("webhook endpoints failing too long disabled by the cron", { count: disabled });
});

/**
 * Consumes the notify queue. Each message goes through `consumeEvents` on its own because
 * whether a failure is final depends on that message's delivery attempt, which the shared
 * handler signature does not carry.
 */
export async function consumeNotifyQueue(batch: MessageBatch, env: DeliveryEnv): Promise<void> {
  const log = new Logger(env, "notify");
  // In development the handler's writes may be refused on purpose (D1_FAULT_RATE): the queue's retries must absorb them.
  const faulty: DeliveryEnv = { ...env, DB: withWriteFaults(env.DB, env) };
  for (const message of batch.messages) {
    await consumeEvents(batchOf(batch, [message]), {
      consumer: "notify",
      db: env.DB,
      log,
      faults: env,
      handle: (event, eventLog) => handle(event, faulty, eventLog, message.attempts),
      // A pace's wait goes back as a new message: it is no failed attempt, and must not bring the last one nearer.
      requeue: async (body, delaySeconds) => {
        await env.Q_NOTIFY.send(body, { delaySeconds });
      },
    });
  }
}

/** identity's way to notify: account emails, whose links must not travel in events (see account-emails.ts). */
export class NotifyApi extends WorkerEntrypoint<DeliveryEnv> {
  /** Sends an account email once per idempotency key; rejects when it could not be sent, so the caller may retry. */
  async sendAccountEmail(email: AccountEmail): Promise<AccountEmailSent> {
    const log = new Logger(this.env, "notify");
    try {
      return await sendAccountEmail(email, this.env, log);
    } finally {
      this.ctx.waitUntil(log.flush());
    }
  }
}

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeNotifyQueue(batch, env),
  scheduled,
} satisfies ExportedHandler<DeliveryEnv>;
