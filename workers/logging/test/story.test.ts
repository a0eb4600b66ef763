import { env } from "cloudflare:workers";
import { QueueRedriven, Story } from "@statex/shared/api/logging";
import { createEvent } from "@statex/shared/events";
import { describe, expect, it } from "vitest";
import { describeOpsOnly, opsCaller } from "../../../shared/test/callers";
import { call, createdEvent, deliver } from "./helpers";


describe("GET /requests/:id/story", () => {
  it("tells a request's story in time order: its events, the lines of the HTTP request that submitted it, its tasks, notifications and audit", async () => {
    const id = "req_01JXSTORY0000000000000000";
    const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s)).toISOString();
    await env.DB.batch([
      env.DB.prepare("insert into requests (id, channel, name, email, text, created_at) values (?, 'web', 'Ada', 'ada@example.com', 'x', ?)").bind(id, t(1)),
      env.DB.prepare("insert into jobs (request_id, status, steps, created_at, updated_at, completed_at) values (?, 'completed', ?, ?, ?, ?)").bind(
        id, JSON.stringify([{ id: "nlp", kind: "nlp", state: "succeeded", attempt: 1, startedAt: t(3), finishedAt: t(5), durationMs: 2_000, provider: "openai" }]), t(2), t(6), t(6)),
      env.DB.prepare("insert into notifications (id, event_id, request_id, channel, kind, recipient, template, subject, body, status, attempts, created_at, sent_at) values ('ntf_S', 'evt_S', ?, 'email', 'ready', 'ada@example.com', 'request-ready', 's', 'b', 'sent', 1, ?, ?)").bind(id, t(7), t(8)),
    ]);
    await deliver("statex-logging", [{ body: createdEvent(id, new Date(t(1))) }, { body: createEvent("audit.recorded", { action: "job.retried", actor: { id: "usr_OPS", role: "ops" }, target: { type: "request", id }, change: null }, { correlationId: id, source: "orchestrator", occurredAt: new Date(t(9)) }) }]);
    await deliver("statex-logs", [{ body: { lines: [
      { ts: t(0), level: "info", service: "gateway", correlationId: "http-story", msg: "request received" },
      { ts: t(1), level: "info", service: "intake", correlationId: id, requestId: "http-story", msg: "request stored" },
      { ts: t(4), level: "info", service: "ai", correlationId: id, msg: "task started" },
    ] } }]);

    const res = await call("GET", `/requests/${id}/story`);
    expect(res.status).toBe(200);
    const story = Story.parse(await res.json());
    expect(story.request).toMatchObject({ id, channel: "web", erased: false });
    expect(JSON.stringify(story.request)).not.toContain("ada@example.com");
    expect(story.job).toMatchObject({ status: "completed", tasks: [{ id: "nlp", resultUrl: `/api/ops/jobs/${id}/tasks/nlp/result` }] });
    expect(story.notifications).toEqual([expect.objectContaining({ channel: "email", status: "sent" })]);
    expect(JSON.stringify(story.notifications)).not.toContain("ada@example.com");
    expect(story.entries.map((e) => (e.kind === "log" ? `log:${e.msg}` : e.kind))).toEqual([
      "log:request received", "event", "log:request stored", "log:task started", "task", "notification", "audit",
    ]);
  });

  it("404 for a request nobody knows", async () => {
    expect((await call("GET", "/requests/req_nobody/story")).status).toBe(404);
  });
});

describe("POST /dead-letters/redrive", () => {
  it("redrives every open dead letter of a queue and skips what was erased, then lists none open", async () => {
    await deliver("statex-intake-dlq", [1, 2, 3].map((n) => ({ id: `all-${n}`, body: { type: "request.created", correlationId: `req_ALL${n}` } })));
    await env.DB.prepare(`update dead_letters set body = '{"erased":true}' where id = 'statex-intake:all-3'`).run();
    const res = await call("POST", "/dead-letters/redrive", { ...opsCaller, "content-type": "application/json" }, JSON.stringify({ queue: "statex-intake" }));
    expect(QueueRedriven.parse(await res.json())).toEqual({ queue: "statex-intake", redriven: 2, skipped: 1, failed: 0 });
    const open = (await (await call("GET", "/dead-letters?queue=statex-intake&state=open")).json()) as { deadLetters: { id: string }[] };
    expect(open.deadLetters.map((d) => d.id)).toEqual(["statex-intake:all-3"]);
    expect((await call("POST", "/dead-letters/redrive", { ...opsCaller, "content-type": "application/json" }, JSON.stringify({ queue: "nowhere" }))).status).toBe(400);
  });
});

describeOpsOnly([{ method: "GET", path: "/requests/req_nobody/story", served: 404 }], call);
