import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { SLOTS_NAME } from "../src/slots";
import { elapse, failure, jobOf, jobsRow, jobsRowNow, newRequest, nlpOutput, outbox, sentEvents, sentTasks, success } from "./helpers";

async function started() {
  const request = newRequest();
  const state = await jobOf(request.requestId).start(request);
  return { request, state, stub: jobOf(request.requestId) };
}

describe("RequestJob.start", () => {
  it("plans an nlp task, sends it to the ai queue, publishes the start and mirrors processing to D1", async () => {
    const { request, state } = await started();
    expect(state?.status).toBe("processing");
    expect(state?.plan).toEqual([{ id: "nlp", kind: "nlp", deps: [] }]);
    expect(state?.tasks[0]).toMatchObject({ id: "nlp", state: "running", attempt: 1 });
    expect(state?.unsentMessages).toBe(0);

    expect(await sentTasks(request.requestId)).toEqual([
      {
        taskId: "nlp",
        requestId: request.requestId,
        kind: "nlp",
        attempt: 1,
        input: { text: request.text, sources: [{ kind: "request", name: "request", chars: request.text.length }], tokensUsed: 0 },
      },
    ]);
    const events = await sentEvents(request.requestId);
    expect(events.map((e) => e.id)).toEqual([
      `${request.requestId}:job.created`,
      `${request.requestId}:request.processing`,
      `${request.requestId}:job.progress:nlp:1:running`,
    ]);
    expect(events.every((e) => e.correlationId === request.requestId && e.source === "orchestrator")).toBe(true);

    const row = await jobsRow(request.requestId);
    expect(row?.status).toBe("processing");
    expect(JSON.parse(row?.steps ?? "[]")).toMatchObject([{ id: "nlp", kind: "nlp", state: "running", attempt: 1 }]);
  });

  it("is idempotent: a second start changes nothing", async () => {
    const { request, stub, state } = await started();
    const before = await outbox(request.requestId);
    const again = await stub.start({ ...request, text: "something else entirely" });
    expect(again).toEqual(state);
    expect(await outbox(request.requestId)).toEqual(before);
  });
});

describe("RequestJob.report", () => {
  it("completes the job on success: R2 results, D1 row completed with the analysis, completion events", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    expect(await stub.report(success(id))).toEqual({ accepted: true });

    const state = await stub.getState();
    expect(state).toMatchObject({ status: "completed", resultKey: `results/${id}/analysis.json`, error: null });
    expect(state?.tasks[0]).toMatchObject({ state: "succeeded", provider: "offline", resultKey: `results/${id}/nlp.json` });

    const taskObject = await env.FILES.get(`results/${id}/nlp.json`);
    expect(await taskObject?.json()).toMatchObject({ taskId: "nlp", attempt: 1, output: nlpOutput });
    const analysis = await (await env.FILES.get(`results/${id}/analysis.json`))?.json();
    expect(analysis).toMatchObject({ requestId: id, summary: nlpOutput.summary, language: nlpOutput.language });

    const row = await jobsRow(id);
    expect(row?.status).toBe("completed");
    expect(row?.completed_at).not.toBeNull();
    expect(JSON.parse(row?.result ?? "{}")).toMatchObject({ summary: nlpOutput.summary, keywords: nlpOutput.keywords });

    const events = await sentEvents(id);
    const completed = events.find((e) => e.type === "request.completed");
    expect(completed?.id).toBe(`${id}:request.completed`);
    expect(completed?.data).toEqual({ requestId: id, contact: request.contact, summary: nlpOutput.summary, resultKey: `results/${id}/analysis.json` });
    expect(events.map((e) => e.type)).toContain("job.completed");
    // Nothing is left to wait for, so no alarm stays set.
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it("ignores a duplicate report and a report for an older attempt", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    expect(await stub.report(success(id, 2))).toMatchObject({ accepted: false, reason: expect.stringContaining("not the current attempt") });
    expect((await stub.getState())?.status).toBe("processing");

    await stub.report(success(id));
    const before = { outbox: await outbox(id), state: await stub.getState() };
    expect(await stub.report(success(id))).toMatchObject({ accepted: false, reason: "job already completed" });
    expect(await stub.report(failure(id, "invalid-input"))).toMatchObject({ accepted: false });
    expect(await outbox(id)).toEqual(before.outbox);
    expect(await stub.getState()).toEqual(before.state);
  });

  it("retries a retryable failure after a jittered backoff, then completes", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    const reportedAt = Date.now();
    await stub.report(failure(id, "retryable"));
    const waiting = (await stub.getState())?.tasks[0];
    expect(waiting).toMatchObject({ state: "pending", attempt: 1, error: "provider said retryable" });
    const retryAt = Date.parse(waiting?.retryAt ?? "");
    expect(retryAt - reportedAt).toBeGreaterThanOrEqual(900);
    expect(retryAt - reportedAt).toBeLessThanOrEqual(2_500);

    // The alarm before the backoff is over sends nothing.
    await runDurableObjectAlarm(stub);
    expect(await sentTasks(id)).toHaveLength(1);

    await elapse(id, "retryAt");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await sentTasks(id)).map((t) => t.attempt)).toEqual([1, 2]);
    // The first attempt's late answer no longer counts.
    expect((await stub.report(success(id, 1))).accepted).toBe(false);
    expect((await stub.report(success(id, 2))).accepted).toBe(true);
    expect((await stub.getState())?.status).toBe("completed");
  });

  it("waits as long as a rate limit asks", async () => {
    const { request, stub } = await started();
    const reportedAt = Date.now();
    await stub.report(failure(request.requestId, "rate-limited", 1, 45_000));
    const retryAt = Date.parse((await stub.getState())?.tasks[0]?.retryAt ?? "");
    expect(retryAt - reportedAt).toBeGreaterThanOrEqual(45_000);
    expect(retryAt - reportedAt).toBeLessThan(50_000);
  });

  it("fails the job at once on invalid input, publishing request.failed", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    await stub.report(failure(id, "invalid-input"));
    const state = await stub.getState();
    expect(state).toMatchObject({ status: "failed", error: "nlp: provider said invalid-input" });
    expect(state?.tasks[0]).toMatchObject({ state: "failed", attempt: 1 });
    const failed = (await sentEvents(id)).find((e) => e.type === "request.failed");
    expect(failed).toMatchObject({ id: `${id}:request.failed`, data: { requestId: id, contact: request.contact } });
    expect((await jobsRow(id))?.status).toBe("failed");
    expect((await jobsRow(id))?.error).toBe("nlp: provider said invalid-input");
  });

  it("counts an output that breaks the nlp contract as a failed attempt", async () => {
    const { request, stub } = await started();
    const bad = { ...success(request.requestId), output: { summary: 42 } };
    expect((await stub.report(bad)).accepted).toBe(true);
    expect((await stub.getState())?.tasks[0]).toMatchObject({ state: "pending", error: "invalid nlp output" });
  });
});

