import { env } from "cloudflare:workers";
import { createEvent } from "@statex/shared/events";
import type { LogBatch } from "@statex/shared/logger";
import { describe, expect, it } from "vitest";
import { classifyQueue } from "../src/ingest";
import { count, createdEvent, deliver } from "./helpers";

const line = (i: number, correlationId?: string): LogBatch["lines"][number] => ({
  ts: new Date(Date.UTC(2026, 10, 1, 12, 0, 0, i)).toISOString(),
  level: "info",
  service: "intake",
  ...(correlationId ? { correlationId } : {}),
  msg: `line ${i}`,
  fields: { i },
});

describe("statex-logging: the audit trail", () => {
  it("stores each event once, however often it is delivered", async () => {
    const event = createdEvent("req_once");
    const first = await deliver("statex-logging", [{ body: event }, { body: event }]);
    expect(first.explicitAcks).toHaveLength(2);
    await deliver("statex-logging", [{ body: event }], 2);
    expect(await count("events", "id = ?", event.id)).toBe(1);
    const row = await env.DB.prepare("select type, correlation_id, source, data from events where id = ?").bind(event.id).first<Record<string, string>>();
    expect(row).toMatchObject({ type: "request.created", correlation_id: "req_once", source: "intake" });
    expect(JSON.parse(row?.data ?? "{}")).toMatchObject({ requestId: "req_once", text: "x" });
  });

  it("sets an invalid envelope aside as a dead letter without retrying it", async () => {
    const bad = { id: "evt_bad", type: "request.created", correlationId: "req_bad", occurredAt: "yesterday", source: "intake", data: {} };
    const result = await deliver("statex-logging", [{ id: "m-bad", body: bad }]);
    expect(result.explicitAcks).toEqual(["m-bad"]);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare("select * from dead_letters where id = ?").bind("statex-logging:m-bad").first<Record<string, unknown>>();
    expect(row).toMatchObject({ queue: "statex-logging", event_type: "request.created", correlation_id: "req_bad" });
    expect(String(row?.reason)).toMatch(/^invalid event: .*occurredAt/);
    expect(await count("events", "id = ?", "evt_bad")).toBe(0);
  });
});

describe("statex-logs: log lines", () => {
  it("stores a large batch in statements under D1's parameter limit, and only once", async () => {
    const body: LogBatch = { lines: Array.from({ length: 500 }, (_, i) => line(i, "req_logs")) };
    const result = await deliver("statex-logs", [{ id: "logs-1", body }]);
    expect(result.explicitAcks).toEqual(["logs-1"]);
    await deliver("statex-logs", [{ id: "logs-1", body }], 2);
    expect(await count("logs", "correlation_id = ?", "req_logs")).toBe(500);
    const last = await env.DB.prepare("select msg, fields from logs where correlation_id = ? order by ts desc limit 1").bind("req_logs").first<Record<string, string>>();
    expect(last).toEqual({ msg: "line 499", fields: JSON.stringify({ i: 499 }) });
  });

  it("sets an invalid batch aside without retrying it", async () => {
    const result = await deliver("statex-logs", [{ id: "logs-bad", body: { lines: [{ level: "loud" }] } }]);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare("select reason from dead_letters where id = ?").bind("statex-logs:logs-bad").first<{ reason: string }>();
    expect(row?.reason).toMatch(/^invalid log batch: lines\.0\./);
  });
});

describe("dead-letter queues", () => {
  it("records what exhausted its retries, with the queue it failed on and its event", async () => {
    const event = createEvent(
      "request.completed",
      { requestId: "req_dlq", contact: { name: "Ada", email: "ada@example.com" }, summary: "s", resultKey: "k" },
      { correlationId: "req_dlq", source: "orchestrator" },
    );
    const result = await deliver("statex-notify-dlq", [{ id: "dlq-1", body: event }, { id: "dlq-2", body: { lines: [line(1)] } }]);
    expect(result.explicitAcks.sort()).toEqual(["dlq-1", "dlq-2"]);
    const rows = await env.DB.prepare("select * from dead_letters where queue = 'statex-notify' order by id").all<Record<string, unknown>>();
    expect(rows.results).toEqual([
      expect.objectContaining({ id: "statex-notify:dlq-1", event_type: "request.completed", correlation_id: "req_dlq", attempts: 9, reason: "retries exhausted on statex-notify" }),
      expect.objectContaining({ id: "statex-notify:dlq-2", event_type: null, correlation_id: null, reason: "retries exhausted on statex-notify" }),
    ]);
    expect(JSON.parse(String(rows.results[0]?.body))).toEqual(event);
  });

  it("files a task's dead letter under its request, so the request's timeline shows it", async () => {
    const task = { requestId: "req_task_dlq", taskId: "asr-f1", kind: "asr", attempt: 2, input: { fileKey: "k", mime: "audio/wav" } };
    await deliver("statex-ai-tasks-dlq", [{ id: "dlq-task", body: task }]);
    const row = await env.DB.prepare("select queue, event_type, correlation_id from dead_letters where id = ?").bind("statex-ai-tasks:dlq-task").first();
    expect(row).toEqual({ queue: "statex-ai-tasks", event_type: null, correlation_id: "req_task_dlq" });
  });

  it("tells every queue apart in every environment", () => {
    expect(classifyQueue("statex-logging")).toEqual({ kind: "events" });
    expect(classifyQueue("statex-logs-staging")).toEqual({ kind: "logs" });
    expect(classifyQueue("statex-ai-tasks-dlq-staging")).toEqual({ kind: "dlq", origin: "statex-ai-tasks-staging", name: "ai-tasks" });
    expect(classifyQueue("statex-logs-dlq")).toEqual({ kind: "dlq", origin: "statex-logs", name: "logs" });
    expect(classifyQueue("something-else")).toEqual({ kind: "unknown" });
  });

  it("keeps the messages of a queue it has no code for", async () => {
    const result = await deliver("statex-mystery", [{ body: {} }]);
    expect(result.retryBatch.retry).toBe(true);
  });
});
