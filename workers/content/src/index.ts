/**
 * content: markdown pages with front matter, drafts and publishing, and the
 * rendered pages the site serves. Reached only through the gateway.
 */
import { createApp } from "@statex/shared/http";
import { outboxCron } from "@statex/shared/relay";
import { authoringRoutes } from "./routes/authoring";
import { pagesRoutes, siteRoutes } from "./routes/public";

const app = createApp<ContentEnv>("content");
// Authoring first, so GET /pages/:slug/draft is matched before anything public under /pages.
app.route("/", authoringRoutes);
app.route("/pages", pagesRoutes);
app.route("/site", siteRoutes);

export default {
  fetch: app.fetch,
  /** Every minute: relay what the outbox still holds. */
  scheduled: outboxCron<ContentEnv>("content"),
} satisfies ExportedHandler<ContentEnv>;
