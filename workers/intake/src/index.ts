/**
 * intake: takes a client's request, stores it, and publishes request.created
 * exactly once (through the outbox). Reached only through the gateway.
 */
import { createApp } from "@statex/shared/http";
import { outboxCron } from "@statex/shared/relay";
import { requestsRoutes } from "./requests";

export { IntakeApi } from "./api";

const app = createApp<IntakeEnv>("intake");
app.route("/requests", requestsRoutes);

export default {
  fetch: app.fetch,
  // The outbox relay's safety net: sends whatever a crashed or failed send left behind.
  scheduled: outboxCron<IntakeEnv>("intake"),
} satisfies ExportedHandler<IntakeEnv>;
