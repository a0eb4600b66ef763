// Integrators' webhooks, end to end inside notify: endpoints created through notify's routes as the gateway forwards
// them, request events through the real consumer, each delivery POSTed over real HTTP to the local services' webhook
// receiver (local/services/webhook-receiver.mjs), and every signature checked with the official Standard Webhooks
// library, never notify's own signer. The retry messages stay in the test's hands (a recording queue) so the schedule
// can be followed step by step.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { database } from "@statex/shared/db";
import { type Envelope, type EventData, createEvent } from "@statex/shared/events";
import { newId } from "@statex/shared/ids";
import type { WebhookEventType } from "@statex/shared/webhooks";
import { CreatedEndpoint, Deliveries, Endpoints, WebhookHeaders, WebhookPayload } from "@statex/shared/api/webhooks";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { DeliveryEnv } from "../src/env";
import { scheduled } from "../src/index";
import { staleEndpoints } from "../src/outgoing/deliveries";
import { call, deliver, outbox, outboxEvents, recordingQueue, refusingOnce } from "./helpers";

type Received = { headers: Record<string, string>; body: string; answered: number };
type EndpointView = { id: string; url: string; events: string[]; enabled: boolean; disabledReason: string | null; secret?: string; previousSecretExpiresAt: string | null };
type Attempt = { n: number; trigger: string; statusCode: number | null; latencyMs: number; responseBody: string | null; error: string | null };
type DeliveryView = { id: string; eventId: string; status: string; attempts: Attempt[]; nextAttemptAt: string | null; payload: { type: string; data: Record<string, unknown> } };

const base = () => env.OUTBOX_URL;
const json = (method: string, body: unknown, headers: Record<string, string>): RequestInit => ({ method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

/** An account with a request of its own, as identity and intake stored them. */
async function account() {
  const userId = newId("usr");
  const email = `owner.${userId.toLowerCase()}@example.com`;
  await env.DB.prepare("insert into users (id, email, name, password_hash, email_verified_at) values (?, ?, 'Grace', 'x', ?)").bind(userId, email, new Date().toISOString()).run();
  const requestId = newId("req");
  await env.DB.prepare("insert into requests (id, channel, name, email, text, user_id) values (?, 'api', 'Grace', ?, 'x', ?)").bind(requestId, email, userId).run();
  return { userId, email, requestId, headers: { "x-statex-user-id": userId, "x-statex-user-role": "client" } };
}

/** A receiver of this test's own on the local services. */
function receiver() {
  const name = crypto.randomUUID();
  const url = `${base()}/webhook-receiver/${name}`;
  return {
    url,
    async received(): Promise<Received[]> {
      return (await (await fetch(url)).json<{ received: Received[] }>()).received;
    },
    async failNext(fail: number, status: number, extra: { retryAfter?: number; delayMs?: number } = {}) {
      const res = await fetch(`${url}/controls`, { method: "PUT", body: JSON.stringify({ fail, status, ...extra }) });
      expect(res.status).toBe(200);
    },
  };
}

async function subscribe(headers: Record<string, string>, url: string, events: WebhookEventType[] = ["request.processing", "request.completed", "request.failed", "request.cancelled"], environment: DeliveryEnv = env) {
  const res = await call("/me/webhooks", json("POST", { url, events, description: "CRM sync" }, headers), environment);
  expect(res.status).toBe(201);
  const body = await res.json<EndpointView & { secret: string }>();
  // What the OpenAPI document promises (the schemas the gateway's table names).
  CreatedEndpoint.parse(body);
  return body;
}

function requestEvent<T extends WebhookEventType>(type: T, data: EventData<T>): Envelope<T> {
  return createEvent(type, data, { correlationId: data.requestId, source: "orchestrator" });
}

/** notify's vars, which a test may set as it needs. */
type Vars = { [K in keyof DeliveryEnv as DeliveryEnv[K] extends string ? K : never]?: string };

/** An env whose queue the test holds, with a schedule and other settings of the test's own. */
function testEnv(vars: Vars = {}) {
  const recorder = recordingQueue();
  const environment: DeliveryEnv = { ...env, WEBHOOK_RETRY_SCHEDULE: "0,0,0", ...vars, Q_NOTIFY: recorder.queue };
  /**
   * Delivers the `webhook.attempt` messages sent so far, waiting out each one's delay as the queue would, until none
   * is left (or `rounds` ran): the delays it waited, in order.
   */
  async function drain(rounds = 10): Promise<number[]> {
    const waited: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const due = recorder.sent.splice(0).filter((m) => (m.body as Envelope).type === "webhook.attempt");
      if (!due.length) break;
      const delay = Math.max(...due.map((m) => m.delaySeconds ?? 0));
      waited.push(delay);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay * 1_000));
      await deliver(due.map((m) => m.body), { env: environment });
    }
    return waited;
  }
  return { env: environment, recorder, drain };
}

