/**
 * The audit trail for ops: its entries, and a walk of the whole chain that says where it breaks. Who may call: ops
 * only (the gateway guards the routes, and each checks the forwarded role again).
 */
import { AuditQuery } from "@statex/shared/api/logging";
import { requireRole } from "@statex/shared/auth";
import { type AppEnv, validate } from "@statex/shared/http";
import type { LoggerEnv } from "@statex/shared/logger";
import { Hono } from "hono";
import { listAudit, verifyChain } from "./audit";


export const auditRoutes = new Hono<AppEnv<LoggingEnv & LoggerEnv>>()
  .get("/", requireRole("ops"), validate("query", AuditQuery), async (c) => c.json(await listAudit(c.env.DB, c.req.valid("query"))))
  // A broken chain is an answer, not an error: 200 either way, `ok` says which.
  .get("/verify", requireRole("ops"), async (c) => c.json(await verifyChain(c.env.DB)));
