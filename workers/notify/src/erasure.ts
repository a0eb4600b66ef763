/**
 * Forgetting what notify keeps of a person: on user.deleted every message to their address (an account email, and any
 * request's), on request.erased every message about that request on any channel. The rows stay, anonymised: their
 * template, channel, status, attempts and times are what ops count, and a `sent` row is what keeps a redelivered
 * event from sending again. The address, the rendered message, the error (a provider may quote the address) and the
 * provider's message id (its own log links that id to the address) go.
 */
import { database, schema } from "@statex/shared/db";
import type { Envelope } from "@statex/shared/events";
import type { Logger } from "@statex/shared/logger";
import { eq, sql } from "drizzle-orm";

export type ErasureEvent = Envelope<"user.deleted" | "request.erased">;

export function isErasure(event: Envelope): event is ErasureEvent {
  return event.type === "user.deleted" || event.type === "request.erased";
}

/** Anonymises the notifications the event names; idempotent (a second pass blanks what is already blank). */
export async function forget(event: ErasureEvent, env: { DB: D1Database }, log: Logger): Promise<void> {
  const { notifications } = schema;
  const which =
    event.type === "user.deleted"
      ? // Addresses are kept as they were sent to; the event's is lower case.
        sql`lower(${notifications.recipient}) = ${event.data.email}`
      : eq(notifications.requestId, event.data.requestId);
  const blanked = await database(env.DB)
    .update(notifications)
    .set({ recipient: "", subject: null, body: "", error: null, providerMessageId: null })
    .where(which)
    .returning({ id: notifications.id });
  log.info("notifications anonymised", { type: event.type, notifications: blanked.length });
}

/** Whether intake erased this request: nothing more is sent about it (a late "ready" would reach a forgotten person). */
export async function isErased(env: { DB: D1Database }, requestId: string): Promise<boolean> {
  const { requests } = schema;
  const row = await database(env.DB).select({ erasedAt: requests.erasedAt }).from(requests).where(eq(requests.id, requestId)).get();
  return row?.erasedAt != null;
}