async function deliveries(headers: Record<string, string>, endpointId: string, query = ""): Promise<{ deliveries: DeliveryView[]; next: string | null }> {
  const res = await call(`/me/webhooks/${endpointId}/deliveries${query}`, { headers });
  expect(res.status).toBe(200);
  const body = await res.json<{ deliveries: DeliveryView[]; next: string | null }>();
  Deliveries.parse(body);
  return body;
}

/** An account with one endpoint that was sent (and answered) one request.processing: all a route test starts from. */
async function deliveredOnce() {
  const owner = await account();
  const r = receiver();
  const endpoint = await subscribe(owner.headers, r.url);
  const t = testEnv();
  await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
  await t.drain();
  const { deliveries: [delivery] } = await deliveries(owner.headers, endpoint.id);
  if (!delivery) throw new Error("nothing was delivered");
  return { owner, r, endpoint, t, delivery };
}

/** Verifies with the official library; throws when no signature matches. */
function verify(secret: string, got: Received): unknown {
  return new Webhook(secret).verify(got.body, got.headers);
}

describe("outgoing webhooks: signed deliveries", () => {
  it("delivers request.completed signed as Standard Webhooks, verified by the official library, with the request's id and status only", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const t = testEnv();
    const event = requestEvent("request.completed", { requestId: owner.requestId, contact: { name: "Grace", email: owner.email }, summary: "A summary that stays inside", resultKey: "results/x.json" });
    await deliver([event], { env: t.env });
    await t.drain();

    const [got, ...more] = await r.received();
    expect(more).toEqual([]);
    if (!got) throw new Error("nothing was delivered");
    const verified = verify(endpoint.secret, got);
    expect(verified).toEqual({
      type: "request.completed",
      timestamp: event.occurredAt,
      data: { eventId: event.id, requestId: owner.requestId, status: "completed", statusUrl: `${env.SITE_URL}/api/requests/${owner.requestId}` },
    });
    // What the OpenAPI document's webhooks section promises.
    WebhookPayload.parse(verified);
    WebhookHeaders.parse(got.headers);
    expect(got.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Math.abs(Number(got.headers["webhook-timestamp"]) - Date.now() / 1_000)).toBeLessThan(30);
    expect(got.body).not.toContain(owner.email);
    expect(got.body).not.toContain("A summary");
    // Another secret's signature does not verify: the library really checks.
    expect(() => verify(`whsec_${btoa("x".repeat(32))}`, got)).toThrow();

    // The secret is answered once: the endpoint's views never show it.
    const listed = await (await call("/me/webhooks", { headers: owner.headers })).json<{ endpoints: EndpointView[] }>();
    Endpoints.parse(listed);
    expect(listed.endpoints).toHaveLength(1);
    expect(listed.endpoints[0]).not.toHaveProperty("secret");
    const stored = await env.DB.prepare("select secret from webhook_endpoints where id = ?").bind(endpoint.id).first<{ secret: string }>();
    expect(stored?.secret).not.toContain(endpoint.secret.slice(6));

    const { deliveries: [delivery] } = await deliveries(owner.headers, endpoint.id);
    expect(delivery).toMatchObject({ id: got.headers["webhook-id"], eventId: event.id, status: "succeeded" });
    expect(delivery?.attempts).toEqual([expect.objectContaining({ n: 1, trigger: "scheduled", statusCode: 200, responseBody: '{"ok":true}', error: null })]);
  });

  it("sends only the events an endpoint subscribed to, and each of the four kinds with its status", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url, ["request.processing", "request.cancelled", "request.failed"]);
    const t = testEnv();
    const contact = { name: "Grace", email: owner.email };
    await deliver(
      [
        requestEvent("request.processing", { requestId: owner.requestId }),
        requestEvent("request.completed", { requestId: owner.requestId, contact, summary: "s", resultKey: "k" }),
        requestEvent("request.failed", { requestId: owner.requestId, contact, reason: "every provider failed" }),
        requestEvent("request.cancelled", { requestId: owner.requestId, by: "client" }),
      ],
      { env: t.env },
    );
    await t.drain();
    const bodies = (await r.received()).map((g) => verify(endpoint.secret, g) as { type: string; data: Record<string, unknown> });
    expect(bodies.map((b) => [b.type, b.data.status]).sort()).toEqual([
      ["request.cancelled", "cancelled"],
      ["request.failed", "failed"],
      ["request.processing", "processing"],
    ]);
    expect(bodies.find((b) => b.type === "request.failed")?.data.reason).toBe("every provider failed");
    expect(bodies.find((b) => b.type === "request.cancelled")?.data.cancelledBy).toBe("client");
  });

  it("writes no second delivery when the event comes again after its handling was cut short", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    const t = testEnv();
    const event = requestEvent("request.processing", { requestId: owner.requestId });
    await deliver([event], { env: t.env });
    await t.drain();
    // As if the consumer had stopped before remembering the event: the queue brings it again.
    await env.DB.prepare("delete from processed_events where consumer = 'notify' and event_id = ?").bind(event.id).run();
    await deliver([event], { env: t.env });
    await t.drain();
    expect(await r.received()).toHaveLength(1);
    const rows = await env.DB.prepare("select count(*) as n from webhook_deliveries where endpoint_id = ?").bind(endpoint.id).first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("writes a delivery to each of an account's 20 endpoints, the most it may hold, and refuses a 21st", async () => {
    const owner = await account();
    const r = receiver();
    for (let i = 0; i < 20; i++) await subscribe(owner.headers, `${r.url}?endpoint=${i}`, ["request.processing"]);
    const more = await call("/me/webhooks", json("POST", { url: r.url, events: ["request.processing"] }, owner.headers));
    expect(more.status).toBe(409);
    const t = testEnv();
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    const got = await r.received();
    expect(got).toHaveLength(20);
    expect(new Set(got.map((g) => g.headers["webhook-id"])).size).toBe(20);
  });

  it("writes nothing for a request without an owner, nor for one of another account", async () => {
    const owner = await account();
    const other = await account();
    const r = receiver();
    await subscribe(owner.headers, r.url);
    const t = testEnv();
    const anonymous = newId("req");
    await env.DB.prepare("insert into requests (id, channel, name, email, text) values (?, 'web', 'x', 'x@example.com', 'x')").bind(anonymous).run();
    await deliver([requestEvent("request.processing", { requestId: anonymous }), requestEvent("request.processing", { requestId: other.requestId })], { env: t.env });
    await t.drain();
    expect(await r.received()).toEqual([]);
  });
});

