/**
 * Evaluating the alert rules (src/alert-rules.ts) every minute, by cron. Each rule has one state row: since when its
 * condition has held without a break. It fires once the condition held for its `forMinutes`, and resolves once the
 * condition has not held for RESOLVE_AFTER_MINUTES in a row — so a rule that flickers at its edge is not a storm.
 * An alert is one row of `alerts`, its id made from the rule and when it began to hold, so two cron runs at once
 * insert it once; only the run whose insert (or resolution) took effect announces it.
 */
import { type Database, schema } from "@statex/shared/db";
import { checkHealth } from "@statex/shared/health";
import type { Logger } from "@statex/shared/logger";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type Facts, RULES, type Rule } from "./alert-rules";
import { type AnalyticsEnv, type Window, groupsFor, quantile } from "./overview";
import { redriveQueue } from "./redrive";

/** What the rules look at, gathered once per evaluation. */
export type Announcement = { rule: Rule; state: "firing" | "resolved"; alertId: string; firedAt: string; resolvedAt: string | null; value: number; summary: string };
export type Announce = (a: Announcement) => Promise<void>;

const RESOLVE_AFTER_MINUTES = 2;
const QUEUES = ["orchestrator", "ai-tasks", "notify", "intake", "logging", "logs"];
const MINUTE = 60_000;

type AlertsEnv = LoggingEnv & AnalyticsEnv & { HEALTH_URL?: string };

/** Gathers the facts: D1 for dead letters and jobs, the queues' own metrics, health, and the metrics for the p95. */
export async function gatherFacts(env: AlertsEnv, db: Database, previous: Record<string, number>, now: number, fetcher: typeof fetch = fetch): Promise<Facts> {
  const { deadLetters, events } = schema;
  const open = await db.select({ n: sql<number>`count(*)` }).from(deadLetters).where(isNull(deadLetters.redrivenAt)).get();
  const since = new Date(now - 5 * MINUTE).toISOString();
  const ended = await db
    .select({ type: events.type, n: sql<number>`count(*)` })
    .from(events)
    .where(and(sql`${events.receivedAt} >= ${since}`, sql`${events.type} in ('job.completed', 'job.failed')`))
    .groupBy(events.type)
    .all();
  const backlogs: Facts["backlogs"] = {};
  for (const queue of QUEUES) {
    const producer = redriveQueue(env, `statex-${queue}`);
    const count = producer ? await producer.metrics().then((m) => m.backlogCount, () => null) : null;
    if (count !== null) backlogs[queue] = [previous[queue] ?? count, count];
  }
  const unhealthy: string[] = [];
  if ((await checkHealth(env)).status === "down") unhealthy.push("logging");
  if (env.HEALTH_URL) {
    const platform = await fetcher(env.HEALTH_URL, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);
    if (platform !== 200) unhealthy.push(`platform health (${platform || "no answer"})`);
  }
  const w: Window = { range: "hour", from: now - 15 * MINUTE, to: now, bucketSeconds: 900, buckets: 1 };
  const completed = (await groupsFor(env, w)).filter((g) => g.metric === "job" && g.d1 === "completed");
  return {
    openDeadLetters: open?.n ?? 0,
    jobs5m: { completed: ended.find((e) => e.type === "job.completed")?.n ?? 0, failed: ended.find((e) => e.type === "job.failed")?.n ?? 0 },
    backlogs,
    unhealthy,
    p95ToCompletedMs: quantile(completed, 0.95),
  };
}

type Memory = { clearSince?: string | null; backlogs?: Record<string, number> };

