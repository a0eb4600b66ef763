import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Notifications, Outbox } from "@statex/shared/api/notify";
import { describe, expect, it } from "vitest";
import { type Send, describeOpsOnly, opsCaller } from "../../../shared/test/callers";
import worker from "../src/index";
import { client, deliver, requestEvent } from "./helpers";

async function call(path: string, environment: NotifyEnv = env, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://notify${path}`, init), environment, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const send: Send = (method, path, headers) => call(path, env, { method, headers });

describe("GET /dev/outbox", () => {
  it("passes through what the local outbox holds for a request", async () => {
    const { requestId, contact } = client();
    await deliver([requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] })]);
    const res = await call(`/dev/outbox?requestId=${requestId}`);
    expect(res.status).toBe(200);
    const { messages } = Outbox.parse(await res.json());
    expect(messages).toEqual([expect.objectContaining({ to: [contact.email], subject: "We received your request", requestId })]);
  });

  it("does not exist outside development", async () => {
    for (const ENVIRONMENT of ["staging", "production"] as const) {
      const res = await call("/dev/outbox", { ...env, ENVIRONMENT });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });

  it("refuses unknown query parameters", async () => {
    const res = await call("/dev/outbox?secret=1");
    expect(res.status).toBe(400);
  });
});

describe("GET /notifications", () => {
  it("lists a request's deliveries with their status", async () => {
    const { requestId, contact } = client();
    await deliver([
      requestEvent("request.created", { requestId, channel: "web", contact, text: "x", files: [] }),
      requestEvent("request.completed", { requestId, contact, summary: "done", resultKey: "k" }),
    ]);
    const res = await call(`/notifications?requestId=${requestId}`, env, { headers: opsCaller });
    expect(res.status).toBe(200);
    const body = Notifications.parse(await res.json());
    expect(body.notifications.map((n) => n.template).sort()).toEqual(["request-ready", "request-received"]);
    expect(body.notifications.every((n) => n.status === "sent" && n.channel === "email" && n.recipient === contact.email)).toBe(true);
  });

  it("refuses a request id that is no id", async () => {
    const res = await call(`/notifications?requestId=${"x".repeat(200)}`, env, { headers: opsCaller });
    expect(res.status).toBe(400);
    expect((await res.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe("query.requestId");
  });
});

// Reached over the binding without the gateway's check, the route still checks the caller the gateway forwarded.
describeOpsOnly([{ method: "GET", path: "/notifications?requestId=req_nothing", served: 200 }], send);

describe("GET /health", () => {
  it("answers ok", async () => {
    expect(await (await call("/health")).json()).toMatchObject({ service: "notify", status: "ok" });
  });
});
