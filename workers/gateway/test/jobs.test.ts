import { describe, expect, it } from "vitest";
import { firstMessage } from "../../../shared/test/websocket";
import { call, opsHeaders } from "./call";

async function submitted(ip: string, headers: Record<string, string> = {}) {
  const res = await call("/api/requests", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip, ...headers },
    body: JSON.stringify({ name: "Ada", email: "ada@example.com", text: "We need a booking website for our clinic." }),
  });
  expect(res.status).toBe(202);
  return res.json<{ id: string; statusUrl: string }>();
}

/** Registers a user through identity, signs them in (registration signs no one in) and answers their id and bearer header. */
async function registered(email: string, ip: string): Promise<{ userId: string; authorization: string }> {
  const json = { "content-type": "application/json", "cf-connecting-ip": ip };
  const res = await call("/api/users", { method: "POST", headers: json, body: JSON.stringify({ email, name: "Ada", password: "correct horse battery" }) });
  expect(res.status).toBe(202);
  const signedIn = await call("/api/sessions", { method: "POST", headers: json, body: JSON.stringify({ email, password: "correct horse battery" }) });
  expect(signedIn.status).toBe(201);
  const { accessToken, user } = await signedIn.json<{ accessToken: string; user: { id: string } }>();
  return { userId: user.id, authorization: `Bearer ${accessToken}` };
}

describe("a request's job through the gateway", () => {
  it("drops identity headers sent from outside: only a session makes a caller the owner", async () => {
    const owner = await registered("owner.forged@example.com", "192.0.2.66");
    const { id } = await submitted("192.0.2.67", { authorization: owner.authorization });
    expect((await call(`/api/requests/${id}`, { headers: { authorization: owner.authorization } })).status).toBe(200);
    const forged = await call(`/api/requests/${id}`, { headers: { "x-statex-user-id": owner.userId, "x-statex-user-role": "client" } });
    expect(forged.status).toBe(404);
  });

  it("passes a WebSocket upgrade through to the job and returns the 101 with its socket", async () => {
    const { id, statusUrl } = await submitted("192.0.2.61");
    const token = new URL(statusUrl, "http://x").searchParams.get("token");
    const res = await call(`/api/requests/${id}/live?token=${token}`, { headers: { upgrade: "websocket" } });
    expect(await firstMessage(res)).toMatchObject({ type: "state" });
  });

  it("lets the status-link holder cancel, and keeps the ops routes for ops", async () => {
    const { id, statusUrl } = await submitted("192.0.2.62");
    const token = new URL(statusUrl, "http://x").searchParams.get("token");
    expect((await call(`/api/requests/${id}/cancel?token=${token}`, { method: "POST" })).status).toBe(200);

    expect((await call(`/api/ops/requests/${id}/cancel`, { method: "POST" })).status).toBe(401);
    expect((await call(`/api/ops/jobs/${id}/retry`, { method: "POST" })).status).toBe(401);
    expect((await call("/api/ops/dead-letters/x/redrive", { method: "POST" })).status).toBe(401);
    // A cancelled job is not retried: the client asked for it to stop.
    expect((await call(`/api/ops/jobs/${id}/retry`, { method: "POST", headers: await opsHeaders() })).status).toBe(409);
    expect((await call("/api/ops/dead-letters/statex-notify:none/redrive", { method: "POST", headers: await opsHeaders() })).status).toBe(404);
  });

  it("gives the signed-in owner a live ticket that opens the WebSocket or the stream once, with no session attached", async () => {
    const owner = { authorization: (await registered("owner.live@example.com", "192.0.2.63")).authorization };
    const other = { authorization: (await registered("other.live@example.com", "192.0.2.64")).authorization };
    const { id } = await submitted("192.0.2.65", owner);
    const ticket = async () => {
      const issued = await call(`/api/requests/${id}/live-ticket`, { method: "POST", headers: owner });
      expect(issued.status).toBe(200);
      return (await issued.json<{ url: string; expiresAt: string }>()).url;
    };
    // What a browser does: the URL alone, as a WebSocket or as an EventSource; each connection with a fresh ticket.
    const url = await ticket();
    expect(await firstMessage(await call(url, { headers: { upgrade: "websocket" } }))).toMatchObject({ type: "state" });
    expect((await call(url, { headers: { upgrade: "websocket" } })).status).toBe(404);
    const sse = await call(await ticket(), { headers: { accept: "text/event-stream" } });
    expect(sse.status).toBe(200);
    expect(sse.headers.get("content-type")).toBe("text/event-stream");
    await sse.body?.cancel();

    const refused = await call(`/api/requests/${id}/live-ticket`, { method: "POST", headers: other });
    expect(refused.status).toBe(404);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect((await call(`/api/requests/${id}/live-ticket`, { method: "POST" })).status).toBe(401);
    expect((await call(`/api/requests/${id}/live-ticket`, { method: "POST", headers: await opsHeaders() })).status).toBe(404);
  });
});
