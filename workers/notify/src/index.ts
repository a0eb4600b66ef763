/**
 * notify: tells clients what happened to their requests (received, ready, failed) and
 * welcomes new users, on the channels their contact details allow; records delivery status.
 * Reached over the notify queue and, for status and the dev outbox, through the gateway.
 */
import { consumeEvents } from "@statex/shared/consumer";
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
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
    const single: MessageBatch = {
      queue: batch.queue,
      metadata: batch.metadata,
      messages: [message],
      ackAll: () => message.ack(),
      retryAll: (options) => message.retry(options),
    };
    await consumeEvents(single, {
      consumer: "notify",
      db: env.DB,
      log,
      handle: (event, eventLog) => notify(event, { env, log: eventLog, attempt: message.attempts }),
    });
  }
}

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeNotifyQueue(batch, env),
} satisfies ExportedHandler<DeliveryEnv>;
