import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { firstMessage } from "../../../shared/test/websocket";
import worker from "../src/index";

const ops = { authorization: `Bearer ${env.OPS_TOKEN}` };

async function call(path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gateway${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function submitted(ip: string) {
  const res = await call("/api/requests", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ name: "Ada", email: "ada@example.com", text: "We need a booking website for our clinic." }),
  });
  expect(res.status).toBe(202);
  return res.json<{ id: string; statusUrl: string }>();
}

describe("a request's job through the gateway", () => {
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
    expect((await call(`/api/ops/jobs/${id}/retry`, { method: "POST", headers: ops })).status).toBe(409);
    expect((await call("/api/ops/dead-letters/statex-notify:none/redrive", { method: "POST", headers: ops })).status).toBe(404);
  });
});
