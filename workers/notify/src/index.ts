/**
 * notify: tells clients what happened to their requests (received, ready, failed) and
 * welcomes new users, on the channels their contact details allow; records delivery status,
 * and forgets the addresses and messages of a deleted account or an erased request.
 * Reached over the notify queue and, for status and the dev outbox, through the gateway.
 */
import { batchOf, consumeEvents } from "@statex/shared/consumer";
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
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

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeNotifyQueue(batch, env),
} satisfies ExportedHandler<DeliveryEnv>;