describe("outgoing webhooks: retries", () => {
  it("retries a failing endpoint with backoff until it answers, the receiver seeing one webhook-id throughout", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    await r.failNext(2, 503);
    const t = testEnv({ WEBHOOK_RETRY_SCHEDULE: "0,1,2,3" });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    const waited = await t.drain();
    // At once, then the schedule's 1 s and 2 s.
    expect(waited).toEqual([0, 1, 2]);

    const got = await r.received();
    expect(got.map((g) => g.answered)).toEqual([503, 503, 200]);
    expect(new Set(got.map((g) => g.headers["webhook-id"])).size).toBe(1);
    for (const g of got) verify(endpoint.secret, g);
    const { deliveries: [delivery] } = await deliveries(owner.headers, endpoint.id);
    expect(delivery?.status).toBe("succeeded");
    expect(delivery?.attempts.map((a) => [a.n, a.statusCode])).toEqual([[1, 503], [2, 503], [3, 200]]);
    // The answer's body is kept to its first KiB.
    expect(delivery?.attempts[0]?.responseBody?.length).toBe(1_024);
  });

  it("waits as long as a 429's Retry-After asks, longer than the schedule would", async () => {
    const owner = await account();
    const r = receiver();
    await subscribe(owner.headers, r.url);
    await r.failNext(1, 429, { retryAfter: 2 });
    const t = testEnv({ WEBHOOK_RETRY_SCHEDULE: "0,0,0" });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    const started = Date.now();
    const waited = await t.drain();
    expect(waited[1]).toBeGreaterThanOrEqual(1.9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect((await r.received()).map((g) => g.answered)).toEqual([429, 200]);
  });

  it("honours a Retry-After up to a day, so an endpoint asking for ten cannot park a delivery that long", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    await r.failNext(1, 503, { retryAfter: 10 * 86_400 });
    const t = testEnv({ WEBHOOK_RETRY_SCHEDULE: "0,5" });
    const before = Date.now();
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain(1);
    const { deliveries: [delivery] } = await deliveries(owner.headers, endpoint.id);
    expect(delivery?.status).toBe("pending");
    const wait = (Date.parse(delivery?.nextAttemptAt ?? "") - before) / 1_000;
    expect(wait).toBeGreaterThanOrEqual(86_400);
    expect(wait).toBeLessThan(86_400 + 60);
  });

  it("fails a delivery at once on a 4xx other than 408, 409 and 429, and treats a 3xx as a failure without following it", async () => {
    const owner = await account();
    const refusing = receiver();
    const moved = receiver();
    const a = await subscribe(owner.headers, refusing.url);
    const b = await subscribe(owner.headers, moved.url);
    await refusing.failNext(5, 410);
    await moved.failNext(5, 301);
    const t = testEnv({ WEBHOOK_RETRY_SCHEDULE: "0,0" });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    expect((await refusing.received()).map((g) => g.answered)).toEqual([410]);
    expect((await deliveries(owner.headers, a.id)).deliveries[0]).toMatchObject({ status: "failed", attempts: [expect.objectContaining({ statusCode: 410 })] });
    // The redirect was retried to the schedule's end, never followed.
    expect((await moved.received()).map((g) => g.answered)).toEqual([301, 301]);
    expect((await deliveries(owner.headers, b.id)).deliveries[0]?.status).toBe("failed");
  });

  it("gives up an attempt that gets no answer within the timeout and retries it", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    await r.failNext(1, 503, { delayMs: 1_500 });
    const t = testEnv({ WEBHOOK_TIMEOUT_MS: "300", WEBHOOK_RETRY_SCHEDULE: "0,0" });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    const { deliveries: [delivery] } = await deliveries(owner.headers, endpoint.id);
    expect(delivery?.status).toBe("succeeded");
    expect(delivery?.attempts[0]).toMatchObject({ statusCode: null, error: "no answer within 300 ms" });
    expect(delivery?.attempts[0]?.latencyMs).toBeLessThan(1_400);
  });

  it("attempts an overdue delivery from the cron when its message was lost", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    const t = testEnv();
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    // The attempt message is dropped, and the delivery's time is long past.
    t.recorder.sent.splice(0);
    await env.DB.prepare("update webhook_deliveries set next_attempt_at = ? where endpoint_id = ?").bind(new Date(Date.now() - 5 * 60_000).toISOString(), endpoint.id).run();
    await runCron(t.env);
    expect(await r.received()).toHaveLength(1);
    expect((await deliveries(owner.headers, endpoint.id)).deliveries[0]?.status).toBe("succeeded");
  });
});

