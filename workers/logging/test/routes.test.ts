import { DeadLetter, StoredEvent, Timeline } from "@statex/shared/api/logging";
import { createEvent } from "@statex/shared/events";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { describeOpsOnly } from "../../../shared/test/callers";
import { call, createdEvent, deliver } from "./helpers";

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await call("GET", path);
  return { status: res.status, body: await res.json<T>() };
}


describe("GET /timeline/:correlationId", () => {
  it("merges a request's events, log lines and dead letters in time order", async () => {
    const id = "req_story";
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0, ms));
    const created = createdEvent(id, at(0));
    const completed = createEvent(
      "request.completed",
      { requestId: id, contact: { name: "Ada", email: "ada@example.com" }, summary: "s", resultKey: "k" },
      { correlationId: id, source: "orchestrator", occurredAt: at(300) },
    );
    // Delivered out of order, as queues do.
    await deliver("statex-logging", [{ body: completed }, { body: created }, { body: createdEvent("req_other", at(150)) }]);
    const line = (ms: number, msg: string, service: string) => ({ ts: at(ms).toISOString(), level: "info" as const, service, correlationId: id, msg });
    await deliver("statex-logs", [
      { body: { lines: [line(400, "notification sent", "notify")] } },
      // A producer that writes whole seconds sorts by instant, not by string.
      { body: { lines: [line(100, "job started", "orchestrator"), { ...line(0, "request received", "intake"), ts: "2026-11-01T12:00:00Z" }] } },
    ]);
    await deliver("statex-notify-dlq", [{ body: { ...completed, id: "evt_dead" } }]);

    const { status, body: answer } = await get<unknown>(`/timeline/${id}`);
    expect(status).toBe(200);
    const body = Timeline.parse(answer);
    expect(body.entries.slice(0, 5).map((e) => (e.kind === "event" ? e.type : e.kind === "log" ? e.msg : e.reason))).toEqual([
      "request.created",
      "request received",
      "job started",
      "request.completed",
      "notification sent",
    ]);
    expect(body.entries.at(-1)).toMatchObject({ kind: "dead-letter", reason: "retries exhausted on statex-notify" });
    expect(body.entries.some((e) => JSON.stringify(e).includes("req_other"))).toBe(false);
  });

  it("answers 404 for a correlation id nothing was recorded for", async () => {
    expect((await get("/timeline/req_nothing")).status).toBe(404);
  });
});

describe("GET /events and GET /dead-letters", () => {
  it("lists events newest first, by type, up to a limit", async () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 0, 0, s));
    await deliver("statex-logging", [
      { body: createdEvent("req_e1", at(1)) },
      { body: createdEvent("req_e2", at(2)) },
      { body: createEvent("user.registered", { userId: "usr_1", email: "u@example.com", name: "U" }, { correlationId: "usr_1", source: "identity" }) },
    ]);
    const Events = z.object({ events: z.array(StoredEvent) });
    const body = Events.parse((await get<unknown>("/events?type=request.created&limit=2")).body);
    expect(body.events.map((e) => e.correlationId)).toEqual(["req_e2", "req_e1"]);
    const all = Events.parse((await get<unknown>("/events")).body);
    expect(all.events.map((e) => e.type)).toContain("user.registered");
  });

  it("validates the query", async () => {
    const bad = await get<{ errors: { field: string }[] }>("/events?type=nope&limit=0");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(["query.limit", "query.type"]);
  });

  it("lists dead letters by the queue they failed on", async () => {
    await deliver("statex-orchestrator-dlq", [{ body: createdEvent("req_d1") }]);
    await deliver("statex-ai-tasks-dlq", [{ body: { taskId: "t1" } }]);
    const body = z.object({ deadLetters: z.array(DeadLetter) }).parse((await get<unknown>("/dead-letters?queue=statex-orchestrator")).body);
    expect(body.deadLetters).toEqual([expect.objectContaining({ queue: "statex-orchestrator", attempts: 6, correlationId: "req_d1" })]);
  });
});

// Reached over the binding without the gateway's check, each route still checks the caller the gateway forwarded.
describeOpsOnly(
  [
    { method: "GET", path: "/timeline/req_nothing", served: 404 },
    { method: "GET", path: "/events", served: 200 },
    { method: "GET", path: "/dead-letters", served: 200 },
    { method: "POST", path: "/dead-letters/nothing/redrive", served: 404 },
  ],
  call,
);
