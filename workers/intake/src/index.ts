/**
 * intake: takes a client's request, stores it, and publishes request.created
 * exactly once (through the outbox). Reached only through the gateway.
 */
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
import { database } from "@statex/shared/db";
import { relayOutbox } from "@statex/shared/outbox";
import { requestsRoutes } from "./requests";

const app = createApp<Env>("intake");
app.route("/requests", requestsRoutes);

export default {
  fetch: app.fetch,
  /** The outbox relay's safety net: sends whatever a crashed or failed send left behind. */
  async scheduled(_controller, env, ctx) {
    const log = new Logger(env, "intake");
    const result = await relayOutbox(database(env.DB), env, log);
    if (result.sent || result.failed) log.info("outbox relayed", result);
    ctx.waitUntil(log.flush());
  },
} satisfies ExportedHandler<Env>;
