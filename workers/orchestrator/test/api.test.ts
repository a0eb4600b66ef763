import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TaskResult } from "@statex/shared/api/intake";
import { JobState, SlotsView } from "@statex/shared/api/orchestrator";
import { type Send, describeOpsOnly, opsCaller } from "../../../shared/test/callers";
import { jobOf, newRequest, nlpOutput, success } from "./helpers";

const send: Send = (method, path, headers) => exports.default.fetch(`http://orchestrator${path}`, { method, headers });
/** An ops route as the gateway forwards it: with its ops caller. */
const asOps = (path: string) => send("GET", path, opsCaller);

describe("OrchestratorApi.reportTaskResult", () => {
  it("forwards a valid report to the request's job", async () => {
    const request = newRequest();
    await jobOf(request.requestId).start(request);
    expect(await exports.OrchestratorApi.reportTaskResult(success(request.requestId))).toEqual({ accepted: true });
    expect((await jobOf(request.requestId).getState())?.status).toBe("completed");
  });

  it("refuses an invalid report with the reason, without touching any job", async () => {
    const outcome = await exports.OrchestratorApi.reportTaskResult({ ok: true, requestId: "req_x" });
    expect(outcome.accepted).toBe(false);
    expect(outcome.reason).toMatch(/^invalid report: .*taskId/);
  });

  it("answers a report for an unknown job as not accepted", async () => {
    expect(await exports.OrchestratorApi.reportTaskResult(success("req_unknown"))).toEqual({ accepted: false, reason: "no such job" });
  });
});

describe("GET /jobs/:requestId", () => {
  it("returns the job's state, and 404 problem+json for a request without a job", async () => {
    const request = newRequest();
    await jobOf(request.requestId).start(request);
    const res = await asOps(`/jobs/${request.requestId}`);
    expect(res.status).toBe(200);
    expect(JobState.parse(await res.json())).toMatchObject({ requestId: request.requestId, status: "processing", plan: [{ id: "nlp" }] });

    const missing = await asOps("/jobs/req_none");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("GET /slots", () => {
  it("answers the slots, the jobs holding one and those waiting, as the document describes them", async () => {
    const request = newRequest();
    await jobOf(request.requestId).start(request);
    const res = await asOps("/slots");
    expect(res.status).toBe(200);
    const view = SlotsView.parse(await res.json());
    expect(view.running.map((r) => r.requestId)).toContain(request.requestId);
  });
});

describe("GET /jobs/:requestId/tasks/:taskId/result", () => {
  it("serves a task's stored output with its provenance, and 404 problem+json before it exists", async () => {
    const request = newRequest();
    await jobOf(request.requestId).start(request);
    const url = `/jobs/${request.requestId}/tasks/nlp/result`;
    const before = await asOps(url);
    expect(before.status).toBe(404);
    expect(before.headers.get("content-type")).toBe("application/problem+json");

    await exports.OrchestratorApi.reportTaskResult(success(request.requestId));
    const res = await asOps(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(TaskResult.parse(await res.json())).toEqual({ taskId: "nlp", kind: "nlp", attempt: 1, output: nlpOutput, provenance: { provider: "offline", model: "test", version: "1", durationMs: 3 } });
  });

  it("400 naming the parameter for ids that are not request or task ids", async () => {
    const res = await asOps("/jobs/req_1/tasks/nlp/result");
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("requestId");
  });
});

// Reached over the binding without the gateway's check, each route still checks the caller the gateway forwarded.
describeOpsOnly(
  [
    { method: "GET", path: "/slots", served: 200 },
    { method: "GET", path: "/jobs/req_none", served: 404 },
    { method: "GET", path: `/jobs/req_${"0".repeat(26)}/tasks/nlp/result`, served: 404 },
    { method: "POST", path: "/jobs/req_none/cancel", served: 404 },
    { method: "POST", path: "/jobs/req_none/retry", served: 404 },
    { method: "POST", path: "/jobs/req_none/tasks/nlp/retry", served: 404 },
  ],
  send,
);
