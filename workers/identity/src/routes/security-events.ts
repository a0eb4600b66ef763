/** GET /ops/security-events: what happened to accounts (guesses, locks, refusals, reuse, resets), newest first, for ops. */
import { requireRole } from "@statex/shared/auth";
import { database } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { type AppEnv, validate } from "@statex/shared/http";
import { Hono } from "hono";
import { z } from "zod";
import { listSecurityEvents } from "../security-events";
import { normalizeEmail } from "../users";

const Query = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z-]{0,63}$/, "must be an event kind, such as sign-in-failed").optional(),
  /** The address in clear: it is hashed here, as the events keep it, and never stored or logged. */
  email: z.email("must be an email address").max(254).optional(),
  /** The `next` of the page before. */
  before: z.string().regex(/^sev_[0-9A-Z]{26}$/, "must be the next of a page before").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const securityEventsRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: ops (the gateway checks the same; this holds for a call over a service binding too).
  .get("/", requireRole("ops"), validate("query", Query), async (c) => {
    const { kind, email, before, limit } = c.req.valid("query");
    const emailHash = email === undefined ? undefined : await sha256Hex(normalizeEmail(email));
    const page = await listSecurityEvents(database(c.env.DB), { kind, emailHash, before, limit });
    c.header("cache-control", "no-store");
    return c.json(page);
  });
