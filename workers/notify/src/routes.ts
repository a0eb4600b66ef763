/**
 * notify's HTTP routes: delivery status for ops and, in development only, the local
 * outbox passed through so the gateway can expose it as GET /api/dev/outbox.
 */
import { requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { NOTIFICATION_CHANNELS } from "@statex/shared/notifications";
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";

const OutboxQuery = z.strictObject({
  requestId: z.string().min(1).max(128).optional(),
  to: z.string().min(1).max(254).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  limit: z.string().regex(/^\d{1,4}$/, "must be a whole number").optional(),
});

const StatusQuery = z.strictObject({ requestId: z.string().min(1).max(128) });

export const routes = new Hono<AppEnv<NotifyEnv>>()
  // Who may call: developers on their own machine. Outside development it does not exist.
  .get("/dev/outbox", validate("query", OutboxQuery), async (c) => {
    if (c.env.ENVIRONMENT !== "development" || !c.env.OUTBOX_URL) throw notFound("Route");
    const query = new URLSearchParams(Object.entries(c.req.valid("query")).filter((e): e is [string, string] => e[1] !== undefined));
    let res: Response;
    try {
      res = await fetch(`${c.env.OUTBOX_URL.replace(/\/+$/, "")}/outbox/messages?${query}`);
    } catch {
      throw new ProblemError(502, "outbox-unreachable", "The local outbox is not running (npm run dev starts it)");
    }
    if (!res.ok) throw new ProblemError(502, "outbox-failed", `The local outbox answered ${res.status}`);
    return c.json(await res.json<Record<string, unknown>>());
  })
  // Who may call: ops. The gateway guards it and the route checks the forwarded role again, so a request that
  // reaches the worker over a binding without an ops caller is refused too: recipients are personal data.
  .get("/notifications", requireRole("ops"), validate("query", StatusQuery), async (c) => {
    const { requestId } = c.req.valid("query");
    const n = schema.notifications;
    const rows = await database(c.env.DB)
      .select({
        id: n.id,
        requestId: n.requestId,
        channel: n.channel,
        kind: n.kind,
        locale: n.locale,
        recipient: n.recipient,
        template: n.template,
        subject: n.subject,
        status: n.status,
        step: n.step,
        fallbackFrom: n.fallbackFrom,
        attempts: n.attempts,
        providerMessageId: n.providerMessageId,
        error: n.error,
        createdAt: n.createdAt,
        updatedAt: n.updatedAt,
        sentAt: n.sentAt,
        deliveredAt: n.deliveredAt,
        readAt: n.readAt,
        failedAt: n.failedAt,
      })
      .from(n)
      .where(eq(n.requestId, requestId))
      .orderBy(asc(n.createdAt), asc(n.step), asc(n.id))
      .all();
    return c.json({ requestId, notifications: rows });
  });
