/**
 * Outgoing webhooks' deliveries: one per (endpoint, event), its id derived from both, so a redelivered event writes
 * nothing twice and the `webhook-id` an integrator deduplicates by is the same on every retry and re-send.
 *
 * Each delivery has one `webhook.attempt` message on notify's own queue. Handling it attempts the delivery when due;
 * while the delivery stays pending the same message goes back to the queue ({@link Deferred}) until its next attempt
 * (the schedule in WEBHOOK_RETRY_SCHEDULE, or later when the endpoint's Retry-After asks), so retries never multiply
 * and count against no queue retry limit. The cron's sweep attempts pending deliveries whose message is overdue (a
 * local queue loses delayed messages when wrangler dev reloads). A claim on the row keeps two attempts from running
 * at once, whoever starts them.
 *
 * 2xx succeeds; a 4xx other than 408, 409 and 429, or a URL that became refused, fails the delivery at once; any
 * other answer (a 3xx too: redirects are not followed), a timeout or a network error is retried until the schedule
 * ends. An endpoint that has taken no delivery since its first failure WEBHOOK_DISABLE_AFTER_SECONDS ago is disabled
 * (at its next failed attempt, or by the cron when none comes) and its owner told.
 */
import { Deferred } from "@statex/shared/consumer";
import { type Database, database, schema } from "@statex/shared/db";
import { type Envelope, createEvent, parseEvent } from "@statex/shared/events";
import { sha256Hex } from "@statex/shared/hash";
import type { Logger } from "@statex/shared/logger";
import { relayEvents } from "@statex/shared/outbox";
import type { WebhookHeaders, WebhookPayload } from "@statex/shared/api/webhooks";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@statex/shared/webhooks";
import { and, asc, count, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { sendAccountEmail } from "../account-emails";
import type { DeliveryEnv } from "../env";
import { isErased } from "../erasure";
import { ownerOf } from "../recipients";
import { recordSend } from "../record";
import { signatureHeader, unsealSecret } from "./signing";
import { TargetRefused, checkTarget } from "./target";

type Ctx = { env: DeliveryEnv; log: Logger };
export type Endpoint = typeof schema.webhookEndpoints.$inferSelect;
export type Delivery = typeof schema.webhookDeliveries.$inferSelect;

/** How much of an answer's body an attempt keeps. */
const RESPONSE_BODY_BYTES = 1_024;
/** How overdue a pending delivery must be before the cron attempts it itself (its message is then taken for lost). */
const SWEEP_GRACE_MS = 60_000;
/** Delivery rows one INSERT writes (D1's limit of bound parameters). */
const ROWS_PER_INSERT = 9;
/** The longest wait an endpoint's Retry-After buys: honoured up to a day, so no answer parks a delivery for ever. */
const MAX_RETRY_AFTER_SECONDS = 86_400;
/** The most deliveries one sweep attempts, each waiting for its endpoint at most the timeout. */
const SWEEP_LIMIT = 25;

/** Whether an event is one of those that reach webhooks. */
export function isWebhookEvent(event: Envelope): event is Envelope<WebhookEventType> {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** The delivery of one event to one endpoint: its `webhook-id`. */
export async function deliveryId(endpointId: string, eventId: string): Promise<string> {
  return `msg_${(await sha256Hex(`${eventId}:${endpointId}`)).slice(0, 32)}`;
}

/** Seconds before each attempt (the first is usually 0). */
function schedule(env: DeliveryEnv): number[] {
  return env.WEBHOOK_RETRY_SCHEDULE.split(",").map((s) => Number(s.trim())).filter((n) => Number.isFinite(n) && n >= 0);
}

/** What a delivery says: the event, and where its owner reads the request; nothing of the person behind it. */
export function payloadOf(event: Envelope<WebhookEventType>, env: DeliveryEnv): WebhookPayload {
  const { requestId } = event.data;
  const common = { eventId: event.id, requestId, statusUrl: `${env.SITE_URL.replace(/\/+$/, "")}/api/requests/${encodeURIComponent(requestId)}` };
  const timestamp = event.occurredAt;
  switch (event.type) {
    case "request.processing":
      return { type: event.type, timestamp, data: { ...common, status: "processing" } };
    case "request.completed":
      return { type: event.type, timestamp, data: { ...common, status: "completed" } };
    case "request.failed":
      return { type: event.type, timestamp, data: { ...common, status: "failed", reason: event.data.reason } };
    case "request.cancelled":
      return { type: event.type, timestamp, data: { ...common, status: "cancelled", cancelledBy: event.data.by } };
  }
}

/** The `webhook.attempt` message of a delivery (its id is the delivery's, so a second copy is recognised). */
function attemptMessage(d: Pick<Delivery, "id" | "requestId" | "correlationId">): Envelope<"webhook.attempt"> {
  return createEvent("webhook.attempt", { deliveryId: d.id, requestId: d.requestId }, { correlationId: d.correlationId, source: "notify", id: `${d.id}.attempt` });
}

/**
 * Writes the deliveries of a request event to its owner's enabled endpoints subscribed to its type (once each), and
 * sends each delivery not yet attempted its `webhook.attempt` message.
 */
export async function fanOut(event: Envelope<WebhookEventType>, { env, log }: Ctx): Promise<void> {
  const { requestId } = event.data;
  if (await isErased(env, requestId)) return;
  const owner = await ownerOf(env, requestId);
  if (!owner) return;
  const db = database(env.DB);
  const e = schema.webhookEndpoints;
  const endpoints = (await db.select({ id: e.id, events: e.events }).from(e).where(and(eq(e.userId, owner), eq(e.enabled, true))).all()).filter((x) => x.events.includes(event.type));
  if (!endpoints.length) return;
  const d = schema.webhookDeliveries;
  const payload = JSON.stringify(payloadOf(event, env));
  const now = new Date().toISOString();
  const rows = await Promise.all(
    endpoints.map(async (endpoint) => ({ id: await deliveryId(endpoint.id, event.id), endpointId: endpoint.id, eventId: event.id, eventType: event.type, requestId, correlationId: event.correlationId, payload, nextAttemptAt: now })),
  );
  // D1 binds at most 100 parameters a statement and a row binds 10: an account's 20 endpoints take a few statements.
  const [first, ...rest] = Array.from({ length: Math.ceil(rows.length / ROWS_PER_INSERT) }, (_, i) => db.insert(d).values(rows.slice(i * ROWS_PER_INSERT, (i + 1) * ROWS_PER_INSERT)).onConflictDoNothing());
  if (first) await db.batch([first, ...rest]);
  // Those never attempted (a redelivery after the messages failed to go gets them sent now).
  const waiting = await db.select({ id: d.id, requestId: d.requestId, correlationId: d.correlationId }).from(d).where(and(inArray(d.id, rows.map((r) => r.id)), eq(d.status, "pending"), eq(d.attempts, 0))).all();
  if (waiting.length) await env.Q_NOTIFY.sendBatch(waiting.map((w) => ({ body: attemptMessage(w), contentType: "json" as const })));
  log.info("webhook deliveries written", { type: event.type, endpoints: endpoints.length, queued: waiting.length });
}

/** What an attempt came to. */
export type AttemptResult = { status: Delivery["status"]; statusCode: number | null; error: string | null; nextAttemptAt: string | null };

/**
 * A `webhook.attempt` message: attempts the delivery if due. While it stays pending, throws {@link Deferred} with
 * the wait until its next attempt, which sends this message back to the queue.
 */
export async function onAttemptMessage(deliveryId: string, ctx: Ctx): Promise<void> {
  const result = await attempt(deliveryId, "scheduled", ctx);
  if (result?.status === "pending" && result.nextAttemptAt) {
    throw new Deferred(`webhook delivery ${deliveryId} waits for its next attempt`, Math.max(0, (Date.parse(result.nextAttemptAt) - Date.now()) / 1_000));
  }
}

/**
 * Attempts a delivery once: `scheduled` only when it is pending and due, `manual` (a re-send) whatever its state.
 * Answers what came of it, or undefined when there was nothing to do. A manual attempt changes a delivery's state
 * only by succeeding: it is no step of the schedule.
 */
export async function attempt(id: string, trigger: "scheduled" | "manual", { env, log }: Ctx): Promise<AttemptResult | undefined> {
  const db = database(env.DB);
  const d = schema.webhookDeliveries;
  const e = schema.webhookEndpoints;
  const found = await db.select({ delivery: d, endpoint: e }).from(d).innerJoin(e, eq(e.id, d.endpointId)).where(eq(d.id, id)).get();
  if (!found) return undefined;
  const { delivery, endpoint } = found;
  const now = Date.now();
  if (trigger === "scheduled") {
    if (delivery.status !== "pending") return undefined;
    const due = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : now;
    if (due > now) return { status: "pending", statusCode: null, error: null, nextAttemptAt: delivery.nextAttemptAt };
    if (!endpoint.enabled) {
      await db.update(d).set({ status: "failed", lastError: "the endpoint is disabled", nextAttemptAt: null, updatedAt: new Date(now).toISOString() }).where(and(eq(d.id, id), eq(d.status, "pending")));
      return { status: "failed", statusCode: null, error: "the endpoint is disabled", nextAttemptAt: null };
    }
  }

  const timeoutMs = Number(env.WEBHOOK_TIMEOUT_MS);
  const claimed = await db
    .update(d)
    .set({ claimedUntil: new Date(now + timeoutMs + 10_000).toISOString(), attempts: sql`${d.attempts} + 1` })
    .where(and(eq(d.id, id), or(isNull(d.claimedUntil), lt(d.claimedUntil, new Date(now).toISOString())), trigger === "scheduled" ? eq(d.status, "pending") : undefined))
    .returning({ attempts: d.attempts, claimedUntil: d.claimedUntil })
    .get();
  if (!claimed) {
    // Another attempt is under way: this one comes back after it.
    return { status: "pending", statusCode: null, error: "another attempt is under way", nextAttemptAt: new Date(now + timeoutMs + 10_000).toISOString() };
  }

  const sent = await send(delivery, endpoint, env, timeoutMs);
  const at = new Date(now).toISOString();
  const ok = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
  const refused = sent.refused || (sent.statusCode !== null && sent.statusCode >= 400 && sent.statusCode < 500 && ![408, 409, 429].includes(sent.statusCode));
  let status: Delivery["status"] = delivery.status;
  let nextAttemptAt: string | null = delivery.nextAttemptAt;
  if (ok) {
    status = "succeeded";
    nextAttemptAt = null;
  } else if (trigger === "scheduled") {
    // The schedule's steps count the scheduled attempts alone (this one included): a re-send by hand takes none.
    const a = schema.webhookAttempts;
    const before = await db.select({ n: count() }).from(a).where(and(eq(a.deliveryId, id), eq(a.trigger, "scheduled"))).get();
    const nextDelay = schedule(env)[(before?.n ?? 0) + 1];
    if (refused || nextDelay === undefined) {
      status = "failed";
      nextAttemptAt = null;
    } else {
      nextAttemptAt = new Date(Date.now() + Math.max(nextDelay, Math.min(sent.retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS)) * 1_000).toISOString();
    }
  }
  const updatedAt = new Date().toISOString();
  // The endpoint may already have taken it: a refused write is tried again here, not by sending again (record.ts).
  await recordSend(
    () =>
      db.batch([
        db.insert(schema.webhookAttempts).values({ deliveryId: id, n: claimed.attempts, at, trigger, statusCode: sent.statusCode, latencyMs: sent.latencyMs, responseBody: sent.responseBody, error: sent.error }),
        db.update(d).set({ status, nextAttemptAt, claimedUntil: null, lastStatusCode: sent.statusCode, lastError: sent.error, updatedAt }).where(eq(d.id, id)),
        ok
          ? db.update(e).set({ failingSince: null }).where(eq(e.id, endpoint.id))
          : db.update(e).set({ failingSince: sql`coalesce(${e.failingSince}, ${at})` }).where(eq(e.id, endpoint.id)),
      ]),
    log,
  );
  log.info("webhook attempted", { deliveryId: id, endpointId: endpoint.id, attempt: claimed.attempts, trigger, statusCode: sent.statusCode, latencyMs: sent.latencyMs, status, error: sent.error });
  if (!ok) await disableIfFailingTooLong(db, endpoint.id, { env, log });
  return { status, statusCode: sent.statusCode, error: sent.error, nextAttemptAt };
}

type Sent = { statusCode: number | null; latencyMs: number; responseBody: string | null; error: string | null; retryAfterSeconds?: number; refused?: boolean };

/** One signed POST of the delivery's payload, never following a redirect, given up after the timeout. */
async function send(delivery: Delivery, endpoint: Endpoint, env: DeliveryEnv, timeoutMs: number): Promise<Sent> {
  const checked = Date.now();
  try {
    await checkTarget(endpoint.url, env);
  } catch (err) {
    if (err instanceof TargetRefused) return { statusCode: null, latencyMs: Date.now() - checked, responseBody: null, error: `url refused: ${err.message}`, refused: !err.transient };
    throw err;
  }
  const secrets = [await unsealSecret(env.WEBHOOK_SECRET_KEY, endpoint.id, endpoint.secret)];
  if (endpoint.previousSecret && endpoint.previousSecretUntil && Date.parse(endpoint.previousSecretUntil) > Date.now()) {
    secrets.push(await unsealSecret(env.WEBHOOK_SECRET_KEY, endpoint.id, endpoint.previousSecret));
  }
  const timestamp = Math.floor(Date.now() / 1_000);
  const signed: WebhookHeaders = {
    "webhook-id": delivery.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signatureHeader(secrets, delivery.id, timestamp, delivery.payload),
  };
  const headers = { "content-type": "application/json", "user-agent": "StateX-Webhooks/1.0", ...signed };
  // The latency is the endpoint's alone: from the POST to its answer, not the DNS-over-HTTPS check before it.
  const started = Date.now();
  try {
    const res = await fetch(endpoint.url, { method: "POST", headers, body: delivery.payload, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    const responseBody = await head(res);
    const retryAfterSeconds = retryAfter(res.headers.get("retry-after"));
    return { statusCode: res.status, latencyMs: Date.now() - started, responseBody, error: res.ok ? null : `answered ${res.status}`, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { statusCode: null, latencyMs: Date.now() - started, responseBody: null, error: timedOut ? `no answer within ${timeoutMs} ms` : `network error: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) };
  }
}

/** The first KiB of an answer's body as text; the rest is not read. */
async function head(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes.slice(0, RESPONSE_BODY_BYTES));
}

/** Retry-After in seconds: delta-seconds or an HTTP date. */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1_000));
}

/**
 * An enabled endpoint that has taken no delivery since its first failure, WEBHOOK_DISABLE_AFTER_SECONDS ago, and has
 * no attempt under way: one in flight may yet succeed, and its answer is what decides.
 */
function failingTooLong(env: DeliveryEnv) {
  const e = schema.webhookEndpoints;
  const d = schema.webhookDeliveries;
  const now = new Date().toISOString();
  const cutoff = new Date(Date.now() - Number(env.WEBHOOK_DISABLE_AFTER_SECONDS) * 1_000).toISOString();
  return and(eq(e.enabled, true), lt(e.failingSince, cutoff), sql`not exists (select 1 from ${d} where ${d.endpointId} = ${e.id} and ${d.claimedUntil} > ${now})`);
}

/** Why an endpoint failing too long was switched off; the trigger that writes its event (migrations/0014) names it too. */
const FAILING_TOO_LONG = "every delivery failed for too long";

/**
 * Disables an endpoint that has failed every attempt for long enough. The same update writes the
 * webhook.endpoint-disabled event into the outbox (a D1 trigger), relayed here at once and by the cron otherwise, and
 * its consumer emails the owner (`tellOwnerDisabled`).
 */
async function disableIfFailingTooLong(db: Database, endpointId: string, { env, log }: Ctx): Promise<boolean> {
  const e = schema.webhookEndpoints;
  const disabled = await db
    .update(e)
    .set({ enabled: false, disabledReason: FAILING_TOO_LONG, updatedAt: new Date().toISOString() })
    .where(and(eq(e.id, endpointId), failingTooLong(env)))
    .returning({ id: e.id, failingSince: e.failingSince })
    .get();
  if (!disabled) return false;
  log.warn("webhook endpoint disabled", { endpointId, failingSince: disabled.failingSince });
  const o = schema.eventOutbox;
  const written = await db.select({ body: o.body }).from(o).where(eq(o.id, `whd_${disabled.id}_${disabled.failingSince}`)).get();
  if (written) await relayEvents(db, env, log, [parseEvent(JSON.parse(written.body))]);
  return true;
}

/**
 * A webhook.endpoint-disabled event: emails the endpoint's owner, once however often the event comes (the email's
 * idempotency key is the event's). A failed send throws, so the queue tries again and the last try dead-letters it.
 * An endpoint deleted or enabled again since needs no email; nor does an account that is gone.
 */
export async function tellOwnerDisabled(event: Envelope<"webhook.endpoint-disabled">, { env, log, attempt }: Ctx & { attempt: number }): Promise<void> {
  const { endpointId, userId, failingSince } = event.data;
  const db = database(env.DB);
  const e = schema.webhookEndpoints;
  const endpoint = await db.select({ enabled: e.enabled, url: e.url }).from(e).where(eq(e.id, endpointId)).get();
  if (!endpoint || endpoint.enabled) return;
  const u = schema.users;
  const owner = await db.select({ email: u.email, name: u.name, verified: u.emailVerifiedAt }).from(u).where(eq(u.id, userId)).get();
  if (!owner) return;
  await sendAccountEmail(
    {
      to: owner.email,
      ...(owner.verified ? { name: owner.name } : {}),
      template: "webhook-disabled",
      userId,
      link: "/account.html",
      summary: `Endpoint ${endpointId}: ${endpoint.url}\nFailing since ${failingSince}`,
      idempotencyKey: event.id.slice(0, 128),
      correlationId: event.correlationId,
      final: attempt >= Number(env.MAX_DELIVERY_ATTEMPTS),
    },
    env,
    log,
  );
}

/**
 * The cron's safety net: attempts the pending deliveries whose attempt is overdue by more than a minute (their
 * message lost), a few at a time; and disables the endpoints failing too long that no failed attempt has come to
 * since — one that failed its last delivery's whole schedule and was sent nothing after — so their owners hear of
 * it then, not at some later event.
 */
export async function sweep(ctx: Ctx): Promise<{ attempted: number; disabled: number }> {
  const db = database(ctx.env.DB);
  const attempted = await attemptOverdue(db, ctx);
  const stale = await staleEndpoints(db, ctx.env).all();
  let disabled = 0;
  for (const { id } of stale) if (await disableIfFailingTooLong(db, id, ctx)) disabled++;
  return { attempted, disabled };
}

/** The endpoints the cron disables, a few at a time: through the webhook_endpoints_failing index. */
export function staleEndpoints(db: Database, env: DeliveryEnv) {
  const e = schema.webhookEndpoints;
  return db.select({ id: e.id }).from(e).where(failingTooLong(env)).limit(SWEEP_LIMIT);
}

async function attemptOverdue(db: Database, ctx: Ctx): Promise<number> {
  const d = schema.webhookDeliveries;
  const overdue = new Date(Date.now() - SWEEP_GRACE_MS).toISOString();
  const due = await db
    .select({ id: d.id })
    .from(d)
    .where(and(eq(d.status, "pending"), lt(d.nextAttemptAt, overdue), or(isNull(d.claimedUntil), lt(d.claimedUntil, new Date().toISOString()))))
    .orderBy(asc(d.nextAttemptAt))
    .limit(SWEEP_LIMIT)
    .all();
  await Promise.all(due.map((row) => attempt(row.id, "scheduled", ctx).catch((err: unknown) => ctx.log.error("webhook sweep attempt failed", { deliveryId: row.id, error: err }))));
  return due.length;
}
