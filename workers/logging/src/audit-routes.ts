/**
 * The audit trail for ops: its entries, and a walk of the whole chain that says where it breaks. Who may call: ops
 * only (the gateway guards the routes, and each checks the forwarded role again).
 */
import { requireRole } from "@statex/shared/auth";
import { type AppEnv, validate } from "@statex/shared/http";
import type { LoggerEnv } from "@statex/shared/logger";
import { Hono } from "hono";
import { z } from "zod";
import { listAudit, verifyChain } from "./audit";

const AuditQuery = z.strictObject({
  action: z.string().min(1).max(64).optional(),
  actor: z.string().min(1).max(128).optional(),
  target: z.string().min(1).max(256).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const auditRoutes = new Hono<AppEnv<LoggingEnv & LoggerEnv>>()
  .get("/", requireRole("ops"), validate("query", AuditQuery), async (c) => c.json(await listAudit(c.env.DB, c.req.valid("query"))))
  // A broken chain is an answer, not an error: 200 either way, `ok` says which.
  .get("/verify", requireRole("ops"), async (c) => c.json(await verifyChain(c.env.DB)));
