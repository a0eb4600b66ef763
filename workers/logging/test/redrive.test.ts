import { env } from "cloudflare:workers";
import { Redriven } from "@statex/shared/api/logging";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, createdEvent, deliver } from "./helpers";

const redrive = (id: string) => call("POST", `/dead-letters/${encodeURIComponent(id)}/redrive`);

async function redrivenAt(id: string) {
  return (await env.DB.prepare("select redriven_at from dead_letters where id = ?").bind(id).first<{ redriven_at: string | null }>())?.redriven_at;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("POST /dead-letters/:id/redrive", () => {
  it("sends the stored body back to the queue it failed on, once", async () => {
    const task = { taskId: "nlp", requestId: "req_redrive", kind: "nlp", attempt: 1, input: { text: "x" } };
    await deliver("statex-ai-tasks-dlq", [{ id: "msg-1", body: task }]);
    // Spied, not replaced: the real producer still sends.
    const toAi = vi.spyOn(env.REDRIVE_AI_TASKS, "send");
    const toNotify = vi.spyOn(env.REDRIVE_NOTIFY, "send");

    const res = await redrive("statex-ai-tasks:msg-1");
    expect(res.status).toBe(200);
    expect(Redriven.parse(await res.json())).toMatchObject({ id: "statex-ai-tasks:msg-1", queue: "statex-ai-tasks" });
    expect(toAi).toHaveBeenCalledExactlyOnceWith(task, { contentType: "json" });
    expect(toNotify).not.toHaveBeenCalled();
    expect(await redrivenAt("statex-ai-tasks:msg-1")).not.toBeNull();

    const again = await redrive("statex-ai-tasks:msg-1");
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
    expect(toAi).toHaveBeenCalledTimes(1);
  });

  it("routes an event dead letter to its own queue", async () => {
    const event = createdEvent("req_redrive_event");
    await deliver("statex-notify-dlq", [{ id: "msg-2", body: event }]);
    const toNotify = vi.spyOn(env.REDRIVE_NOTIFY, "send");
    expect((await redrive("statex-notify:msg-2")).status).toBe(200);
    expect(toNotify).toHaveBeenCalledExactlyOnceWith(event, { contentType: "json" });
  });

  it("keeps the dead letter redrivable when the queue refuses the send", async () => {
    await deliver("statex-orchestrator-dlq", [{ id: "msg-3", body: createdEvent("req_redrive_fail") }]);
    vi.spyOn(env.REDRIVE_ORCHESTRATOR, "send").mockRejectedValueOnce(new Error("queue unavailable"));
    expect((await redrive("statex-orchestrator:msg-3")).status).toBe(503);
    expect(await redrivenAt("statex-orchestrator:msg-3")).toBeNull();
    expect((await redrive("statex-orchestrator:msg-3")).status).toBe(200);
  });

  it("answers 404 for an unknown dead letter", async () => {
    expect((await redrive("statex-notify:nope")).status).toBe(404);
  });
});
