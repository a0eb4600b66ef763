/**
 * intake: takes a client's request, stores it, and publishes request.created
 * exactly once (through the outbox). Reached only through the gateway.
 */
import { createApp } from "@statex/shared/http";
import { outboxCron } from "@statex/shared/relay";
import { requestsRoutes } from "./requests";
import { spamRoutes } from "./spam";
import { housekeeping } from "./sweep";
import { uploadRoutes } from "./uploads/routes";
import { watchRoutes } from "./watch";

export { IntakeApi } from "./api";

const app = createApp<IntakeEnv>("intake");
app.route("/requests", watchRoutes);
app.route("/requests", requestsRoutes);
app.route("/uploads", uploadRoutes);
app.route("/spam-log", spamRoutes);

export default {
  fetch: app.fetch,
  // The outbox relay's safety net: sends whatever a crashed or failed send left behind; then storage
  // housekeeping (orphaned files, expired uploads).
  scheduled: outboxCron<IntakeEnv>("intake", housekeeping),
} satisfies ExportedHandler<IntakeEnv>;
