import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { USER_ID_HEADER, USER_ROLE_HEADER } from "@statex/shared/auth";
import { sha256Hex } from "@statex/shared/hash";
import { LIVE_TICKET_TTL_MS, liveTicket, verifyLiveTicket } from "@statex/shared/tokens";
import { taskResultKey } from "@statex/shared/tasks";
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
const stranger = { [USER_ID_HEADER]: "usr_stranger", [USER_ROLE_HEADER]: "client" };

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

/** The owner asks for a ticket; the URL it answers is the gateway's, so the test calls intake at the same path without /api. */
async function ticketFor(id: string): Promise<{ path: string; ticket: string; expiresAt: string }> {
  const res = await call(`/requests/${id}/live-ticket`, { method: "POST", headers: owner });
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const { url, expiresAt } = await res.json<{ url: string; expiresAt: string }>();
  expect(url).toMatch(new RegExp(`^/api/requests/${id}/live\\?ticket=`));
  return { path: url.slice("/api".length), ticket: new URL(url, "http://x").searchParams.get("ticket") ?? "", expiresAt };
}

const notFound = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
};

describe("POST /requests/:id/live-ticket", () => {
  it("gives the owner a URL that opens the WebSocket or the event stream without the session, within about a minute", async () => {
    const { id } = await submitted(owner);
    const asked = Date.now();
    const { path, expiresAt } = await ticketFor(id);
    const answered = Date.now();
    // A minute from when it was issued, somewhere between the two, in whole seconds (the ticket carries seconds).
    expect(Date.parse(expiresAt)).toBeGreaterThan(asked + LIVE_TICKET_TTL_MS - 1_000);
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(answered + LIVE_TICKET_TTL_MS);

    // No identity headers: the ticket alone is what a browser's WebSocket and EventSource carry.
    expect(await firstMessage(await call(path, { headers: { upgrade: "websocket" } }))).toMatchObject({ type: "state" });
    const sse = await call((await ticketFor(id)).path, { headers: { accept: "text/event-stream" } });
    expect(sse.status).toBe(200);
    expect(sse.headers.get("content-type")).toBe("text/event-stream");
    const reader = sse.body?.getReader();
    const first = new TextDecoder().decode((await reader?.read())?.value);
    expect(first).toContain("event: state");
    await reader?.cancel();
  });

  it("answers 404 to everyone but the owner, as for an unknown id, and 401 to nobody signed in", async () => {
    const { id } = await submitted(owner);
    await notFound(await call(`/requests/${id}/live-ticket`, { method: "POST", headers: stranger }));
    await notFound(await call("/requests/req_00000000000000000000000000/live-ticket", { method: "POST", headers: owner }));
    const anonymous = await submitted();
    await notFound(await call(`/requests/${anonymous.id}/live-ticket`, { method: "POST", headers: owner }));
    expect((await call(`/requests/${id}/live-ticket`, { method: "POST" })).status).toBe(401);
  });

  it("refuses an expired, forged or someone else's ticket with 404, like a wrong token", async () => {
    const { id } = await submitted(owner);
    const ws = { headers: { upgrade: "websocket" } };
    const expired = await liveTicket(env.STATUS_TOKEN_SECRET, id, "usr_owner", Date.now() - 2 * LIVE_TICKET_TTL_MS);
    await notFound(await call(`/requests/${id}/live?ticket=${expired.ticket}`, ws));
    const strangers = await liveTicket(env.STATUS_TOKEN_SECRET, id, "usr_stranger");
    await notFound(await call(`/requests/${id}/live?ticket=${strangers.ticket}`, ws));
    const wrongKey = await liveTicket("not-the-status-token-secret", id, "usr_owner");
    await notFound(await call(`/requests/${id}/live?ticket=${wrongKey.ticket}`, ws));
    // A later expiry pasted onto a real ticket's HMAC.
    const { ticket } = await ticketFor(id);
    const [expiry, nonce, mac] = ticket.split(".");
    await notFound(await call(`/requests/${id}/live?ticket=${Number(expiry) + 3600}.${nonce}.${mac}`, ws));
    // Not a ticket at all: the query's schema refuses it by field.
    const malformed = await call(`/requests/${id}/live?ticket=nonsense`, ws);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ field: "query.ticket" }] });
  });

  it("opens one connection: the same URL again, even within its minute, is refused like a wrong ticket", async () => {
    const { id } = await submitted(owner);
    const { path } = await ticketFor(id);
    expect(await firstMessage(await call(path, { headers: { upgrade: "websocket" } }))).toMatchObject({ type: "state" });
    await notFound(await call(path, { headers: { upgrade: "websocket" } }));
    // An event stream's own reconnection carries the same URL: refused, so the page asks for a fresh ticket.
    await notFound(await call(path, { headers: { accept: "text/event-stream" } }));
    // A forged or someone else's ticket uses up nothing: the owner's next one still opens.
    const strangers = await liveTicket(env.STATUS_TOKEN_SECRET, id, "usr_stranger");
    await notFound(await call(`/requests/${id}/live?ticket=${strangers.ticket}`, { headers: { upgrade: "websocket" } }));
    expect(await env.DB.prepare("select count(*) as n from used_live_tickets where hash = ?").bind(await sha256Hex(strangers.ticket)).first("n")).toBe(0);
    expect(await firstMessage(await call((await ticketFor(id)).path, { headers: { upgrade: "websocket" } }))).toMatchObject({ type: "state" });
  });

  it("opens only the request it was issued for, and only the live route", async () => {
    const a = await submitted(owner);
    const b = await submitted(owner);
    const { ticket } = await ticketFor(a.id);
    await notFound(await call(`/requests/${b.id}/live?ticket=${ticket}`, { headers: { upgrade: "websocket" } }));
    await notFound(await call(`/requests/${a.id}/cancel?ticket=${ticket}`, { method: "POST" }));
    // Nor does it pass for a status token.
    await notFound(await call(`/requests/${a.id}?token=${ticket}`));
    await notFound(await call(`/requests/${a.id}/live?token=${ticket}`, { headers: { upgrade: "websocket" } }));
  });

  it("expires after its minute on a fixed clock", async () => {
    const issued = Date.UTC(2026, 0, 1, 12, 0, 0);
    const { ticket, expiresAt } = await liveTicket(env.STATUS_TOKEN_SECRET, "req_A", "usr_owner", issued);
    expect(expiresAt).toBe(issued + LIVE_TICKET_TTL_MS);
    expect(await verifyLiveTicket(env.STATUS_TOKEN_SECRET, "req_A", "usr_owner", ticket, issued + LIVE_TICKET_TTL_MS - 1)).toBe(true);
    expect(await verifyLiveTicket(env.STATUS_TOKEN_SECRET, "req_A", "usr_owner", ticket, issued + LIVE_TICKET_TTL_MS)).toBe(false);
    expect(await verifyLiveTicket(env.STATUS_TOKEN_SECRET, "req_B", "usr_owner", ticket, issued)).toBe(false);
  });
});

