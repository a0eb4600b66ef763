import { describe, expect, it } from "vitest";
import { type RequestView, deadLetterOf, eventually, opsHeaders, redrive, siteUrl, submitText } from "./helpers";

const text = "We need a booking website for our physiotherapy clinic, with reminders by SMS and email.";
// The ai worker's dev-only fault switch (workers/ai/src/fault.ts): every delivery of this request's nlp task fails.
const FAULT = "[[statex-fault:nlp]]";

type LiveMessage = { type: "state"; job: { status: string; progress: { percent: number }; tasks: { kind: string; state: string; attempt: number }[] } | null };

describe("live progress on the real platform", () => {
  it("pushes the job's state over a WebSocket until it completed", async () => {
    const submitted = await submitText({ name: "Live Watcher", email: "live@clinic.example", text });
    const url = new URL(submitted.statusUrl.replace(/^\/api\/requests\/([^?]+)/, "/api/requests/$1/live"), siteUrl());
    url.protocol = "ws:";
    const received: LiveMessage[] = [];
    const closed = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onmessage = (e) => received.push(JSON.parse(String(e.data)) as LiveMessage);
      ws.onclose = (e) => resolve(e.code);
      ws.onerror = () => reject(new Error("the WebSocket failed"));
      setTimeout(() => reject(new Error(`no completion over the WebSocket; got ${JSON.stringify(received)}`)), 30_000);
    });
    expect(closed).toBe(1000);
    // The full state first (before the job started it is null), the completed state last.
    expect(received[0]?.type).toBe("state");
    const last = received.at(-1)?.job;
    expect(last).toMatchObject({ status: "completed", progress: { percent: 100 } });
    expect(last?.tasks).toContainEqual(expect.objectContaining({ kind: "nlp", state: "succeeded" }));
  });
});

describe("a task that fails every time", () => {
  it("leaves a dead letter ops can redrive once, and its client can cancel the request", async () => {
    const submitted = await submitText({ name: "Fault Injected", email: "fault@clinic.example", text: `${text} ${FAULT}` });

    const letter = await deadLetterOf("statex-ai-tasks", submitted.id);
    expect(letter).toMatchObject({ queue: "statex-ai-tasks", reason: "retries exhausted on statex-ai-tasks", redrivenAt: null });

    const first = await redrive(letter.id);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: letter.id, queue: "statex-ai-tasks" });
    const second = await redrive(letter.id);
    expect(second.status).toBe(409);
    expect(second.headers.get("content-type")).toBe("application/problem+json");

    // The job is still waiting on the task, holding one of the platform's job slots (ops see it); its client stops it.
    const slots = async () => (await (await fetch(`${siteUrl()}/api/ops/job-slots`, { headers: await opsHeaders() })).json()) as { slots: number; running: { requestId: string }[] };
    expect((await slots()).running.map((r) => r.requestId)).toContain(submitted.id);
    expect((await fetch(`${siteUrl()}/api/ops/job-slots`)).status).toBe(401);
    const token = new URL(submitted.statusUrl, siteUrl()).searchParams.get("token") ?? "";
    const cancel = await fetch(`${siteUrl()}/api/requests/${submitted.id}/cancel?token=${encodeURIComponent(token)}`, { method: "POST" });
    expect(cancel.status).toBe(200);
    const view = await eventually("the request to show cancelled", async () => {
      const body = (await (await fetch(`${siteUrl()}${submitted.statusUrl}`)).json()) as RequestView;
      return body.status === "cancelled" ? body : undefined;
    });
    expect(view.steps).toContainEqual(expect.objectContaining({ kind: "nlp", state: "cancelled" }));
    // The cancelled job gave its slot back.
    await eventually("the slot to be given back", async () => ((await slots()).running.some((r) => r.requestId === submitted.id) ? undefined : true));
    // Ops cannot retry it either: its client stopped it.
    expect((await fetch(`${siteUrl()}/api/ops/jobs/${submitted.id}/retry`, { method: "POST", headers: await opsHeaders() })).status).toBe(409);
  });
});
