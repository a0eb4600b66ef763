import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Controlled, JobState } from "@statex/shared/api/orchestrator";
import { opsCaller } from "../../../shared/test/callers";
import { failure, jobOf, jobsRow, newRequest, sentEvents, sentTasks, success } from "./helpers";

async function started() {
  const request = newRequest();
  await jobOf(request.requestId).start(request);
  return { id: request.requestId, stub: jobOf(request.requestId) };
}

async function post(path: string) {
  return exports.default.fetch(`http://orchestrator${path}`, { method: "POST", headers: opsCaller });
}

describe("cancelling a job", () => {
  it("cancels every live task mid-flight, ignores the late result, and mirrors cancelled to D1", async () => {
    const { id, stub } = await started();
    expect(await stub.cancel(id, "client")).toEqual({ ok: true });

    const state = await stub.getState();
    expect(state).toMatchObject({ status: "cancelled", error: "cancelled by client" });
    expect(state?.finishedAt).not.toBeNull();
    expect(state?.tasks[0]).toMatchObject({ state: "cancelled", attempt: 1 });
    // The ai worker's answer arrives after the cancel: it changes nothing, and a pick-up is refused.
    expect(await stub.report(success(id))).toMatchObject({ accepted: false, reason: "job already cancelled" });
    expect(await stub.pickUp({ requestId: id, taskId: "nlp", attempt: 1 })).toMatchObject({ accepted: false });
    expect((await stub.getState())?.status).toBe("cancelled");

    const row = await jobsRow(id);
    expect(row?.status).toBe("cancelled");
    expect(row?.completed_at).not.toBeNull();
    expect(JSON.parse(row?.steps ?? "[]")).toMatchObject([{ id: "nlp", state: "cancelled" }]);
    const types = (await sentEvents(id)).map((e) => e.type);
    expect(types).toContain("request.cancelled");
    expect(types).not.toContain("request.failed");
  });

  it("is idempotent, and refused once the job finished", async () => {
    const { id, stub } = await started();
    await stub.cancel(id, "ops");
    expect(await stub.cancel(id, "client")).toEqual({ ok: true });
    expect((await stub.getState())?.error).toBe("cancelled by ops");

    const done = await started();
    await done.stub.report(success(done.id));
    expect(await done.stub.cancel(done.id, "client")).toEqual({ ok: false, status: 409, reason: "job already completed" });
  });

  it("remembers a cancel that came before the job started, and never dispatches", async () => {
    const request = newRequest();
    const stub = jobOf(request.requestId);
    expect(await stub.cancel(request.requestId, "client")).toEqual({ ok: true });
    const state = await stub.start(request);
    expect(state?.status).toBe("cancelled");
    expect(await sentTasks(request.requestId)).toEqual([]);
    expect((await jobsRow(request.requestId))?.status).toBe("cancelled");
  });

  it("is reachable over RPC for intake and over the ops route, with problem+json refusals", async () => {
    const { id } = await started();
    expect(await exports.OrchestratorApi.cancelRequest({ requestId: id, by: "client" })).toEqual({ ok: true });
    const other = await started();
    // Ops cancel what intake stored: the route checks the request exists.
    await env.DB.prepare("INSERT INTO requests (id, channel, name, email, text) VALUES (?, 'web', 'Ada', 'ada@example.com', 'x')").bind(other.id).run();
    const res = await post(`/jobs/${other.id}/cancel`);
    expect(res.status).toBe(200);
    expect(Controlled.parse(await res.json())).toMatchObject({ status: "cancelled", error: "cancelled by ops" });
    const missing = await post("/jobs/req_nothing_here/cancel");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("retrying a failed job", () => {
  it("reopens every task that did not succeed with a fresh attempt budget, then completes", async () => {
    const { id, stub } = await started();
    await stub.report(failure(id, "invalid-input"));
    expect((await stub.getState())?.status).toBe("failed");

    const res = await post(`/jobs/${id}/retry`);
    expect(res.status).toBe(200);
    expect(JobState.parse(await res.json())).toMatchObject({ status: "processing", error: null, tasks: [{ id: "nlp", state: "running", attempt: 2 }] });
    expect((await sentTasks(id)).map((t) => t.attempt)).toEqual([1, 2]);
    // The first attempt's late answer still does not count.
    expect((await stub.report(success(id, 1))).accepted).toBe(false);
    // A retryable failure of the new attempt is retried: the budget started again at attempt 2.
    await stub.report(failure(id, "retryable", 2));
    expect((await stub.getState())?.tasks[0]).toMatchObject({ state: "pending", attempt: 2 });
  });

  it("retries one failed task, publishing the outcome again under the new round", async () => {
    const { id, stub } = await started();
    await stub.report(failure(id, "invalid-input"));
    expect(await stub.retry(id, "nlp")).toEqual({ ok: true });
    expect((await stub.report(success(id, 2))).accepted).toBe(true);
    expect((await stub.getState())?.status).toBe("completed");
    expect((await jobsRow(id))?.status).toBe("completed");
    const ids = (await sentEvents(id)).map((e) => e.id);
    expect(ids).toContain(`${id}:request.failed`);
    expect(ids).toContain(`${id}:request.processing:r1`);
    expect(ids).toContain(`${id}:request.completed:r1`);
  });

  it("refuses what cannot be retried", async () => {
    const { id, stub } = await started();
    expect(await stub.retry(id)).toMatchObject({ ok: false, status: 409 });
    await stub.cancel(id, "client");
    const res = await post(`/jobs/${id}/retry`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/this one is cancelled/);

    const failed = await started();
    await failed.stub.report(failure(failed.id, "invalid-input"));
    expect((await post(`/jobs/${failed.id}/tasks/prototype/retry`)).status).toBe(404);
    expect((await post("/jobs/req_nothing_here/retry")).status).toBe(404);
  });
});

describe("the audit trail of ops' control", () => {
  const audits = async (requestId: string) => {
    const { results } = await env.DB.prepare("select body from event_outbox where type = 'audit.recorded'").all<{ body: string }>();
    return results.map((r) => JSON.parse(r.body) as { correlationId: string; data: { action: string; actor: unknown; change: unknown } }).filter((e) => e.correlationId === requestId).map((e) => e.data);
  };

  it("records each retry with the ops caller, and nothing for a refused one", async () => {
    const { id, stub } = await started();
    await stub.report(failure(id, "invalid-input"));
    const retried = await post(`/jobs/${id}/tasks/nlp/retry`);
    expect(retried.status).toBe(200);
    expect(JobState.safeParse(await retried.json()).success).toBe(true);
    await stub.report(failure(id, "invalid-input", 2));
    expect((await post(`/jobs/${id}/retry`)).status).toBe(200);
    // The job runs again: nothing to retry.
    expect((await post(`/jobs/${id}/retry`)).status).toBe(409);
    expect(await audits(id)).toEqual([
      { action: "task.retried", actor: { id: "usr_OPS", role: "ops" }, target: { type: "request", id }, change: { taskId: "nlp" } },
      { action: "job.retried", actor: { id: "usr_OPS", role: "ops" }, target: { type: "request", id }, change: null },
    ]);
  });
});
