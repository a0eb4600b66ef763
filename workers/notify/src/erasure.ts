/**
 * Forgetting what notify keeps of a person: on user.deleted every message to their address or account (an account
 * email, and any request's), their preferences, linked Telegram chats, link codes and WhatsApp window; on
 * request.erased every message about that request on any channel, with the request's own preferences, chat, codes,
 * ladders' addresses and values, LinkedIn tasks and the window of the number it was sent to. The notification rows
 * stay, anonymised: their template, kind, channel, status, attempts and times are what ops count, and a row past
 * `queued` is what keeps a redelivered event from sending again. The address, the rendered message, the error (a
 * provider may quote the address) and the provider's message id (its own log links that id to the address) go.
 * A deleted account's webhook endpoints go with their deliveries; an erased request's webhook deliveries go.
 */
import { database, schema } from "@statex/shared/db";
import type { Envelope } from "@statex/shared/events";
import type { Logger } from "@statex/shared/logger";
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";

export type ErasureEvent = Envelope<"user.deleted" | "request.erased">;

export function isErasure(event: Envelope): event is ErasureEvent {
  return event.type === "user.deleted" || event.type === "request.erased";
}

/** Anonymises and deletes what the event names; idempotent (a second pass finds nothing left to forget). */
export async function forget(event: ErasureEvent, env: { DB: D1Database }, log: Logger): Promise<void> {
  const db = database(env.DB);
  const { notifications: n, notificationLadders: l, notificationPreferences: p, telegramChats: t, telegramLinkCodes: c, linkedinTasks: k, whatsappWindows: w, webhookEndpoints: we, webhookDeliveries: wd } = schema;
  const byUser = event.type === "user.deleted";
  const owner = byUser ? { userId: event.data.userId } : { requestId: event.data.requestId };
  const whose = (table: { userId: AnySQLiteColumn; requestId: AnySQLiteColumn }) => ("userId" in owner ? eq(table.userId, owner.userId) : eq(table.requestId, owner.requestId));

  const messages = byUser
    ? // Addresses are kept as they were sent to; the event's is lower case.
      or(sql`lower(${n.recipient}) = ${event.data.email}`, eq(n.userId, event.data.userId))
    : eq(n.requestId, event.data.requestId);
  // The numbers it went to on WhatsApp (and the account's own), whose windows go too.
  const numbers = (await db.select({ phone: n.recipient }).from(n).where(and(messages, eq(n.channel, "whatsapp"))).all()).map((r) => r.phone);
  const stated = await db.select({ whatsapp: p.whatsapp }).from(p).where(whose(p)).get();
  if (stated?.whatsapp) numbers.push(stated.whatsapp.replace(/\D/g, ""));

  const results = await db.batch([
    db.update(n).set({ recipient: "", subject: null, body: "", error: null, providerMessageId: null }).where(messages).returning({ id: n.id }),
    db.update(l).set({ rungs: [], input: {} }).where(whose(l)),
    db.update(k).set({ profile: "", text: "" }).where(whose(k)),
    db.delete(p).where(whose(p)),
    db.delete(t).where(whose(t)),
    db.delete(c).where(whose(c)),
    db.delete(w).where(inArray(w.phone, [...new Set(numbers.filter(Boolean)), ""])),
    byUser ? db.delete(we).where(eq(we.userId, event.data.userId)) : db.delete(wd).where(eq(wd.requestId, event.data.requestId)),
  ]);
  log.info("notifications anonymised", { type: event.type, notifications: results[0].length });
}

/** Whether intake erased this request: nothing more is sent about it (a late "ready" would reach a forgotten person). */
export async function isErased(env: { DB: D1Database }, requestId: string): Promise<boolean> {
  const { requests } = schema;
  const row = await database(env.DB).select({ erasedAt: requests.erasedAt }).from(requests).where(eq(requests.id, requestId)).get();
  return row?.erasedAt != null;
}