describe("outgoing webhooks: a failing endpoint disabled", () => {
  it("disables an endpoint whose every attempt failed for the configured time, emails its owner once (through a failing email API), and sends it nothing more until re-enabled", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    await r.failNext(100, 500);
    const t = testEnv({ WEBHOOK_DISABLE_AFTER_SECONDS: "1", WEBHOOK_RETRY_SCHEDULE: "0,2,0" });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();

    const view = await (await call(`/me/webhooks/${endpoint.id}`, { headers: owner.headers })).json<EndpointView>();
    expect(view).toMatchObject({ enabled: false, disabledReason: "every delivery failed for too long" });
    // Failing for 2 s with a 1 s limit: the second attempt disabled it, and the third was not made.
    expect(await r.received()).toHaveLength(2);

    // The disabling wrote its event with it (the outbox), relayed at once (to notify's own queue, which the test holds).
    const [written, ...again] = (await outboxEvents("webhook.endpoint-disabled")).filter((o) => (o.event.data as { endpointId: string }).endpointId === endpoint.id);
    expect(again).toEqual([]);
    if (!written) throw new Error("no webhook.endpoint-disabled event was written");
    expect(written.sentAt).not.toBeNull();
    // Ids only: the URL (which may hold the integrator's token) stays in notify's row, out of logging's store.
    expect(written.event.data).toEqual({ endpointId: endpoint.id, userId: owner.userId, failingSince: expect.any(String) });
    const relayed = [written.event];

    // The email API is down: the event goes back to the queue and no email is lost or sent.
    const emailDown = { ...t.env, EMAIL_API_URL: `${env.OUTBOX_URL}/fail/503/email` };
    const first = await deliver(relayed, { env: emailDown, attempts: 1 });
    expect(first.retryMessages).toHaveLength(1);
    expect(await outbox({ to: owner.email })).toEqual([]);
    // It is back: the retry sends the email, and a copy of the event sends nothing more.
    await deliver(relayed, { env: t.env, attempts: 2 });
    await deliver(relayed, { env: t.env, attempts: 3 });
    const mails = await outbox({ to: owner.email });
    expect(mails.map((m) => m.subject)).toEqual(["A StateX webhook endpoint was disabled"]);
    expect(mails[0]?.body).toContain(r.url);

    await deliver([requestEvent("request.cancelled", { requestId: owner.requestId, by: "client" })], { env: t.env });
    await t.drain();
    expect(await r.received()).toHaveLength(2);
    const resend = await call(`/me/webhooks/${endpoint.id}/deliveries/${(await deliveries(owner.headers, endpoint.id)).deliveries[0]?.id}/resend`, { method: "POST", headers: owner.headers }, t.env);
    expect(resend.status).toBe(409);

    const enabled = await call(`/me/webhooks/${endpoint.id}`, json("PATCH", { enabled: true }, owner.headers));
    expect(await enabled.json()).toMatchObject({ enabled: true, disabledReason: null });
    await fetch(`${r.url}/controls`, { method: "PUT", body: JSON.stringify({ fail: 0 }) });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    expect((await r.received()).at(-1)?.answered).toBe(200);
  });
});

