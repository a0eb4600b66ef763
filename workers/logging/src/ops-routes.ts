/**
 * The ops console's views that logging composes: the overview of the metrics, the alerts. Who may call: ops only (the gateway
 * guards the routes, and each checks the forwarded role again).
 */
import { OverviewQuery } from "@statex/shared/api/logging";
import { requireRole } from "@statex/shared/auth";
import { database } from "@statex/shared/db";
import { type AppEnv, validate } from "@statex/shared/http";
import type { LoggerEnv } from "@statex/shared/logger";
import { Hono } from "hono";
import { alertsView } from "./alerts";
import { type AnalyticsEnv, overview } from "./overview";


export const opsRoutes = new Hono<AppEnv<LoggingEnv & LoggerEnv & AnalyticsEnv>>()
  .get("/overview", requireRole("ops"), validate("query", OverviewQuery), async (c) => c.json(await overview(c.env, database(c.env.DB), c.req.valid("query").range)))
  .get("/alerts", requireRole("ops"), async (c) => c.json(await alertsView(database(c.env.DB))));