/** One evaluation of every rule; answers what was announced. */
export async function evaluateAlerts(env: AlertsEnv, db: Database, log: Logger, announce: Announce, now = Date.now(), fetcher: typeof fetch = fetch): Promise<Announcement[]> {
  const { alertState, alerts } = schema;
  const states = new Map((await db.select().from(alertState).all()).map((s) => [s.rule, s]));
  const backlogMemory = (states.get("queue-backlog")?.memory as Memory | null)?.backlogs ?? {};
  const facts = await gatherFacts(env, db, backlogMemory, now, fetcher);
  const nowIso = new Date(now).toISOString();
  const announced: Announcement[] = [];
  for (const rule of RULES) {
    const verdict = rule.evaluate(facts);
    const state = states.get(rule.id);
    const memory: Memory = { ...((state?.memory as Memory | null) ?? {}), ...(rule.id === "queue-backlog" ? { backlogs: Object.fromEntries(Object.entries(facts.backlogs).map(([q, [, n]]) => [q, n])) } : {}) };
    const open = await db.select().from(alerts).where(and(eq(alerts.rule, rule.id), isNull(alerts.resolvedAt))).orderBy(desc(alerts.firedAt)).get();
    let pendingSince = state?.pendingSince ?? null;
    if (verdict.holds) {
      pendingSince ??= nowIso;
      memory.clearSince = null;
      if (!open && now - Date.parse(pendingSince) >= rule.forMinutes * MINUTE) {
        const id = `alr_${rule.id}_${pendingSince}`;
        const inserted = await db
          .insert(alerts)
          .values({ id, rule: rule.id, firedAt: nowIso, value: verdict.value, summary: verdict.summary })
          .onConflictDoNothing()
          .returning({ id: alerts.id })
          .all();
        if (inserted.length) announced.push({ rule, state: "firing", alertId: id, firedAt: nowIso, resolvedAt: null, value: verdict.value, summary: verdict.summary });
      }
    } else {
      pendingSince = null;
      memory.clearSince ??= nowIso;
      if (open && now - Date.parse(memory.clearSince) >= (RESOLVE_AFTER_MINUTES - 1) * MINUTE) {
        const resolved = await db.update(alerts).set({ resolvedAt: nowIso }).where(and(eq(alerts.id, open.id), isNull(alerts.resolvedAt))).returning({ id: alerts.id }).all();
        if (resolved.length) announced.push({ rule, state: "resolved", alertId: open.id, firedAt: open.firedAt, resolvedAt: nowIso, value: verdict.value, summary: verdict.summary });
      }
    }
    await db
      .insert(alertState)
      .values({ rule: rule.id, pendingSince, memory, checkedAt: nowIso })
      .onConflictDoUpdate({ target: alertState.rule, set: { pendingSince, memory, checkedAt: nowIso } })
      .run();
  }
  for (const a of announced) {
    log.warn(`alert ${a.state}`, { rule: a.rule.id, alertId: a.alertId, summary: a.summary });
    // The alert's row is the record; a failed announcement is logged, and not sent again by the next run.
    await announce(a).catch((err: unknown) => log.error("alert announcement failed", { alertId: a.alertId, error: String(err) }));
  }
  return announced;
}

/** Announces an alert to ops by email through notify (the ops-alert account email), once per alert and state. */
export async function mailOps(env: Pick<LoggingEnv, "NOTIFY_API" | "OPS_ALERT_EMAIL">, a: Announcement): Promise<void> {
  const what = a.state === "firing" ? "FIRING" : "resolved";
  await env.NOTIFY_API.sendAccountEmail({
    to: env.OPS_ALERT_EMAIL,
    template: "ops-alert",
    summary: `${what}: ${a.rule.title} — ${a.summary}\nRule: ${a.rule.description}\nSince ${a.firedAt}${a.resolvedAt ? `, resolved ${a.resolvedAt}` : ""}.`,
    link: "/ops.html",
    idempotencyKey: `${a.alertId}:${a.state}`.replace(/[^A-Za-z0-9_:.-]/g, "_").slice(0, 128),
    correlationId: a.alertId,
  });
}

/** The alerts for ops: the rules, what is firing now, and the last 100. */
export async function alertsView(db: Database) {
  const { alerts } = schema;
  const history = await db.select().from(alerts).orderBy(desc(alerts.firedAt)).limit(100).all();
  return {
    rules: RULES.map(({ id, title, description, forMinutes, threshold }) => ({ id, title, description, for: `${forMinutes}m`, threshold })),
    active: history.filter((a) => a.resolvedAt === null).map((a) => ({ rule: a.rule, firedAt: a.firedAt, value: a.value, summary: a.summary })),
    history: history.map((a) => ({ id: a.id, rule: a.rule, state: a.resolvedAt ? "resolved" : "firing", firedAt: a.firedAt, resolvedAt: a.resolvedAt, value: a.value, summary: a.summary })),
  };
}