describe("GET /requests/:id/tasks/:taskId/result", () => {
  it("serves a task's whole output to the status-token holder and the owner, and to nobody else", async () => {
    const { id, token } = await submitted(owner);
    const stored = { taskId: "asr-file_A1", kind: "asr", attempt: 1, output: { text: "we need a booking site", language: "en", durationSec: 2.1, segments: [] }, provenance: { provider: "local" } };
    // Where the orchestrator keeps a succeeded task's output (the same bucket).
    await env.FILES.put(taskResultKey(id, "asr-file_A1"), JSON.stringify(stored));

    for (const init of [{}, { headers: owner }]) {
      const res = await call(`/requests/${id}/tasks/asr-file_A1/result${"headers" in init ? "" : `?token=${token}`}`, init);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(await res.json()).toEqual(stored);
    }
    await notFound(await call(`/requests/${id}/tasks/asr-file_A1/result`, { headers: stranger }));
    await notFound(await call(`/requests/${id}/tasks/asr-file_A1/result?token=${"x".repeat(43)}`));
    await notFound(await call(`/requests/${id}/tasks/asr-file_A1/result`));
    // A task that has not succeeded (or does not exist) has no output yet.
    await notFound(await call(`/requests/${id}/tasks/prototype/result?token=${token}`));
  });

  it("refuses a task id that is not one, by field, before reading anything", async () => {
    const { id, token } = await submitted();
    const res = await call(`/requests/${id}/tasks/${encodeURIComponent("../analysis")}/result?token=${token}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ field: "param.taskId" }] });
  });
});
