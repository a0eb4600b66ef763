import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { type WorkerEntrypoint, env } from "cloudflare:workers";
import { newId } from "@statex/shared/ids";
import type { TaskMessage } from "@statex/shared/tasks";
import { describe, expect, it, vi } from "vitest";
import { inTurn } from "../src/consumer";
import worker from "../src/index";
// Type only, as the ai worker's generated Env types its ORCHESTRATOR binding: no orchestrator code runs here.
import type { OrchestratorApi } from "../../orchestrator/src/index";

/** The RPC methods the orchestrator's entrypoint adds to WorkerEntrypoint's handlers. */
type OrchestratorMethods = Omit<OrchestratorApi, keyof WorkerEntrypoint>;

const text = "We run a dental clinic. We need a booking website where patients book appointments online. It should send reminders.";

function startJob(body = text) {
  const requestId = newId("req");
  const stub = env.REQUEST_JOB.getByName(requestId);
  const started = stub.start({ requestId, channel: "web", contact: { name: "Ada", email: "ada@example.com" }, text: body, files: [] });
  return { requestId, stub, started };
}

async function deliver(bodies: unknown[], queueEnv: AiEnv = env) {
  const batch = createMessageBatch(
    "statex-ai-tasks",
    bodies.map((body, i) => ({ id: `task-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, queueEnv, ctx);
  return { ids: batch.messages.map((m) => m.id), result: await getQueueResult(batch, ctx) };
}

/** Polls until the job reaches a final status: the real queue delivers on its own schedule. */
async function settled(stub: ReturnType<typeof startJob>["stub"]) {
  await vi.waitFor(
    async () => {
      const status = (await stub.getState())?.status;
      if (status === "processing" || status === undefined) throw new Error(`still ${status}`);
    },
    { timeout: 10_000, interval: 50 },
  );
  return stub.getState();
}

describe("ai consumer, end to end with the real orchestrator", () => {
  it("a job started in the orchestrator is completed through the real ai-tasks queue", async () => {
    const { requestId, stub, started } = startJob();
    expect((await started)?.status).toBe("processing");
    const state = await settled(stub);
    expect(state?.status).toBe("completed");
    expect(state?.tasks).toMatchObject([
      // Locally the chain is openai,offline: the analysis and the draft come through the model path.
      { id: "nlp", state: "succeeded", provider: "openai" },
      { id: "prototype", state: "succeeded", provider: "openai" },
    ]);

    const row = await env.DB.prepare("SELECT status, result FROM jobs WHERE request_id = ?").bind(requestId).first<{ status: string; result: string }>();
    expect(row?.status).toBe("completed");
    expect(JSON.parse(row?.result ?? "{}")).toMatchObject({ language: { code: "en" }, summary: text });
    type Analysis = { keywords: { phrase: string }[]; category: { label: string }; prototype: { markdown: string; template: { id: string; version: number } } };
    const analysis = await (await env.FILES.get(`results/${requestId}/analysis.json`))?.json<Analysis>();
    expect(analysis?.keywords.map((k) => k.phrase)).toContain("booking website");
    // The prototype drafted from that analysis, with the website template it names.
    expect(analysis?.category.label).toBe("website");
    expect(analysis?.prototype.template).toEqual({ id: "tpl_website", slug: "website-default", version: 1 });
    expect(analysis?.prototype.markdown).toContain("## Effort estimate");
  });

  it("skips, unrun, an attempt the job no longer counts", async () => {
    const { requestId, stub, started } = startJob();
    await started;
    const stale: TaskMessage = { taskId: "nlp", requestId, kind: "nlp", attempt: 7, input: { text } };
    const { ids, result } = await deliver([stale]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    // Nothing was reported for attempt 7: the task's only result is the real attempt's.
    const state = await settled(stub);
    expect(state?.tasks[0]).toMatchObject({ attempt: 1, state: "succeeded" });
  });

  it("acks a task whose report landed, whether or not the job still needed it", async () => {
    const { requestId, stub, started } = startJob();
    await started;
    const message: TaskMessage = { taskId: "nlp", requestId, kind: "nlp", attempt: 1, input: { text } };
    const { ids, result } = await deliver([message]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect((await settled(stub))?.status).toBe("completed");
  });

  it("reports a task that cannot run as invalid input, which fails the job at once", async () => {
    const { requestId, stub, started } = startJob("");
    await started;
    const state = await settled(stub);
    expect(state).toMatchObject({ status: "failed", error: "nlp: nlp task without text" });
    expect(state?.tasks[0]?.attempt).toBe(1);
    const row = await env.DB.prepare("SELECT status FROM jobs WHERE request_id = ?").bind(requestId).first();
    expect(row).toEqual({ status: "failed" });
  });

  it("acks an invalid message without retrying it", async () => {
    const { ids, result } = await deliver([{ taskId: "nlp", kind: "poetry" }]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
  });

  it("retries the message when the report cannot be delivered, so no result is lost", async () => {
    const real = env.ORCHESTRATOR;
    const pickUps: unknown[] = [];
    const reports: unknown[] = [];
    // Every RPC method of the entrypoint the binding is typed from, so a method the stand-in lacks is a type error here
    // rather than a failed call somewhere before the path under test.
    const orchestrator: OrchestratorMethods = {
      cancelRequest: (input) => real.cancelRequest(input),
      placeInLine: (input) => real.placeInLine(input),
      taskDraft: (input) => real.taskDraft(input),
      jobsNotStarted: (requestIds) => real.jobsNotStarted(requestIds),
      startJob: (event) => real.startJob(event),
      taskPickedUp: async (pickUp) => {
        pickUps.push(pickUp);
        return { accepted: true };
      },
      reportTaskResult: async (report) => {
        reports.push(report);
        throw new Error("orchestrator unavailable");
      },
    };
    const requestId = newId("req");
    const message: TaskMessage = { taskId: "nlp", requestId, kind: "nlp", attempt: 1, input: { text } };
    // The stub type adds promise pipelining and disposal to the same methods; the consumer uses neither.
    const { ids, result } = await deliver([message], { ...env, ORCHESTRATOR: orchestrator as AiEnv["ORCHESTRATOR"] });
    // Picked up, run, and its report attempted: the report's failure is the only thing left to retry for.
    expect(pickUps).toEqual([{ requestId, taskId: "nlp", attempt: 1 }]);
    expect(reports).toMatchObject([{ requestId, taskId: "nlp", attempt: 1, ok: true }]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(ids);
  });
});

describe("a batch's tasks in turn", () => {
  it("runs at most `limit` at once, starting them in order", async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await inTurn([0, 1, 2, 3, 4, 5, 6], 3, async (i) => {
      started.push(i);
      most = Math.max(most, ++running);
      await scheduler.wait(5);
      running--;
    });
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(3);
    await inTurn([], 3, async () => expect.unreachable());
  });

  it("keeps the costs of what runs at once within a budget, and runs an item over it alone", async () => {
    // Sizes in MiB against a 16 MiB budget, at most three at once.
    const sizes = [4, 4, 4, 6, 40, 1, 1];
    const running = new Set<number>();
    const together: number[][] = [];
    await inTurn([...sizes.keys()], 3, async (i) => {
      running.add(i);
      together.push([...running].map((j) => sizes[j] ?? 0));
      await scheduler.wait(5);
      running.delete(i);
    }, { of: (i) => sizes[i] ?? 0, max: 16 });
    expect(together).toHaveLength(sizes.length);
    for (const group of together) expect(group.length === 1 || group.reduce((a, b) => a + b, 0) <= 16).toBe(true);
    expect(Math.max(...together.map((g) => g.length))).toBe(3);
    expect(together.find((g) => g.includes(40))).toEqual([40]);
  });
});
