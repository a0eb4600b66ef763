import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LiveDraft, LiveMessage } from "../src/live-push";
import { jobOf, newRequest, success } from "./helpers";

/** Opens a WebSocket on the job as intake does (fetch with Upgrade) and collects what it receives. */
async function watch(requestId: string) {
  const res = await jobOf(requestId).fetch(`http://orchestrator/live/${requestId}`, { headers: { upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error("no WebSocket in the 101 response");
  const received: (LiveMessage | LiveDraft)[] = [];
  const waiters: (() => void)[] = [];
  let closed = false;
  ws.addEventListener("message", (e) => {
    received.push(JSON.parse(String(e.data)));
    waiters.splice(0).forEach((w) => w());
  });
  ws.addEventListener("close", () => {
    closed = true;
  });
  ws.accept();
  /** Resolves with the n-th message (1-based) once it arrived. */
  async function nth(n: number): Promise<LiveMessage | LiveDraft> {
    const deadline = Date.now() + 5_000;
    while (received.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${received.length} of ${n} messages arrived`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    const message = received[n - 1];
    if (!message) throw new Error("unreachable");
    return message;
  }
  /** The n-th message, which must be a state. */
  async function state(n: number): Promise<LiveMessage> {
    const message = await nth(n);
    if (message.type !== "state") throw new Error(`message ${n} is a ${message.type}`);
    return message;
  }
  return { ws, received, nth: state, any: nth, isClosed: () => closed };
}

describe("live progress over a WebSocket", () => {
  it("sends the full state on connect, then every change, and closes when the job finished", async () => {
    const request = newRequest();
    const stub = jobOf(request.requestId);
    await stub.start(request);
    const live = await watch(request.requestId);
    const first = await live.nth(1);
    expect(first.job).toMatchObject({ requestId: request.requestId, status: "processing", progress: { done: 0, total: 1, percent: 0 } });
    expect(first.job?.tasks).toEqual([expect.objectContaining({ id: "nlp", kind: "nlp", state: "running", attempt: 1 })]);
    // Storage keys and the outbox are the object's business, not the page's.
    expect(JSON.stringify(first)).not.toContain("resultKey");

    await stub.report(success(request.requestId));
    const pushed = await live.nth(2);
    expect(pushed.job).toMatchObject({ status: "completed", progress: { done: 1, total: 1, percent: 100 } });
    expect(pushed.job?.tasks[0]).toMatchObject({ state: "succeeded", durationMs: expect.any(Number) });
  });

  it("answers before the job exists, and pushes once it starts", async () => {
    const request = newRequest();
    const live = await watch(request.requestId);
    expect(await live.nth(1)).toEqual({ type: "state", job: null });
    await jobOf(request.requestId).start(request);
    expect((await live.nth(2)).job?.status).toBe("processing");
  });

  it("keeps pushing after the object was evicted (hibernation), and resyncs on request", async () => {
    const request = newRequest();
    const stub = jobOf(request.requestId);
    await stub.start(request);
    const live = await watch(request.requestId);
    await live.nth(1);
    await evictDurableObject(stub);
    live.ws.send("state");
    expect((await live.nth(2)).job?.status).toBe("processing");
    await stub.cancel(request.requestId, "client");
    const last = await live.nth(3);
    expect(last.job).toMatchObject({ status: "cancelled", tasks: [{ state: "cancelled" }] });
  });
});

describe("the draft as it is written", () => {
  it("passes the current attempt's draft so far to the watchers, and drops one from a stale attempt", async () => {
    const request = newRequest();
    const stub = jobOf(request.requestId);
    await stub.start(request);
    const live = await watch(request.requestId);
    await live.nth(1);
    await stub.draft({ requestId: request.requestId, taskId: "nlp", attempt: 2, markdown: "# stale" });
    await stub.draft({ requestId: request.requestId, taskId: "nlp", attempt: 1, markdown: "# Draft\n\n## Scope" });
    expect(await live.any(2)).toEqual({ type: "draft", taskId: "nlp", markdown: "# Draft\n\n## Scope" });
    // Not stored: the finished state that follows carries no draft, and the job's state has none.
    await stub.report(success(request.requestId));
    expect((await live.nth(3)).job?.status).toBe("completed");
    expect(live.received.filter((m) => m.type === "draft")).toHaveLength(1);
  });
});

describe("live progress over Server-Sent Events", () => {
  it("streams the full state first, then the change", async () => {
    const request = newRequest();
    const stub = jobOf(request.requestId);
    await stub.start(request);
    const res = await stub.fetch(`http://orchestrator/live/${request.requestId}`, { headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (!reader) throw new Error("no body");
    const first = await reader.read();
    expect(first.value).toMatch(/^retry: 2000\nevent: state\ndata: /);
    expect(first.value).toContain('"status":"processing"');

    await stub.report(success(request.requestId));
    let text = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    // The stream ends after the final state.
    expect(text).toContain('"status":"completed"');
  });

  it("refuses a request that neither upgrades nor accepts an event stream", async () => {
    const request = newRequest();
    const res = await jobOf(request.requestId).fetch(`http://orchestrator/live/${request.requestId}`);
    expect(res.status).toBe(426);
  });
});
