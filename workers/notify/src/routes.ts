/**
 * notify's HTTP routes for ops (every message's delivery status, the LinkedIn tasks to carry out by hand) and, in
 * development only, the local outbox passed through so the gateway can expose it as GET /api/dev/outbox.
 */
import { LinkedinTaskBody, LinkedinTaskParam, LinkedinTasksQuery, NotificationsQuery, OutboxQuery } from "@statex/shared/api/notify";
import { callerOf, requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import { Hono } from "hono";
import { channelBreakers } from "./breakers";
import type { DeliveryEnv } from "./env";
import { completeLinkedinTask } from "./linkedin-tasks";


export const routes = new Hono<AppEnv<DeliveryEnv>>()
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
  // Who may call: ops (the gateway's /api/ops/breakers/notify guards it; the role is checked again here). Each
  // offered channel's circuit breaker.
  .get("/breakers", requireRole("ops"), async (c) => c.json({ worker: "notify" as const, breakers: await channelBreakers(c.env) }))
  // Who may call: ops. The gateway guards it and the route checks the forwarded role again, so a request that
  // reaches the worker over a binding without an ops caller is refused too: recipients are personal data.
  .get("/notifications", requireRole("ops"), validate("query", NotificationsQuery), async (c) => {
    const { requestId, status, channel, before } = c.req.valid("query");
    // One request's messages are few (its events times the channels tried): all of them, never cut short.
    const limit = requestId ? 1_000 : (c.req.valid("query").limit ?? 50);
    const n = schema.notifications;
    const rows = await database(c.env.DB)
      .select({
        id: n.id,
        eventId: n.eventId,
        requestId: n.requestId,
        userId: n.userId,
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
      .where(
        and(
          requestId ? eq(n.requestId, requestId) : undefined,
          status ? eq(n.status, status) : undefined,
          channel ? eq(n.channel, channel) : undefined,
          before ? lt(n.createdAt, before) : undefined,
        ),
      )
      // One request's messages read as a story, oldest first; a listing across requests is newest first, in pages.
      .orderBy(...(requestId ? [asc(n.createdAt), asc(n.step), asc(n.id)] : [desc(n.createdAt), desc(n.id)]))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const next = rows.length > limit && !requestId ? (page.at(-1)?.createdAt ?? null) : null;
    return c.json({ ...(requestId ? { requestId } : {}), notifications: page, next });
  })
  // Who may call: ops. The messages for LinkedIn, which ops send by hand: the prepared text and the profile.
  .get("/linkedin-tasks", requireRole("ops"), validate("query", LinkedinTasksQuery), async (c) => {
    const { status } = c.req.valid("query");
    const k = schema.linkedinTasks;
    const tasks = await database(c.env.DB)
      .select({ id: k.id, requestId: k.requestId, profile: k.profile, text: k.text, status: k.status, createdAt: k.createdAt, doneBy: k.doneBy, doneAt: k.doneAt })
      .from(k)
      .where(eq(k.status, status))
      // Open tasks oldest first (the queue to work through); marked ones newest first.
      .orderBy(status === "open" ? asc(k.createdAt) : desc(k.doneAt))
      .limit(c.req.valid("query").limit ?? 100)
      .all();
    return c.json({ tasks: tasks.map((t) => ({ ...t, notificationId: t.id })) });
  })
  // Who may call: ops: a LinkedIn message sent by hand (done: delivered) or not sendable (skipped: the next channel).
  .post("/linkedin-tasks/:id", requireRole("ops"), validate("param", LinkedinTaskParam), validate("json", LinkedinTaskBody), async (c) => {
    const { id } = c.req.valid("param");
    const { outcome } = c.req.valid("json");
    const by = callerOf(c.req.raw.headers)?.userId ?? "unknown";
    const applied = await completeLinkedinTask(c.env, c.get("log"), id, outcome, by);
    if (applied === "unknown") throw notFound("LinkedIn task");
    if (applied === "unchanged") throw new ProblemError(409, "already-marked", "This task was marked already");
    return c.json({ id, status: outcome });
  });
