/**
 * What a client sees of the messages about their request: each message with its channel and status (the request
 * page lists them), and for someone who gave a Telegram name, the link that binds the bot to the request.
 * Reached by the status-link holder (?token=) or the request's signed-in owner, as the request's status is.
 */
import { callerOf, refuseApiKeys, requireScope } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import type { NotificationChannel } from "@statex/shared/notifications";
import { verifyStatusToken } from "@statex/shared/tokens";
import { RequestParam, TokenQuery } from "@statex/shared/api/common";
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { availableChannels } from "./channels-available";
import type { DeliveryEnv } from "./env";
import { chatFor, createLinkCode } from "./telegram-link";

/**
 * The request, when the caller may see it: its status token or its owner's session. A wrong token, someone else's
 * request and an unknown id answer the same 404, so ids cannot be probed.
 */
async function requestFor(env: DeliveryEnv, headers: Headers, id: string, token: string | undefined) {
  const r = schema.requests;
  const row = await database(env.DB).select({ userId: r.userId, telegram: r.telegram, erasedAt: r.erasedAt }).from(r).where(eq(r.id, id)).get();
  const byToken = token !== undefined && (await verifyStatusToken(env.STATUS_TOKEN_SECRET, id, token));
  const byOwner = row?.userId != null && callerOf(headers)?.userId === row.userId;
  if (!row || !(byToken || byOwner)) throw notFound("Request");
  if (row.erasedAt) throw new ProblemError(410, "erased", "This request's details were deleted with the account that sent it");
  return row;
}

/**
 * An address shown with most of it hidden: a status link can be forwarded, and whoever holds it needs to recognise
 * where a message went, not to learn the address.
 */
export function masked(channel: NotificationChannel, recipient: string): string {
  if (channel === "email") {
    const [local = "", domain = ""] = recipient.split("@");
    return `${local.slice(0, 1)}…@${domain}`;
  }
  if (channel === "whatsapp") return `+…${recipient.replace(/\D/g, "").slice(-3)}`;
  if (channel === "telegram") return "linked chat";
  return "LinkedIn profile";
}

export const requestRoutes = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: the request's status-token holder or its signed-in owner (an API key with requests:read).
  .get("/requests/:id/notifications", requireScope("requests:read"), validate("param", RequestParam), validate("query", TokenQuery), async (c) => {
    const { id } = c.req.valid("param");
    const request = await requestFor(c.env, c.req.raw.headers, id, c.req.valid("query").token);
    const n = schema.notifications;
    const rows = await database(c.env.DB)
      .select({
        id: n.id,
        channel: n.channel,
        kind: n.kind,
        status: n.status,
        recipient: n.recipient,
        step: n.step,
        fallbackFrom: n.fallbackFrom,
        attempts: n.attempts,
        createdAt: n.createdAt,
        sentAt: n.sentAt,
        deliveredAt: n.deliveredAt,
        readAt: n.readAt,
        failedAt: n.failedAt,
      })
      .from(n)
      .where(eq(n.requestId, id))
      .orderBy(asc(n.createdAt), asc(n.step), asc(n.id))
      .all();
    const linked = (await chatFor(c.env, id, request.userId ?? undefined)) !== undefined;
    c.header("cache-control", "private, no-store");
    c.header("vary", "authorization");
    return c.json({
      requestId: id,
      telegram: { linked, offered: Boolean(request.telegram) && !linked && Boolean(availableChannels(c.env).telegram) },
      notifications: rows.map(({ recipient, ...row }) => ({ ...row, to: masked(row.channel, recipient) })),
    });
  })
  // Who may call: the request's status-token holder or its signed-in owner: a single-use link binding the chat that
  // opens it to this request's messages. A person's act: no API key.
  .post("/requests/:id/telegram-link", refuseApiKeys(), validate("param", RequestParam), validate("query", TokenQuery), async (c) => {
    const { id } = c.req.valid("param");
    const request = await requestFor(c.env, c.req.raw.headers, id, c.req.valid("query").token);
    if (!availableChannels(c.env).telegram) throw new ProblemError(409, "telegram-unavailable", "This platform has no Telegram bot configured");
    if (await chatFor(c.env, id, request.userId ?? undefined)) throw new ProblemError(409, "already-linked", "A Telegram chat already receives this request's messages");
    c.header("cache-control", "private, no-store");
    return c.json(await createLinkCode(c.env, { requestId: id }), 201);
  });
