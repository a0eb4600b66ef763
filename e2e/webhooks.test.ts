// An integrator's webhook on the running platform: a signed-in client subscribes an endpoint on the local services'
// webhook receiver through the gateway, submits a request, and the receiver gets request.processing and then the
// signed request.completed from notify over real HTTP and real queues; the official Standard Webhooks library
// verifies every signature. The same with an API key: the key's owner's endpoint hears of a request the key
// submitted, and a key without webhooks:write manages no webhook.
import type { WebhookEvent } from "@statex/client";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { checkWebhookBody } from "./conformance";
import { apiUrl, clinicRequest, eventually, localUrl } from "./helpers";

type Received = { headers: Record<string, string>; body: string; answered: number };

const network = { "cf-connecting-ip": "198.51.100.219" };
const json = { "content-type": "application/json", ...network };

async function signedUp(): Promise<Record<string, string>> {
  const email = `hooks-${Date.now()}@integrator.example`;
  const password = `an integrator's long passphrase ${Date.now()}`;
  expect((await fetch(`${apiUrl()}/api/users`, { method: "POST", headers: json, body: JSON.stringify({ email, name: "Integrator", password }) })).status).toBe(202);
  const res = await fetch(`${apiUrl()}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(201);
  return { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
}

describe("webhooks to an integrator, end to end", () => {
  it("delivers the signed request.processing and request.completed of the owner's request to the endpoint, once each", async () => {
    const auth = await signedUp();
    const receiver = `${localUrl()}/webhook-receiver/e2e-${Date.now()}`;
    const created = await fetch(`${apiUrl()}/api/me/webhooks`, {
      method: "POST",
      headers: { ...json, ...auth },
      body: JSON.stringify({ url: receiver, events: ["request.processing", "request.completed"], description: "e2e" }),
    });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string };

    const submitted = await fetch(`${apiUrl()}/api/requests`, { method: "POST", headers: { ...json, ...auth }, body: JSON.stringify({ name: "Integrator", email: "ops@integrator.example", text: clinicRequest }) });
    expect(submitted.status).toBe(202);
    const { id: requestId } = (await submitted.json()) as { id: string };

    const verifier = new Webhook(endpoint.secret);
    const got = await eventually(
      "request.completed at the receiver",
      async () => {
        const { received } = (await (await fetch(receiver)).json()) as { received: Received[] };
        const bodies = received.map((r) => verifier.verify(r.body, r.headers) as WebhookEvent);
        // Each body is what the OpenAPI document's webhooks section says that event carries.
        for (const body of bodies) await checkWebhookBody(body);
        const events = bodies.map((body, i) => ({ ...body, id: received[i]?.headers["webhook-id"] }));
        return events.some((e) => e.type === "request.completed") ? events : undefined;
      },
      90_000,
    );
    expect(got.map((e) => e.type).sort()).toEqual(["request.completed", "request.processing"]);
    for (const e of got) expect(e.data.requestId).toBe(requestId);
    expect(new Set(got.map((e) => e.id)).size).toBe(2);

    const listed = await fetch(`${apiUrl()}/api/me/webhooks/${endpoint.id}/deliveries`, { headers: { ...network, ...auth } });
    expect(listed.status).toBe(200);
    const { deliveries } = (await listed.json()) as { deliveries: { status: string; attempts: { statusCode: number }[] }[] };
    expect(deliveries.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("serves an API key with webhooks:write as its owner: its request's request.completed reaches the endpoint it subscribed; a key without the scope is refused", async () => {
    const auth = await signedUp();
    const keyWith = async (scopes: string[]) => {
      const res = await fetch(`${apiUrl()}/api/me/api-keys`, { method: "POST", headers: { ...json, ...auth }, body: JSON.stringify({ name: scopes.join(" "), scopes }) });
      expect(res.status).toBe(201);
      return { authorization: `Bearer ${((await res.json()) as { key: string }).key}` };
    };
    const readOnly = await keyWith(["requests:read"]);
    const refused = await fetch(`${apiUrl()}/api/me/webhooks`, { method: "POST", headers: { ...json, ...readOnly }, body: JSON.stringify({ url: `${localUrl()}/webhook-receiver/never`, events: ["request.completed"] }) });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");

    const key = await keyWith(["requests:write", "webhooks:write"]);
    const receiver = `${localUrl()}/webhook-receiver/e2e-key-${Date.now()}`;
    const created = await fetch(`${apiUrl()}/api/me/webhooks`, { method: "POST", headers: { ...json, ...key }, body: JSON.stringify({ url: receiver, events: ["request.completed"] }) });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const submitted = await fetch(`${apiUrl()}/api/requests`, { method: "POST", headers: { ...json, ...key }, body: JSON.stringify({ name: "Integrator", email: "ops@integrator.example", text: clinicRequest }) });
    expect(submitted.status).toBe(202);
    const { id: requestId } = (await submitted.json()) as { id: string };
    const event = await eventually(
      "request.completed of the key's request at the receiver",
      async () => {
        const { received } = (await (await fetch(receiver)).json()) as { received: Received[] };
        const [first] = received;
        return first ? (new Webhook(secret).verify(first.body, first.headers) as WebhookEvent) : undefined;
      },
      90_000,
    );
    expect(event).toMatchObject({ type: "request.completed", data: { requestId } });
  });
});