/** notify's cron, run once as Cloudflare runs it, in the given environment. */
async function runCron(environment: DeliveryEnv): Promise<void> {
  const ctx = createExecutionContext();
  await scheduled(createScheduledController(), environment, ctx);
  await waitOnExecutionContext(ctx);
}

/**
 * An endpoint whose one delivery failed for good (a schedule of one attempt, disabling after 60 s), and no further
 * event for it: what the cron alone must notice. `failingLongAgo` moves its first failure past the limit.
 */
async function failedOnce() {
  const owner = await account();
  const r = receiver();
  const endpoint = await subscribe(owner.headers, r.url);
  await r.failNext(100, 500);
  const t = testEnv({ WEBHOOK_DISABLE_AFTER_SECONDS: "60", WEBHOOK_RETRY_SCHEDULE: "0" });
  await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
  await t.drain();
  const view = async () => (await call(`/me/webhooks/${endpoint.id}`, { headers: owner.headers })).json<EndpointView>();
  const failingLongAgo = () => env.DB.prepare("update webhook_endpoints set failing_since = ? where id = ?").bind(new Date(Date.now() - 61_000).toISOString(), endpoint.id).run();
  return { owner, r, endpoint, t, view, failingLongAgo };
}

describe("outgoing webhooks: the cron's disabling", () => {
  it("disables an endpoint failing too long that no event comes to, once an attempt under way has answered, and writes its owner's email event once", async () => {
    const { owner, r, endpoint, t, view, failingLongAgo } = await failedOnce();
    expect((await deliveries(owner.headers, endpoint.id)).deliveries[0]?.status).toBe("failed");
    const disabledEvents = async () => (await outboxEvents("webhook.endpoint-disabled")).filter((o) => (o.event.data as { endpointId: string }).endpointId === endpoint.id);

    // Failing for less than the limit: the cron leaves it enabled.
    await runCron(t.env);
    expect(await view()).toMatchObject({ enabled: true, failingSince: expect.any(String) });
    // The first failure now lies further back than the limit, but an attempt is under way: its answer decides.
    await failingLongAgo();
    const claim = (until: string | null) => env.DB.prepare("update webhook_deliveries set claimed_until = ? where endpoint_id = ?").bind(until, endpoint.id).run();
    await claim(new Date(Date.now() + 30_000).toISOString());
    await runCron(t.env);
    expect(await view()).toMatchObject({ enabled: true });
    await claim(null);
    await runCron(t.env);
    expect(await view()).toMatchObject({ enabled: false, disabledReason: "every delivery failed for too long" });
    const written = await disabledEvents();
    expect(written).toHaveLength(1);
    expect(written[0]?.sentAt).not.toBeNull();
    // Disabled already, the next cron writes nothing more.
    await runCron(t.env);
    expect(await disabledEvents()).toHaveLength(1);
    expect(await r.received()).toHaveLength(1);
  });

  it("starts the failing clock again when the owner points the endpoint at a new URL", async () => {
    const { owner, endpoint, t, view, failingLongAgo } = await failedOnce();
    await failingLongAgo();
    const moved = await call(`/me/webhooks/${endpoint.id}`, json("PATCH", { url: receiver().url }, owner.headers));
    expect(await moved.json()).toMatchObject({ enabled: true, failingSince: null });
    await runCron(t.env);
    expect(await view()).toMatchObject({ enabled: true, failingSince: null });
  });

  it("finds the endpoints failing too long through their index, not by reading every endpoint", async () => {
    const stale = staleEndpoints(database(env.DB), testEnv().env).toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${stale.sql}`)
      .bind(...stale.params)
      .all<{ detail: string }>();
    const steps = results.map((r) => r.detail).join("\n");
    expect(steps).toMatch(/SEARCH webhook_endpoints USING (COVERING )?INDEX webhook_endpoints_failing \(enabled=\? AND failing_since<\?\)/);
    expect(steps).not.toMatch(/SCAN webhook_endpoints\b/);
  });
});

describe("outgoing webhooks: by hand, and the secret rolled", () => {
  it("re-sends a delivery by hand with the same webhook-id, signed afresh, recorded as a manual attempt", async () => {
    const { owner, r, endpoint, t, delivery } = await deliveredOnce();
    const res = await call(`/me/webhooks/${endpoint.id}/deliveries/${delivery.id}/resend`, { method: "POST", headers: owner.headers }, t.env);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: delivery.id, status: "succeeded", statusCode: 200 });
    const got = await r.received();
    expect(got).toHaveLength(2);
    expect(got[1]?.headers["webhook-id"]).toBe(got[0]?.headers["webhook-id"]);
    expect(got[1]?.body).toBe(got[0]?.body);
    if (got[1]) verify(endpoint.secret, got[1]);
    expect((await deliveries(owner.headers, endpoint.id)).deliveries[0]?.attempts.map((a) => a.trigger)).toEqual(["scheduled", "manual"]);
  });

  it("keeps a failing delivery's whole schedule when it is re-sent by hand meanwhile: a re-send takes no step of it", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    await r.failNext(100, 503);
    const t = testEnv({ WEBHOOK_RETRY_SCHEDULE: "0,1,1" });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    // The first scheduled attempt failed; two re-sends by hand fail too before the next one is due.
    const pending = t.recorder.sent.splice(0);
    await deliver(pending.map((m) => m.body), { env: t.env });
    const [delivery] = (await deliveries(owner.headers, endpoint.id)).deliveries;
    for (let i = 0; i < 2; i++) {
      const res = await call(`/me/webhooks/${endpoint.id}/deliveries/${delivery?.id}/resend`, { method: "POST", headers: owner.headers }, t.env);
      expect(await res.json()).toMatchObject({ status: "pending", statusCode: 503 });
    }
    await t.drain();
    const [after] = (await deliveries(owner.headers, endpoint.id)).deliveries;
    // Three scheduled attempts (the schedule's three steps) and the two manual ones between them.
    expect(after?.attempts.map((a) => a.trigger).sort()).toEqual(["manual", "manual", "scheduled", "scheduled", "scheduled"]);
    expect(after?.status).toBe("failed");
  });

  it("signs with both secrets during a rotation's overlap, and with the new one alone after it", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    const t = testEnv();
    const rotated = await call(`/me/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", headers: owner.headers });
    expect(rotated.status).toBe(200);
    const { secret, previousSecretExpiresAt } = await rotated.json<{ secret: string; previousSecretExpiresAt: string }>();
    expect(secret).not.toBe(endpoint.secret);
    expect(Date.parse(previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    const [during] = await r.received();
    if (!during) throw new Error("nothing was delivered");
    expect(during.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    WebhookHeaders.parse(during.headers);
    verify(secret, during);
    verify(endpoint.secret, during);

    // A second rotation with no overlap: the first new secret stops at once too.
    const again = await call(`/me/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", headers: owner.headers }, { ...env, WEBHOOK_ROTATION_OVERLAP_SECONDS: "0" });
    const latest = (await again.json<{ secret: string }>()).secret;
    await deliver([requestEvent("request.cancelled", { requestId: owner.requestId, by: "ops" })], { env: t.env });
    await t.drain();
    const after = (await r.received())[1];
    if (!after) throw new Error("nothing was delivered after the rotation");
    expect(after.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
    verify(latest, after);
    expect(() => verify(secret, after)).toThrow();
    expect(() => verify(endpoint.secret, after)).toThrow();
  });
});

describe("outgoing webhooks: the owner's endpoints only", () => {
  it("answers 404 for another account's endpoint and its deliveries, on every route", async () => {
    const { owner, endpoint, delivery } = await deliveredOnce();
    const stranger = await account();
    const paths: [string, RequestInit][] = [
      [`/me/webhooks/${endpoint.id}`, { headers: stranger.headers }],
      [`/me/webhooks/${endpoint.id}`, json("PATCH", { enabled: false }, stranger.headers)],
      [`/me/webhooks/${endpoint.id}`, { method: "DELETE", headers: stranger.headers }],
      [`/me/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", headers: stranger.headers }],
      [`/me/webhooks/${endpoint.id}/deliveries`, { headers: stranger.headers }],
      [`/me/webhooks/${endpoint.id}/deliveries/${delivery.id}/resend`, { method: "POST", headers: stranger.headers }],
    ];
    for (const [path, init] of paths) {
      const res = await call(path, init);
      expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await (await call("/me/webhooks", { headers: stranger.headers })).json<{ endpoints: unknown[] }>()).endpoints).toEqual([]);
    // Untouched by all of that.
    expect(await (await call(`/me/webhooks/${endpoint.id}`, { headers: owner.headers })).json()).toMatchObject({ enabled: true });
    expect((await call("/me/webhooks", { headers: {} })).status).toBe(401);
  });

  it("validates what it is given, naming the field", async () => {
    const owner = await account();
    const bad = async (body: unknown) => {
      const res = await call("/me/webhooks", json("POST", body, owner.headers));
      expect(res.status).toBe(400);
      return (await res.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field);
    };
    expect(await bad({ url: "not a url", events: ["request.completed"] })).toEqual(["url"]);
    expect(await bad({ url: "https://example.com/hook", events: [] })).toEqual(["events"]);
    expect(await bad({ url: "https://example.com/hook", events: ["request.created"] })).toEqual(["events.0"]);
    expect(await bad({ url: "https://example.com/hook", events: ["request.completed"], secret: "mine" })).toEqual(["secret"]);
  });

  it("pages an endpoint's deliveries newest first with a cursor", async () => {
    const owner = await account();
    const r = receiver();
    const endpoint = await subscribe(owner.headers, r.url);
    const t = testEnv();
    for (const by of ["client", "ops"] as const) await deliver([requestEvent("request.cancelled", { requestId: owner.requestId, by })], { env: t.env });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    const first = await deliveries(owner.headers, endpoint.id, "?limit=2");
    expect(first.deliveries).toHaveLength(2);
    expect(first.next).toBeTruthy();
    const second = await deliveries(owner.headers, endpoint.id, `?limit=2&cursor=${first.next}`);
    expect(second.deliveries).toHaveLength(1);
    expect(second.next).toBeNull();
    expect(new Set([...first.deliveries, ...second.deliveries].map((d) => d.id)).size).toBe(3);
    expect((await call(`/me/webhooks/${endpoint.id}/deliveries?cursor=nonsense`, { headers: owner.headers })).status).toBe(400);
  });
});

describe("outgoing webhooks: SSRF in production settings", () => {
  const production = (): DeliveryEnv => ({ ...env, WEBHOOK_ALLOW_PRIVATE_URLS: "off", WEBHOOK_DNS_URL: `${base()}/dns-query` });
  const records = (name: string, rr: { A?: string[]; AAAA?: string[]; CNAME?: string }) => fetch(`${base()}/dns-query/records`, { method: "PUT", body: JSON.stringify({ name, ...rr }) });

  it("refuses http, private, loopback, link-local, CGNAT, multicast and unique-local targets in every spelling, naming url", async () => {
    const owner = await account();
    const suffix = crypto.randomUUID().slice(0, 8);
    await records(`private-${suffix}.example.com`, { A: ["10.1.2.3"] });
    await records(`cgnat-${suffix}.example.com`, { A: ["100.64.0.9"] });
    await records(`mixed-${suffix}.example.com`, { A: ["93.184.215.14"], AAAA: ["fd00::5"] });
    await records(`alias-${suffix}.example.com`, { CNAME: `private-${suffix}.example.com` });
    const refused = [
      "http://hooks.example.com/in",
      "https://127.0.0.1/in",
      "https://2130706433/in",
      "https://0x7f.1/in",
      "https://0177.0.0.1/in",
      "https://127.1/in",
      "https://[::ffff:7f00:1]/in",
      "https://[64:ff9b::a9fe:a9fe]/in",
      "https://[2002:c0a8:010a::]/in",
      "https://[::1]/in",
      "https://[::ffff:169.254.169.254]/in",
      "https://[fe80::1]/in",
      "https://[fd12:3456::1]/in",
      "https://169.254.169.254/latest/meta-data",
      "https://192.168.1.10/in",
      "https://100.100.100.100/in",
      "https://224.0.0.1/in",
      "https://0.0.0.0/in",
      "https://localhost/in",
      "https://api.localhost/in",
      "https://printer.local/in",
      "https://db.internal/in",
      "https://intranet/in",
      "https://user:pass@hooks.example.com/in",
      `https://private-${suffix}.example.com/in`,
      `https://cgnat-${suffix}.example.com/in`,
      `https://mixed-${suffix}.example.com/in`,
      `https://alias-${suffix}.example.com/in`,
      `https://nowhere-${suffix}.example.com/in`,
    ];
    for (const url of refused) {
      const res = await call("/me/webhooks", json("POST", { url, events: ["request.completed"] }, owner.headers), production());
      expect(res.status, url).toBe(422);
      const problem = await res.json<{ errors: { field: string }[] }>();
      expect(problem.errors.map((e) => e.field), url).toEqual(["url"]);
    }
    expect((await (await call("/me/webhooks", { headers: owner.headers })).json<{ endpoints: unknown[] }>()).endpoints).toEqual([]);
  });

  it("accepts an https URL whose name resolves to public addresses only, and refuses to send once it resolves to a private one", async () => {
    const owner = await account();
    const host = `hooks-${crypto.randomUUID().slice(0, 8)}.example.com`;
    await records(host, { A: ["93.184.215.14"], AAAA: ["2606:4700::6810:84e5"] });
    const endpoint = await subscribe(owner.headers, `https://${host}/in`, ["request.processing"], production());
    expect(endpoint.url).toBe(`https://${host}/in`);
    // The name is pointed inside afterwards (DNS rebinding): the send checks again and fails the delivery for good.
    await records(host, { A: ["192.168.0.7"] });
    const t = testEnv({ WEBHOOK_ALLOW_PRIVATE_URLS: "off", WEBHOOK_DNS_URL: `${base()}/dns-query`, WEBHOOK_RETRY_SCHEDULE: "0,0,0" });
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    const { deliveries: [delivery] } = await deliveries(owner.headers, endpoint.id);
    expect(delivery?.status).toBe("failed");
    expect(delivery?.attempts).toEqual([expect.objectContaining({ statusCode: null, error: expect.stringContaining("url refused") })]);
  });

  it("allows http to a loopback receiver where the platform runs locally", async () => {
    const owner = await account();
    const endpoint = await subscribe(owner.headers, "http://127.0.0.1:9/in", ["request.processing"], { ...env, WEBHOOK_ALLOW_PRIVATE_URLS: "on" });
    expect(endpoint.url).toBe("http://127.0.0.1:9/in");
  });
});

describe("a delivery the endpoint took", () => {
  it("is recorded although a write of the record was refused, and the endpoint gets it once (as the chaos run refuses writes)", async () => {
    const owner = await account();
    const r = receiver();
    await subscribe(owner.headers, r.url);
    const t = testEnv();
    const db = refusingOnce(env.DB, /^insert into "webhook_attempts"/);
    t.env.DB = db;
    await deliver([requestEvent("request.processing", { requestId: owner.requestId })], { env: t.env });
    await t.drain();
    expect(db.refused()).toBe(true);
    expect((await r.received()).map((x) => x.answered)).toEqual([200]);
    const row = await env.DB.prepare("select status, attempts from webhook_deliveries where request_id = ?").bind(owner.requestId).first();
    expect(row).toMatchObject({ status: "succeeded", attempts: 1 });
  });
});