/**
 * A job whose queue binding refuses sendBatch: once, or until the spy is restored. The job runs in the tests'
 * isolate and is given the same binding objects, so the spy is on the very binding it sends with; the real
 * binding stays underneath (a local queue cannot be made to fail otherwise).
 */
function jobWithRefusingQueue(binding: "Q_AI_TASKS" | "Q_LOGGING", refuses: "once" | "down") {
  const request = newRequest();
  const spy = vi.spyOn(env[binding], "sendBatch");
  const queue = refuses === "once" ? spy.mockRejectedValueOnce(new Error("batch refused")) : spy.mockRejectedValue(new Error("queue unavailable"));
  onTestFinished(() => queue.mockRestore());
  return { request, stub: jobOf(request.requestId), queue };
}

describe("RequestJob alarm", () => {
  it("times out an unanswered attempt, retries, and gives up after TASK_MAX_ATTEMPTS", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    for (const attempt of [1, 2]) {
      // The answer is due TASK_TIMEOUT_MS after the ai worker picked the attempt up.
      const before = Date.now();
      expect((await stub.getState())?.tasks[0]?.pickedAt).toBeNull();
      expect(await stub.pickUp({ requestId: id, taskId: "nlp", attempt })).toEqual({ accepted: true });
      const picked = Date.parse((await stub.getState())?.tasks[0]?.pickedAt ?? "");
      expect(picked).toBeGreaterThanOrEqual(before);
      const deadline = Date.parse((await stub.getState())?.tasks[0]?.deadlineAt ?? "");
      expect(deadline - before).toBeGreaterThanOrEqual(30_000);
      expect(deadline - before).toBeLessThan(60_000);
      await elapse(id, "deadlineAt");
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect((await stub.getState())?.tasks[0]).toMatchObject({ state: "pending", attempt, error: "no answer within 30000 ms of being picked up" });
      await elapse(id, "retryAt");
      await runDurableObjectAlarm(stub);
      expect((await stub.getState())?.tasks[0]).toMatchObject({ state: "running", attempt: attempt + 1 });
    }
    await elapse(id, "deadlineAt");
    await runDurableObjectAlarm(stub);
    const state = await stub.getState();
    expect(state?.status).toBe("failed");
    expect(state?.error).toContain("gave up after 3 attempts");
    expect((await sentTasks(id)).map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect((await sentEvents(id)).map((e) => e.type)).toContain("request.failed");
  });

  it("gives an attempt waiting in a backlogged queue the long queue deadline, and refuses a stale pick-up", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    const waiting = Date.parse((await stub.getState())?.tasks[0]?.deadlineAt ?? "") - Date.now();
    expect(waiting).toBeGreaterThan(500_000);
    await elapse(id, "deadlineAt");
    await runDurableObjectAlarm(stub);
    expect((await stub.getState())?.tasks[0]).toMatchObject({ state: "pending", attempt: 1, error: "not picked up within 600000 ms" });
    // Attempt 1 no longer counts: a worker that finds it in the queue is told to skip it.
    expect(await stub.pickUp({ requestId: id, taskId: "nlp", attempt: 1 })).toMatchObject({ accepted: false });
  });

  it("re-sends a message whose queue send failed", async () => {
    const { request, stub, queue: tasksQueue } = jobWithRefusingQueue("Q_AI_TASKS", "down");
    const state = await stub.start(request);
    expect(state?.unsentMessages).toBe(1);
    expect(await sentTasks(request.requestId)).toHaveLength(0);

    tasksQueue.mockRestore();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.getState())?.unsentMessages).toBe(0);
    expect(await sentTasks(request.requestId)).toHaveLength(1);
  });

  it("sends a step's events in one batch; a failed batch goes again message by message", async () => {
    const { request, stub, queue: logging } = jobWithRefusingQueue("Q_LOGGING", "once");
    const state = await stub.start(request);
    // The start made job.created, request.processing and job.progress: one batch (refused), then one each.
    const events = (await outbox(request.requestId)).filter((r) => r.target === "event");
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(logging).toHaveBeenCalledTimes(1 + events.length);
    expect(events.every((r) => r.sent_at !== null)).toBe(true);
    expect(state?.unsentMessages).toBe(0);
  });

  it("keeps events unsent while their queue is down, without holding back the tasks", async () => {
    const { request, stub, queue: logging } = jobWithRefusingQueue("Q_LOGGING", "down");
    const state = await stub.start(request);
    const events = (await outbox(request.requestId)).filter((r) => r.target === "event");
    expect(events.every((r) => r.sent_at === null)).toBe(true);
    expect(state?.unsentMessages).toBe(events.length);
    expect(await sentTasks(request.requestId)).toHaveLength(1);

    logging.mockRestore();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.getState())?.unsentMessages).toBe(0);
  });

});

