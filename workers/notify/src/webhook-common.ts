/**
 * What every provider's webhook shares: a body size, the one 401, the body read as JSON, and acting once on a
 * delivery. Acting once on a webhook that a provider may deliver more than once (Telegram's update_id, Svix's svix-id): the
 * delivery's id is claimed in processed_events, the table every consumer remembers events in, under the consumer
 * `webhook:<provider>`. A claim whose handling failed is given back, so the provider's retry is acted on.
 */
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { and, eq } from "drizzle-orm";

/** A webhook's body is small; anything larger is not one. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/** The webhook's signature (or secret) is missing or wrong: nothing was read from it and nothing changed. */
export const badSignature = () => new ProblemError(401, "invalid-signature", "The webhook's signature is missing or wrong");

/** A verified body as JSON; a body that is no JSON is the sender's fault (400). */
export function readJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ProblemError(400, "malformed-body", "The request body could not be parsed", [{ field: "body", message: "not JSON" }]);
  }
}

/** Claims a delivery; false when it was claimed before (a repeat). */
export async function claimDelivery(db: D1Database, provider: string, id: string): Promise<boolean> {
  const p = schema.processedEvents;
  const claimed = await database(db).insert(p).values({ consumer: `webhook:${provider}`, eventId: id }).onConflictDoNothing().returning({ id: p.eventId });
  return claimed.length > 0;
}

/** Gives a claim back, after its handling failed. */
export async function releaseDelivery(db: D1Database, provider: string, id: string): Promise<void> {
  const p = schema.processedEvents;
  await database(db).delete(p).where(and(eq(p.consumer, `webhook:${provider}`), eq(p.eventId, id)));
}

/** Runs `handle` once per delivery id: a repeat answers false without running it; a failure gives the claim back. */
export async function once(db: D1Database, provider: string, id: string, handle: () => Promise<void>): Promise<boolean> {
  if (!(await claimDelivery(db, provider, id))) return false;
  try {
    await handle();
  } catch (err) {
    await releaseDelivery(db, provider, id);
    throw err;
  }
  return true;
}
