/**
 * Recording an act of power for the audit trail from a route: an `audit.recorded` event of the gateway's caller,
 * written to the outbox and relayed after the answer, like every event (logging appends it to the hash chain).
 * Acts recorded with a row of their own (a role grant, a security event, a template version) are written by D1
 * triggers instead (migrations/0011_ops_audit.sql); this is for acts that leave no row, such as an ops retry.
 */
import type { Context } from "hono";
import { callerOf } from "./auth";
import { database } from "./db";
import { type Service, createEvent } from "./events";
import type { AppEnv } from "./http";
import type { LoggerEnv } from "./logger";
import { outboxInsert } from "./outbox";
import { relaySoon } from "./relay";
import type { PublisherEnv } from "./routing";

/** Records that the caller did `action` to `target` (its id is the correlation id: a request's, for its story). */
export async function recordAudit<E extends PublisherEnv & LoggerEnv & { DB: D1Database }>(
  c: Context<AppEnv<E>>,
  source: Service,
  action: string,
  target: { type: string; id: string },
  change: Record<string, unknown> | null = null,
): Promise<void> {
  const caller = callerOf(c.req.raw.headers);
  const actor = { id: caller?.userId ?? null, role: caller?.role ?? null };
  const event = createEvent("audit.recorded", { action, actor, target, change }, { correlationId: target.id, source });
  const db = database(c.env.DB);
  await db.batch([outboxInsert(db, event)]);
  relaySoon(c.executionCtx, db, c.env, c.get("log"), [event]);
}
