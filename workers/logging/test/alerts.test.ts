import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Alerts } from "@statex/shared/api/logging";
import { database } from "@statex/shared/db";
import { createEvent } from "@statex/shared/events";
import { Logger } from "@statex/shared/logger";
import { beforeEach, describe, expect, it } from "vitest";
import { describeOpsOnly } from "../../../shared/test/callers";
import { type Announcement, evaluateAlerts } from "../src/alerts";
import worker from "../src/index";
import { call, deliver } from "./helpers";

const MINUTE = 60_000;
const db = database(env.DB);
const log = new Logger({}, "logging");

/** Runs the cron's evaluation at `minute` minutes past a fixed time, keeping what it announced. */
function evaluator(announced: Announcement[], fetcher: typeof fetch = (async () => new Response(null, { status: 200 })) as typeof fetch) {
  const t0 = Date.now();
  return (minute: number, health?: string) => evaluateAlerts({ ...env, HEALTH_URL: health ?? "" } as typeof env, db, log, async (a) => void announced.push(a), t0 + minute * MINUTE, fetcher);
}

beforeEach(async () => {
  await env.DB.batch([env.DB.prepare("delete from alerts"), env.DB.prepare("delete from alert_state"), env.DB.prepare("delete from dead_letters"), env.DB.prepare("delete from events")]);
});

describe("alerts", () => {
  it("announces a dead letter once when it appears and once when it is gone, however many runs between", async () => {
    const announced: Announcement[] = [];
    const at = evaluator(announced);
    await at(0);
    expect(announced).toEqual([]);
    await deliver("statex-notify-dlq", [{ id: "al-1", body: { type: "request.created", correlationId: "req_AL" } }]);
    for (const minute of [1, 2, 3, 4]) await at(minute);
    expect(announced.map((a) => [a.rule.id, a.state])).toEqual([["dead-letters", "firing"]]);
    expect(announced[0]?.summary).toBe("1 dead letter(s) not redriven");

    expect((await call("POST", "/dead-letters/statex-notify:al-1/redrive")).status).toBe(200);
    // Resolved after it stayed clear for two looks in a row, once.
    await at(5);
    expect(announced).toHaveLength(1);
    for (const minute of [6, 7, 8]) await at(minute);
    expect(announced.map((a) => [a.rule.id, a.state])).toEqual([["dead-letters", "firing"], ["dead-letters", "resolved"]]);

    const view = Alerts.parse(await (await call("GET", "/alerts")).json());
    expect(view.rules.map((r) => r.id)).toEqual(["dead-letters", "failure-rate", "queue-backlog", "worker-unhealthy", "p95-time-to-completed"]);
    expect(view.active).toEqual([]);
    expect(view.history).toEqual([expect.objectContaining({ rule: "dead-letters", state: "resolved" })]);
  });

  it("fires on a failure rate only once it held for 5 minutes", async () => {
    const announced: Announcement[] = [];
    const at = evaluator(announced);
    const ended = (type: "job.failed" | "job.completed", n: number) =>
      Array.from({ length: n }, (_, i) => ({ body: type === "job.failed" ? createEvent(type, { requestId: `req_F${i}`, reason: "x" }, { correlationId: `req_F${i}`, source: "orchestrator" }) : createEvent(type, { requestId: `req_C${i}`, durationMs: 5 }, { correlationId: `req_C${i}`, source: "orchestrator" }) }));
    await deliver("statex-logging", [...ended("job.failed", 4), ...ended("job.completed", 2)]);
    // The events were stored now: the evaluations at minutes 0 to 4 see them in their 5 minutes.
    for (const minute of [0, 1, 2, 3]) await at(minute);
    expect(announced).toEqual([]);
    await at(4.99);
    expect(announced).toEqual([]);
    await at(5);
    expect(announced.map((a) => [a.rule.id, a.state, a.summary])).toEqual([["failure-rate", "firing", "67% of 6 jobs failed over 5 minutes"]]);
  });

  it("fires when the platform's health check answers down, and tells ops which", async () => {
    const announced: Announcement[] = [];
    const at = evaluator(announced, (async () => new Response(JSON.stringify({ status: "down" }), { status: 503 })) as typeof fetch);
    for (const minute of [0, 1, 2]) await at(minute, "http://gateway/api/health");
    expect(announced.map((a) => [a.rule.id, a.summary])).toEqual([["worker-unhealthy", "down: platform health (503)"]]);
  });
});

describeOpsOnly([{ method: "GET", path: "/alerts", served: 200 }], call);

describe("the alert cron", () => {
  it("mails ops through notify once when an alert fires, into the local outbox", async () => {
    await deliver("statex-orchestrator-dlq", [{ id: "al-mail", body: { type: "request.created", correlationId: "req_ALM" } }]);
    for (let i = 0; i < 3; i++) await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), env);
    const res = await fetch(`${env.OUTBOX_URL}/outbox/messages?${new URLSearchParams({ to: env.OPS_ALERT_EMAIL })}`);
    const { messages } = await res.json<{ messages: { subject: string; body: string }[] }>();
    expect(messages.map((m) => m.subject)).toEqual(["StateX alert: FIRING: Dead letters appeared — 1 dead letter(s) not redriven"]);
    expect(messages[0]?.body).toContain("/ops.html");
  });
});
