/** identity's events, tied to the HTTP request that caused them (its id is the correlation id of every log line too). */
import { type Database } from "@statex/shared/db";
import { type Envelope, type EventData, createEvent } from "@statex/shared/events";
import type { AppEnv } from "@statex/shared/http";
import { relaySoon } from "@statex/shared/relay";
import type { Context } from "hono";

type UserEvent = "user.registered" | "user.updated" | "user.deleted";

/** A validated user event whose correlation id is this request's id. */
export function userEvent<T extends UserEvent>(c: Context<AppEnv<IdentityEnv>>, type: T, data: EventData<T>): Envelope<T> {
  return createEvent(type, data, { correlationId: c.get("requestId"), source: "identity" });
}

/** After the batch that wrote the event to the outbox: send it once the answer is out. */
export function relayAfterResponse(c: Context<AppEnv<IdentityEnv>>, db: Database, event: Envelope): void {
  relaySoon(c.executionCtx, db, c.env, c.get("log"), [event]);
}
