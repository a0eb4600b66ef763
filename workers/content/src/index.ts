/**
 * content: pages and posts written in markdown with front matter, their versions and publishing, images, preview
 * links, search, and the rendered pages the site serves. Reached only through the gateway.
 */
import { database } from "@statex/shared/db";
import { createApp } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
import { outboxCron } from "@statex/shared/relay";
import { mediaRoutes } from "./media";
import { previewRoutes } from "./preview";
import { announceDue } from "./publishing";
import { authoringRoutes } from "./routes/authoring";
import { pagesRoutes, siteRoutes } from "./routes/public";
import { searchRoutes } from "./search";

const app = createApp<ContentEnv>("content");
// Authoring first, so GET /pages/:slug/draft is matched before anything public under /pages.
app.route("/", authoringRoutes);
app.route("/pages", pagesRoutes);
app.route("/site", siteRoutes);
app.route("/media", mediaRoutes);
app.route("/preview", previewRoutes);
app.route("/search", searchRoutes);

const relay = outboxCron<ContentEnv>("content");

export default {
  fetch: app.fetch,
  /**
   * Every minute: announce the pages whose scheduled time came (event, search index, cache purge), then relay what
   * the outbox holds, their events included. The time is the schedule's, so a run is judged by the minute it is for.
   */
  async scheduled(controller, env, ctx) {
    const log = new Logger(env, "content");
    try {
      const scope = { env, ctx, db: database(env.DB), log, correlationId: `cron:${controller.scheduledTime}` };
      const announced = await announceDue(scope, new Date(controller.scheduledTime));
      if (announced) log.info("scheduled pages announced", { announced });
    } finally {
      ctx.waitUntil(log.flush());
    }
    await relay(controller, env, ctx);
  },
} satisfies ExportedHandler<ContentEnv>;
