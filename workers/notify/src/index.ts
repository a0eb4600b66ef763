/**
 * notify: tells clients what happened to their requests (received, ready, failed) on the channels their contact
 * details allow, and account holders what happened to their account (email); records delivery status,
 * and forgets the addresses and messages of a deleted account or an erased request.
 * Reached over the notify queue, by identity over RPC for account emails (NotifyApi), and, for status and the dev
 * outbox, through the gateway.
 */
import { batchOf, consumeEvents } from "@statex/shared/consumer";
import type { AccountEmail, AccountEmailSent } from "@statex/shared/account-email";
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
import { WorkerEntrypoint } from "cloudflare:workers";
import { sendAccountEmail } from "./account-emails";
import { forget, isErasure } from "./erasure";
import { type DeliveryEnv, notify } from "./notifier";
import { routes } from "./routes";

const app = createApp<DeliveryEnv>("notify");
app.route("/", routes);

/**
 * Consumes the notify queue. Each message goes through `consumeEvents` on its own because
 * whether a failure is final depends on that message's delivery attempt, which the shared
 * handler signature does not carry.
 */
export async function consumeNotifyQueue(batch: MessageBatch, env: DeliveryEnv): Promise<void> {
  const log = new Logger(env, "notify");
  for (const message of batch.messages) {
    await consumeEvents(batchOf(batch, [message]), {
      consumer: "notify",
      db: env.DB,
      log,
      handle: (event, eventLog) => (isErasure(event) ? forget(event, env, eventLog) : notify(event, { env, log: eventLog, attempt: message.attempts })),
    });
  }
}

/** identity's way to notify: account emails, whose links must not travel in events (see account-emails.ts). */
export class NotifyApi extends WorkerEntrypoint<DeliveryEnv> {
  /** Sends an account email once per idempotency key; rejects when the email API fails, so the caller may retry. */
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
} satisfies ExportedHandler<DeliveryEnv>;
