import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { USER_ID_HEADER, USER_ROLE_HEADER } from "@statex/shared/auth";
import { describe, expect, it } from "vitest";
import { firstMessage } from "../../../shared/test/websocket";
import worker from "../src/index";

async function call(path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://intake${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const owner = { [USER_ID_HEADER]: "usr_owner", [USER_ROLE_HEADER]: "client" };

async function submitted(headers: Record<string, string> = {}) {
  const res = await call("/requests", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ name: "Ada", email: "ada@example.com", text: "We need a booking website for our clinic." }),
  });
  const body = await res.json<{ id: string; statusUrl: string }>();
  return { id: body.id, token: new URL(body.statusUrl, "http://x").searchParams.get("token") ?? "" };
}

describe("POST /requests/:id/cancel", () => {
  it("cancels for the status-token holder, idempotently, and hides the request from a wrong token", async () => {
    const { id, token } = await submitted();
    const res = await call(`/requests/${id}/cancel?token=${token}`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, status: "cancelled" });
    expect((await call(`/requests/${id}/cancel?token=${token}`, { method: "POST" })).status).toBe(200);
    const wrong = await call(`/requests/${id}/cancel?token=${"x".repeat(43)}`, { method: "POST" });
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get("content-type")).toBe("application/problem+json");
  });

  it("cancels for the signed-in owner without a token, and for nobody else", async () => {
    const { id } = await submitted(owner);
    const stranger = { [USER_ID_HEADER]: "usr_stranger", [USER_ROLE_HEADER]: "client" };
    expect((await call(`/requests/${id}/cancel`, { method: "POST", headers: stranger })).status).toBe(404);
    expect((await call(`/requests/${id}/cancel`, { method: "POST" })).status).toBe(404);
    expect((await call(`/requests/${id}/cancel`, { method: "POST", headers: owner })).status).toBe(200);
  });
});

describe("GET /requests/:id/live", () => {
  it("upgrades the holder to a WebSocket on the job and sends the state first", async () => {
    const { id, token } = await submitted();
    const res = await call(`/requests/${id}/live?token=${token}`, { headers: { upgrade: "websocket" } });
    expect(await firstMessage(res)).toMatchObject({ type: "state" });
  });

  it("refuses a caller without the token or ownership", async () => {
    const { id } = await submitted(owner);
    expect((await call(`/requests/${id}/live`, { headers: { upgrade: "websocket" } })).status).toBe(404);
    const sse = await call(`/requests/${id}/live`, { headers: { accept: "text/event-stream", ...owner } });
    expect(sse.status).toBe(200);
    expect(sse.headers.get("content-type")).toBe("text/event-stream");
    await sse.body?.cancel();
  });
});