describe("RequestJob eviction", () => {
  it("recovers a job mid-way from its storage", async () => {
    const { request, stub, state } = await started();
    await evictDurableObject(stub);
    expect(await stub.getState()).toEqual(state);
    expect((await stub.report(success(request.requestId))).accepted).toBe(true);
    expect((await stub.getState())?.status).toBe("completed");
    expect((await jobsRow(request.requestId))?.status).toBe("completed");
  });
});

describe("RequestJob answering a report", () => {
  it("answers once the outcome is stored and its messages are sent, without waiting for the mirror or the slot", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    // JobSlots takes no call until let go, so the sync after the report, which ends by giving the slot back, hangs.
    const slots = holdJobSlots();
    const answer = await Promise.race([stub.report(success(id)), later(3_000, "no answer")]);
    expect(answer).toEqual({ accepted: true });
    expect((await stub.getState())?.status).toBe("completed");
    expect((await sentEvents(id)).map((e) => e.type)).toContain("request.completed");
    // The alarm is set before the answer, so an eviction now would still see the sync done.
    expect(await runInDurableObject(stub, (_job, state) => state.storage.getAlarm())).not.toBeNull();
    await slots.letGo();
    await vi.waitFor(async () => expect((await jobSlots().view()).running.map((r) => r.requestId)).not.toContain(id), { timeout: 5_000, interval: 10 });
    expect((await jobsRow(id))?.status).toBe("completed");
  });

  it("leaves a D1 mirror that failed to the alarm", async () => {
    const { request, stub } = await started();
    const id = request.requestId;
    await jobsRow(id);
    // A real storage failure: the mirror's table is unreachable while the report is taken.
    await env.DB.exec("ALTER TABLE jobs RENAME TO jobs_offline");
    try {
        expect(await stub.report(success(id))).toEqual({ accepted: true });
        expect((await stub.getState())?.status).toBe("completed");
      await vi.waitFor(async () => expect(await runInDurableObject(stub, (_job, state) => state.storage.getAlarm())).not.toBeNull());
    } finally {
      await env.DB.exec("ALTER TABLE jobs_offline RENAME TO jobs");
    }
    expect((await jobsRowNow(id))?.status).toBe("processing");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await jobsRow(id))?.status).toBe("completed");
  });
});

const jobSlots = () => env.SLOTS.getByName(SLOTS_NAME);

/** Holds JobSlots in blockConcurrencyWhile: every call to it waits until `letGo` (or the test's end). */
function holdJobSlots() {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const holding = runInDurableObject(jobSlots(), async (_slots, state) => {
    await state.blockConcurrencyWhile(() => held);
  });
  const letGo = async () => {
    release();
    await holding;
  };
  onTestFinished(letGo);
  return { letGo };
}

/** Resolves with `value` after `ms`. */
function later<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
