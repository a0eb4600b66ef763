/**
 * logging: the platform's memory for ops. Stores every event (the audit trail), every
 * worker's log lines and every message that exhausted its retries, and answers one
 * request's whole timeline by correlation id; forgets a deleted account's person in all of
 * it (erasure.ts). Internal: reached through the gateway.
 */
import { database } from "@statex/shared/db";
import { createApp } from "@statex/shared/http";
import { Logger, type LoggerEnv, errorField } from "@statex/shared/logger";
import { z } from "zod";
import { auditRoutes } from "./audit-routes";
import { classifyQueue, storeDeadLetters, storeEvents, storeLogs } from "./ingest";
import { redriveRoutes } from "./redrive";
import { evaluateAlerts, mailOps } from "./alerts";
import { applyRetention } from "./retention";
import { routes } from "./routes";
import { opsRoutes } from "./ops-routes";
import { searchRoutes } from "./search";
import { storyRoutes } from "./story";

// No Q_LOGS binding: logging's own lines go to the console only, never into the queue it consumes.
const app = createApp<LoggingEnv & LoggerEnv>("logging");
app.route("/", routes);
app.route("/dead-letters", redriveRoutes);
app.route("/audit", auditRoutes);
app.route("/logs", searchRoutes);
app.route("/", opsRoutes);
app.route("/requests", storyRoutes);

/** The hourly cron of infra/topology.mjs; the other, every minute, evaluates the alert rules. */
const RETENTION_CRON = "17 * * * *";

const MaxAttempts = z.record(z.string(), z.number().int().positive());

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    const ctx = { db: database(env.DB), d1: env.DB, log: new Logger({}, "logging"), metrics: env };
    const queue = classifyQueue(batch.queue);
    switch (queue.kind) {
      case "events":
        return storeEvents(batch, ctx);
      case "logs":
        return storeLogs(batch, ctx);
      case "dlq": {
        const max = MaxAttempts.safeParse(JSON.parse(env.MAX_DELIVERY_ATTEMPTS));
        return storeDeadLetters(batch, { ...ctx, origin: queue.origin, maxAttempts: max.success ? max.data[queue.name] : undefined });
      }
      case "unknown":
        // A queue bound to this worker without code for it: keep the messages until a deploy handles them.
        ctx.log.error("no handler for queue", { queue: batch.queue });
        batch.retryAll();
    }
  },
  async scheduled(controller, env) {
    const log = new Logger({}, "logging");
    try {
      if (controller.cron === RETENTION_CRON) await applyRetention(env.DB, env, log);
      else await evaluateAlerts(env, database(env.DB), log, (a) => mailOps(env, a));
    } catch (err) {
      log.error("scheduled run failed", { cron: controller.cron, error: errorField(err) });
      throw err;
    }
  },
} satisfies ExportedHandler<LoggingEnv>;
