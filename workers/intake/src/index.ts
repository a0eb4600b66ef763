/**
 * intake: takes a client's request, stores it, and publishes request.created
 * exactly once (through the outbox). Reached only through the gateway, and by
 * its queue: a deleted account's requests are erased here.
 */
import { eventsConsumer } from "@statex/shared/consumer";
import { createApp } from "@statex/shared/http";
import { outboxCron } from "@statex/shared/relay";
import { eraseAccount } from "./erasure";
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
  /** `user.deleted` erases the account's requests; other events are not ours to act on. */
  queue: eventsConsumer<IntakeEnv>("intake", async (event, log, env) => {
    if (event.type === "user.deleted") await eraseAccount(event.data, env, log);
    else log.debug("event ignored", { eventId: event.id, type: event.type });
  }),
  // The outbox relay's safety net: sends whatever a crashed or failed send left behind; then storage
  // housekeeping (orphaned files, expired uploads).
  scheduled: outboxCron<IntakeEnv>("intake", housekeeping),
} satisfies ExportedHandler<IntakeEnv>;
