/**
 * The account's webhook endpoints (GET|POST /me/webhooks, GET|PATCH|DELETE /me/webhooks/:id), their secret's
 * rotation, and their deliveries with every attempt, each re-sendable by hand. Who may call: any signed-in user (or
 * an API key with webhooks:write, acting as its owner), for their own endpoints only: another's is 404, as one that
 * does not exist.
 */
import { CreateEndpoint, DeliveriesQuery, DeliveryParam, EndpointParam, PatchEndpoint } from "@statex/shared/api/webhooks";
import { requireRole, requireScope } from "@statex/shared/auth";
import { fromBase64Url, toBase64Url } from "@statex/shared/base64";
import { signedInCaller } from "@statex/shared/caller";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { DeliveryEnv } from "../env";
import { type Endpoint, attempt } from "./deliveries";
import { newSecret, sealSecret } from "./signing";
import { TargetRefused, checkTarget } from "./target";

/** An account holds at most this many endpoints: each event is one delivery per endpoint. */
const MAX_ENDPOINTS = 20;

/** 422 naming `url` when the URL may not be called (SSRF rules), checked before anything is written. */
async function allowedUrl(url: string, env: DeliveryEnv): Promise<void> {
  try {
    await checkTarget(url, env);
  } catch (err) {
    if (err instanceof TargetRefused) throw new ProblemError(422, "url-refused", `The webhook URL ${err.message}`, [{ field: "url", message: err.message }]);
    throw err;
  }
}

/** What the owner sees of an endpoint: never its secret. */
function view(e: Endpoint) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince,
    previousSecretExpiresAt: e.previousSecret && e.previousSecretUntil && Date.parse(e.previousSecretUntil) > Date.now() ? e.previousSecretUntil : null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** The caller's endpoint, or 404 (for one of another account too). */
async function ownEndpoint(env: DeliveryEnv, userId: string, id: string): Promise<Endpoint> {
  const e = schema.webhookEndpoints;
  const row = await database(env.DB).select().from(e).where(and(eq(e.id, id), eq(e.userId, userId))).get();
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

/** A page's position: the last delivery shown (its time and id), opaque to the client. */
const Cursor = z.tuple([z.string(), z.string()]);
function readCursor(cursor: string | undefined): [string, string] | undefined {
  if (!cursor) return undefined;
  try {
    return Cursor.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))));
  } catch {
    throw new ProblemError(400, "validation-error", "Invalid query.cursor", [{ field: "query.cursor", message: "not a cursor this list gave" }]);
  }
}

