/**
 * A provider's report about a message it took (an email delivered or bounced, a WhatsApp message delivered, read or
 * failed), applied so that a status only ever moves forward: reports arrive late, out of order and more than once,
 * and each is applied only from the statuses that may precede it (STATUS_FROM), in one conditional update. Reaching
 * `delivered` (or `read` straight away) publishes notification.delivered, once; `failed` publishes
 * notification.failed, and it or `skipped` asks the message's ladder to go on to the next channel now.
 */
import { database, schema } from "@statex/shared/db";
import { type Envelope, createEvent } from "@statex/shared/events";
import type { Logger } from "@statex/shared/logger";
import { type NotificationChannel, type NotificationStatus, STATUS_FROM } from "@statex/shared/notifications";
import { relayEvents } from "@statex/shared/outbox";
import { and, eq } from "drizzle-orm";
import type { DeliveryEnv } from "./env";
import { armCheck } from "./ladder";

/**
 * What a provider reported (or ops, of a LinkedIn task: delivered when done, skipped). `at` is when it happened by
 * the provider's clock (ISO), `error` why it failed.
 */
export type Report = {
  channel: NotificationChannel;
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed" | "skipped";
  at?: string | undefined;
  error?: string | undefined;
};

/** What a report did: moved the message, found it already at or past that status, or found no such message. */
export type Applied = "moved" | "unchanged" | "unknown";

/** Applies a provider's report to its message (see the module's comment). */
export async function applyReport(report: Report, ctx: { env: DeliveryEnv; log: Logger }): Promise<Applied> {
  const db = database(ctx.env.DB);
  const n = schema.notifications;
  const which = and(eq(n.channel, report.channel), eq(n.providerMessageId, report.providerMessageId));
  // Two tries: a report racing another for the same message reads the status again once.
  for (let tries = 0; tries < 2; tries++) {
    const row = await db.select().from(n).where(which).get();
    if (!row) return "unknown";
    if (!STATUS_FROM[report.status].includes(row.status)) return "unchanged";
    const at = report.at ?? new Date().toISOString();
    const now = new Date().toISOString();
    const set = {
      status: report.status as NotificationStatus,
      updatedAt: now,
      ...(report.status === "sent" ? { sentAt: row.sentAt ?? at } : {}),
      // A read message was delivered, whether or not that report came first.
      ...(report.status === "delivered" || report.status === "read" ? { deliveredAt: row.deliveredAt ?? at } : {}),
      ...(report.status === "read" ? { readAt: at } : {}),
      ...(report.status === "failed" ? { failedAt: at, error: (report.error ?? "the provider reported a failure").slice(0, 2_000) } : {}),
    };
    const meta = { correlationId: row.requestId ?? row.eventId ?? row.id, source: "notify" as const };
    const about = { notificationId: row.id, channel: row.channel, kind: row.kind, ...(row.requestId ? { requestId: row.requestId } : {}) };
    const events: Envelope[] = [];
    const wasUndelivered = row.status === "queued" || row.status === "sent";
    if ((report.status === "delivered" || report.status === "read") && wasUndelivered) {
      events.push(createEvent("notification.delivered", about, { ...meta, id: `${row.id}.delivered` }));
    }
    if (report.status === "failed") {
      events.push(createEvent("notification.failed", { ...about, error: set.error ?? "failed", attempts: Math.max(1, row.attempts) }, { ...meta, id: `${row.id}.failed.reported` }));
    }
    // Conditional on the status read, so of two racing reports only one moves it; its events are written in the same
    // batch, each only if the message now has the status it tells of (drizzle's batch takes no INSERT … SELECT).
    const update = db.update(n).set(set).where(and(eq(n.id, row.id), eq(n.status, row.status))).returning({ id: n.id }).toSQL();
    const [moved] = await ctx.env.DB.batch([
      ctx.env.DB.prepare(update.sql).bind(...update.params),
      ...events.map((event) =>
        ctx.env.DB.prepare("insert into event_outbox (id, type, body) select ?, ?, ? where exists (select 1 from notifications where id = ? and status = ?) on conflict do nothing").bind(
          event.id,
          event.type,
          JSON.stringify(event),
          row.id,
          report.status,
        ),
      ),
    ]);
    if (!moved?.results.length) continue;
    if (events.length) await relayEvents(db, ctx.env, ctx.log, events);
    ctx.log.info("notification status reported", { notificationId: row.id, channel: row.channel, from: row.status, to: report.status });
    if ((report.status === "failed" || report.status === "skipped") && row.eventId) {
      const ladder = await db.select({ eventId: schema.notificationLadders.eventId, correlationId: schema.notificationLadders.correlationId, requestId: schema.notificationLadders.requestId }).from(schema.notificationLadders).where(eq(schema.notificationLadders.eventId, row.eventId)).get();
      if (ladder) await armCheck(ladder, row.id, Date.now(), ctx.env, `.${report.status}`);
    }
    return "moved";
  }
  return "unchanged";
}
