import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Logger } from "@statex/shared/logger";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../src/index";
import { applyRetention } from "../src/retention";
import { count } from "./helpers";

const NOW = Date.UTC(2026, 11, 3, 12);
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

async function seed() {
  const db = env.DB;
  await db.batch([
    db.prepare("delete from logs"), db.prepare("delete from events"), db.prepare("delete from spam_log"), db.prepare("delete from dead_letters"),
    db.prepare("delete from metric_rollup"), db.prepare("delete from processed_events"), db.prepare("delete from event_outbox"),
    ...[15, 13].map((d) => db.prepare("insert into logs (ts, level, service, msg) values (?, 'info', 'intake', ?)").bind(daysAgo(d), `line ${d}`)),
    ...[15, 13].map((d) => db.prepare("insert into processed_events (consumer, event_id, processed_at) values ('logging:logs', ?, ?)").bind(`m${d}`, daysAgo(d))),
    // Another consumer's record of what it handled: kept past the dead letters' 30 days, then let go.
    ...[36, 31].map((d) => db.prepare("insert into processed_events (consumer, event_id, processed_at) values ('notify', ?, ?)").bind(`evt_handled_${d}`, daysAgo(d))),
    // Sent outbox events are history after a week; an unsent one is still owed, however old.
    ...[8, 6].map((d) => db.prepare("insert into event_outbox (id, type, body, created_at, sent_at) values (?, 'request.created', '{}', ?, ?)").bind(`evt_sent_${d}`, daysAgo(d), daysAgo(d))),
    db.prepare("insert into event_outbox (id, type, body, created_at) values ('evt_unsent', 'request.created', '{}', ?)").bind(daysAgo(40)),
    ...[91, 89].map((d) => db.prepare("insert into events (id, type, correlation_id, source, occurred_at, data, received_at) values (?, 'request.processing', 'req_1', 'orchestrator', ?, '{}', ?)").bind(`evt_${d}`, daysAgo(d), daysAgo(d))),
    ...[31, 29].map((d) => db.prepare("insert into spam_log (id, reason, channel, created_at) values (?, 'honeypot', 'http', ?)").bind(`spam_${d}`, daysAgo(d))),
    db.prepare("insert into dead_letters (id, queue, body, attempts, reason, received_at) values ('dl_old', 'statex-notify', '{}', 9, 'x', ?)").bind(daysAgo(31)),
    db.prepare("insert into dead_letters (id, queue, body, attempts, reason, received_at) values ('dl_open', 'statex-notify', '{}', 9, 'x', ?)").bind(daysAgo(2)),
    db.prepare("insert into dead_letters (id, queue, body, attempts, reason, received_at, redriven_at) values ('dl_redriven', 'statex-notify', '{}', 9, 'x', ?, ?)").bind(daysAgo(2), daysAgo(1)),
    ...[36, 34].map((d) => db.prepare("insert into metric_rollup (minute, metric, count) values (?, 'http', 1)").bind(daysAgo(d))),
    db.prepare("insert or ignore into audit_log (seq, at, action, target_type, target_id, source_id, prev_hash, hash) values (1, ?, 'role.granted', 'user', 'usr_1', 'src_1', ?, 'h')").bind(daysAgo(4000), "0".repeat(64)),
  ]);
}

describe("retention", () => {
  beforeEach(seed);

  it("deletes each kind past its time and keeps the rest, and the audit trail", async () => {
    const deleted = await applyRetention(env.DB, env, new Logger({}, "logging"), NOW);
    expect(deleted).toEqual({ logs: 1, "log batch ids": 1, events: 1, "spam log": 1, "dead letters": 2, "sent outbox events": 1, "handled event ids": 1, metrics: 1 });
    expect(await count("logs")).toBe(1);
    expect((await env.DB.prepare("select event_id from processed_events order by event_id").all<{ event_id: string }>()).results.map((r) => r.event_id)).toEqual(["evt_handled_31", "m13"]);
    expect((await env.DB.prepare("select id from event_outbox order by id").all<{ id: string }>()).results.map((r) => r.id)).toEqual(["evt_sent_6", "evt_unsent"]);
    expect(await count("events")).toBe(1);
    expect(await count("spam_log")).toBe(1);
    expect((await env.DB.prepare("select id from dead_letters").all<{ id: string }>()).results.map((r) => r.id)).toEqual(["dl_open"]);
    expect(await count("metric_rollup")).toBe(1);
    expect(await count("audit_log")).toBe(1);
    // The text index forgets the deleted lines with them.
    expect(await count("logs_search", "logs_search MATCH ?", '"line 15"')).toBe(0);
    expect(await count("logs_search", "logs_search MATCH ?", '"line 13"')).toBe(1);
  });

  it("takes each period from its variable; 0 keeps that kind", async () => {
    const deleted = await applyRetention(env.DB, { ...env, RETENTION_LOG_DAYS: "0", RETENTION_EVENT_DAYS: "1", RETENTION_SPAM_DAYS: "soon" }, new Logger({}, "logging"), NOW);
    expect(deleted).toMatchObject({ events: 2, "spam log": 1 });
    expect(deleted).not.toHaveProperty("logs");
    expect(await count("logs")).toBe(2);
  });

  it("runs on the hourly cron", async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() }), env);
    await waitOnExecutionContext(ctx);
    // Everything seeded is older than its time by now, but what is not past it stays.
    expect(await count("dead_letters", "id = 'dl_redriven'")).toBe(0);
    expect(await count("dead_letters", "id = 'dl_open'")).toBe(1);
  });
});