export const webhookRoutes = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: any signed-in user; the secret is answered here once and never again.
  .post("/me/webhooks", requireRole("client"), requireScope("webhooks:write"), validate("json", CreateEndpoint), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const body = c.req.valid("json");
    await allowedUrl(body.url, c.env);
    const db = database(c.env.DB);
    const e = schema.webhookEndpoints;
    const count = await db.select({ n: sql<number>`count(*)` }).from(e).where(eq(e.userId, userId)).get();
    if ((count?.n ?? 0) >= MAX_ENDPOINTS) throw new ProblemError(409, "too-many-endpoints", `An account holds at most ${MAX_ENDPOINTS} webhook endpoints; delete one first`);
    const id = newId("whk");
    const secret = newSecret();
    const [row] = await db
      .insert(e)
      .values({ id, userId, url: body.url, events: body.events, description: body.description || null, secret: await sealSecret(c.env.WEBHOOK_SECRET_KEY, id, secret) })
      .returning();
    if (!row) throw new Error("the endpoint was not written");
    c.header("cache-control", "private, no-store");
    c.header("location", `/api/me/webhooks/${id}`);
    return c.json({ ...view(row), secret }, 201);
  })
  // Who may call: any signed-in user: their own endpoints, newest first.
  .get("/me/webhooks", requireRole("client"), requireScope("webhooks:write"), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const e = schema.webhookEndpoints;
    const rows = await database(c.env.DB).select().from(e).where(eq(e.userId, userId)).orderBy(desc(e.createdAt), desc(e.id)).all();
    c.header("cache-control", "private, no-store");
    return c.json({ endpoints: rows.map(view) });
  })
  // Who may call: the endpoint's owner.
  .get("/me/webhooks/:id", requireRole("client"), requireScope("webhooks:write"), validate("param", EndpointParam), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    c.header("cache-control", "private, no-store");
    return c.json(view(await ownEndpoint(c.env, userId, c.req.valid("param").id)));
  })
  // Who may call: the endpoint's owner. `enabled: true` re-enables a disabled endpoint with a clean slate.
  .patch("/me/webhooks/:id", requireRole("client"), requireScope("webhooks:write"), validate("param", EndpointParam), validate("json", PatchEndpoint), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const endpoint = await ownEndpoint(c.env, userId, c.req.valid("param").id);
    const body = c.req.valid("json");
    if (body.url !== undefined) await allowedUrl(body.url, c.env);
    const e = schema.webhookEndpoints;
    const enabling = body.enabled === true && !endpoint.enabled;
    const [row] = await database(c.env.DB)
      .update(e)
      .set({
        // A new URL is a new place to fail or succeed: the failing clock starts again, so the cron does not disable
        // an endpoint its owner just pointed somewhere that has had no delivery yet.
        ...(body.url !== undefined ? { url: body.url, ...(body.url !== endpoint.url ? { failingSince: null } : {}) } : {}),
        ...(body.events !== undefined ? { events: body.events } : {}),
        ...(body.description !== undefined ? { description: body.description || null } : {}),
        ...(enabling ? { enabled: true, disabledReason: null, failingSince: null } : {}),
        ...(body.enabled === false && endpoint.enabled ? { enabled: false, disabledReason: "disabled by its owner" } : {}),
        updatedAt: new Date().toISOString(),
      })
      .where(and(eq(e.id, endpoint.id), eq(e.userId, userId)))
      .returning();
    if (!row) throw notFound("Webhook endpoint");
    c.header("cache-control", "private, no-store");
    return c.json(view(row));
  })
  // Who may call: the endpoint's owner; its deliveries and their attempts go with it.
  .delete("/me/webhooks/:id", requireRole("client"), requireScope("webhooks:write"), validate("param", EndpointParam), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const endpoint = await ownEndpoint(c.env, userId, c.req.valid("param").id);
    const e = schema.webhookEndpoints;
    await database(c.env.DB).delete(e).where(and(eq(e.id, endpoint.id), eq(e.userId, userId)));
    return c.body(null, 204);
  })
  // Who may call: the endpoint's owner. The new secret signs at once; the old one signs beside it until the answer's
  // previousSecretExpiresAt, so the receiver can switch without losing a delivery.
  .post("/me/webhooks/:id/rotate-secret", requireRole("client"), requireScope("webhooks:write"), validate("param", EndpointParam), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const endpoint = await ownEndpoint(c.env, userId, c.req.valid("param").id);
    const secret = newSecret();
    const until = new Date(Date.now() + Number(c.env.WEBHOOK_ROTATION_OVERLAP_SECONDS) * 1_000).toISOString();
    const e = schema.webhookEndpoints;
    const [row] = await database(c.env.DB)
      .update(e)
      .set({ secret: await sealSecret(c.env.WEBHOOK_SECRET_KEY, endpoint.id, secret), previousSecret: endpoint.secret, previousSecretUntil: until, updatedAt: new Date().toISOString() })
      // Only over the secret it read, so two rotations at once cannot both keep "the previous" one.
      .where(and(eq(e.id, endpoint.id), eq(e.secret, endpoint.secret)))
      .returning();
    if (!row) throw new ProblemError(409, "rotation-conflict", "The secret was rotated meanwhile; rotate again if you need to");
    c.header("cache-control", "private, no-store");
    return c.json({ id: row.id, secret, previousSecretExpiresAt: until });
  })
  // Who may call: the endpoint's owner: deliveries newest first, each with its attempts (?status=&limit=&cursor=).
  .get("/me/webhooks/:id/deliveries", requireRole("client"), requireScope("webhooks:write"), validate("param", EndpointParam), validate("query", DeliveriesQuery), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const endpoint = await ownEndpoint(c.env, userId, c.req.valid("param").id);
    const q = c.req.valid("query");
    const after = readCursor(q.cursor);
    const d = schema.webhookDeliveries;
    const db = database(c.env.DB);
    const rows = await db
      .select()
      .from(d)
      .where(
        and(
          eq(d.endpointId, endpoint.id),
          q.status ? eq(d.status, q.status) : undefined,
          after ? or(lt(d.createdAt, after[0]), and(eq(d.createdAt, after[0]), lt(d.id, after[1]))) : undefined,
        ),
      )
      .orderBy(desc(d.createdAt), desc(d.id))
      .limit(q.limit + 1)
      .all();
    const page = rows.slice(0, q.limit);
    const a = schema.webhookAttempts;
    const attempts = page.length ? await db.select().from(a).where(inArray(a.deliveryId, page.map((r) => r.id))).orderBy(a.deliveryId, a.n).all() : [];
    const last = page[page.length - 1];
    c.header("cache-control", "private, no-store");
    return c.json({
      deliveries: page.map((r) => ({
        id: r.id,
        eventId: r.eventId,
        eventType: r.eventType,
        requestId: r.requestId,
        status: r.status,
        attempts: attempts.filter((x) => x.deliveryId === r.id).map(({ deliveryId: _, ...x }) => x),
        nextAttemptAt: r.nextAttemptAt,
        payload: JSON.parse(r.payload) as unknown,
        createdAt: r.createdAt,
      })),
      next: rows.length > q.limit && last ? toBase64Url(new TextEncoder().encode(JSON.stringify([last.createdAt, last.id]))) : null,
    });
  })
  // Who may call: the endpoint's owner: one attempt now, signed afresh with the same webhook-id; a success ends
  // the delivery, a failure leaves it as it was.
  .post("/me/webhooks/:id/deliveries/:deliveryId/resend", requireRole("client"), requireScope("webhooks:write"), validate("param", DeliveryParam), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const { id, deliveryId } = c.req.valid("param");
    const endpoint = await ownEndpoint(c.env, userId, id);
    const d = schema.webhookDeliveries;
    const delivery = await database(c.env.DB).select({ id: d.id }).from(d).where(and(eq(d.id, deliveryId), eq(d.endpointId, endpoint.id))).get();
    if (!delivery) throw notFound("Webhook delivery");
    if (!endpoint.enabled) throw new ProblemError(409, "endpoint-disabled", "The endpoint is disabled: enable it (PATCH enabled: true) before re-sending");
    const result = await attempt(delivery.id, "manual", { env: c.env, log: c.var.log });
    if (!result || result.error === "another attempt is under way") throw new ProblemError(409, "attempt-under-way", "An attempt at this delivery is under way; look again in a moment");
    return c.json({ id: delivery.id, ...result });
  });
