/** GET /ops/security-events: what happened to accounts (guesses, locks, refusals, reuse, resets), newest first, for ops. */
import { SecurityEventsQuery } from "@statex/shared/api/identity";
import { requireRole } from "@statex/shared/auth";
import { database } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { type AppEnv, validate } from "@statex/shared/http";
import { Hono } from "hono";
import { listSecurityEvents } from "../security-events";
import { normalizeEmail } from "../users";


export const securityEventsRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: ops (the gateway checks the same; this holds for a call over a service binding too).
  .get("/", requireRole("ops"), validate("query", SecurityEventsQuery), async (c) => {
    const { kind, email, before, limit } = c.req.valid("query");
    const emailHash = email === undefined ? undefined : await sha256Hex(normalizeEmail(email));
    const page = await listSecurityEvents(database(c.env.DB), { kind, emailHash, before, limit });
    c.header("cache-control", "no-store");
    return c.json(page);
  });
