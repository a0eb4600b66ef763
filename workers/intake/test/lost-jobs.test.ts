import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { database } from "@statex/shared/db";
import { newId } from "@statex/shared/ids";
import { Logger } from "@statex/shared/logger";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { createRequest } from "../src/create";
import { LOST_JOB_AFTER_MS, startLostJobs } from "../src/lost-jobs";
import { contact, submitJson } from "./call";

/** The orchestrator's queue as a lost delivery looks: every send is accepted, and nothing ever arrives. */
function droppingQueue(sent: unknown[]): Queue {
  const metrics = { backlogCount: 0, backlogBytes: 0 };
  return {
    metrics: async () => metrics,
    send: async (body: unknown) => {
      sent.push(body);
      return { metadata: { metrics } };
    },
    sendBatch: async (messages: Iterable<MessageSendRequest>) => {
      for (const m of messages) sent.push(m.body);
      return { metadata: { metrics } };
    },
  };
}

const jobRow = (requestId: string) => env.DB.prepare("select status from jobs where request_id = ?").bind(requestId).first<{ status: string }>();

describe("the lost jobs sweep (intake's cron)", () => {
  it("starts, once, the job of a request whose request.created never arrived, and leaves the rest alone", async () => {
    const sent: unknown[] = [];
    const lossy = { ...env, Q_ORCHESTRATOR: droppingQueue(sent) } satisfies IntakeEnv;
    const submitted = async (i: number) => {
      const res = await submitJson({ ...contact, text: `${contact.text} (${i})` }, {}, lossy);
      expect(res.status).toBe(202);
      return (await res.json<{ id: string }>()).id;
    };
    const [lost, running, waiting, cancelled, erased] = [await submitted(1), await submitted(2), await submitted(3), await submitted(4), await submitted(5)];
    expect(sent).toHaveLength(5);
    // The relay counted every send as done: nothing is left for the outbox's cron to send again.
    expect(await env.DB.prepare("select count(*) as n from event_outbox where sent_at is null").first("n")).toBe(0);

    // Two were delivered after all (the orchestrator's consumer calls the same start): with one slot, the first
    // runs (or waits, if another job holds it) and the second waits in line behind it.
    const eventOf = async (requestId: string) => {
      const row = await env.DB.prepare("select body from event_outbox where json_extract(body, '$.data.requestId') = ?").bind(requestId).first<{ body: string }>();
      return JSON.parse(row?.body ?? "{}").data;
    };
    await env.ORCHESTRATOR.startJob(await eventOf(running));
    await env.ORCHESTRATOR.startJob(await eventOf(waiting));
    expect(await env.ORCHESTRATOR.placeInLine({ requestId: waiting })).not.toBeNull();
    // Cancelled by its client before its (lost) event came: the job must be recorded as cancelled, never run.
    expect(await env.ORCHESTRATOR.cancelRequest({ requestId: cancelled, by: "client" })).toEqual({ ok: true });
    // Erased: nothing of it may start.
    await env.DB.prepare("update requests set erased_at = ? where id = ?").bind(new Date().toISOString(), erased).run();

    const db = database(env.DB);
    const log = new Logger(env, "intake");
    // Too young: a delivery may still be on its way.
    expect(await startLostJobs(db, lossy, log)).toEqual([]);
    const later = Date.now() + 2 * LOST_JOB_AFTER_MS;
    expect((await startLostJobs(db, lossy, log, { now: later })).sort()).toEqual([lost, cancelled].sort());

    // The lost one's job began: it runs, or waits its turn in JobSlots' line.
    expect((await jobRow(lost)) !== null || (await env.ORCHESTRATOR.placeInLine({ requestId: lost })) !== null).toBe(true);
    expect(await jobRow(cancelled)).toEqual({ status: "cancelled" });
    expect(await env.ORCHESTRATOR.placeInLine({ requestId: cancelled })).toBeNull();
    expect(await jobRow(erased)).toBeNull();
    expect(await env.ORCHESTRATOR.placeInLine({ requestId: erased })).toBeNull();
    // The waiting one kept its place; the sweep sent nothing to any queue (notify is not told twice).
    expect(await env.ORCHESTRATOR.placeInLine({ requestId: waiting })).not.toBeNull();
    expect(sent).toHaveLength(5);

    // Its event arrives late after all: the start is idempotent, so nothing starts twice.
    const before = await env.ORCHESTRATOR.placeInLine({ requestId: lost });
    await env.ORCHESTRATOR.startJob(await eventOf(lost));
    expect(await env.ORCHESTRATOR.placeInLine({ requestId: lost })).toEqual(before);

    // Everything is accounted for: the next run finds nothing to do.
    expect(await startLostJobs(db, lossy, log, { now: later })).toEqual([]);
  });

  it("bounds each run, oldest first, and a line of waiting jobs hides no lost one behind it run after run", async () => {
    const lossy = { ...env, Q_ORCHESTRATOR: droppingQueue([]) } satisfies IntakeEnv;
    const ids: string[] = [];
    for (const i of [1, 2, 3]) ids.push((await (await submitJson({ ...contact, text: `${contact.text} (${i})` }, {}, lossy)).json<{ id: string }>()).id);
    const db = database(env.DB);
    const log = new Logger(env, "intake");
    const later = Date.now() + 2 * LOST_JOB_AFTER_MS;
    const first = await startLostJobs(db, lossy, log, { now: later, limit: 2 });
    expect(first).toEqual([...ids].sort().slice(0, 2));
    expect(await startLostJobs(db, lossy, log, { now: later, limit: 2 })).toEqual([...ids].sort().slice(2));
  });

  it("runs every minute with intake's cron", async () => {
    const sent: unknown[] = [];
    const lossy = { ...env, Q_ORCHESTRATOR: droppingQueue(sent) } satisfies IntakeEnv;
    const log = new Logger(env, "intake");
    // Accepted ten minutes ago (its id says when), its event lost on the way.
    const submission = createExecutionContext();
    const id = await createRequest(database(env.DB), lossy, submission, log, {
      id: newId("req", Date.now() - 2 * LOST_JOB_AFTER_MS),
      channel: "api",
      contact: { name: contact.name, email: contact.email },
      text: contact.text,
      files: [],
    });
    await waitOnExecutionContext(submission);
    expect(sent).toHaveLength(1);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), lossy, ctx);
    await waitOnExecutionContext(ctx);
    expect((await jobRow(id)) !== null || (await env.ORCHESTRATOR.placeInLine({ requestId: id })) !== null).toBe(true);
    expect(sent).toHaveLength(1);
  });
});
