import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { jobOf, newRequest, nlpOutput, success } from "./helpers";

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
    const res = await exports.default.fetch(`http://orchestrator/jobs/${request.requestId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ requestId: request.requestId, status: "processing", plan: [{ id: "nlp" }] });

    const missing = await exports.default.fetch("http://orchestrator/jobs/req_none");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("GET /jobs/:requestId/tasks/:taskId/result", () => {
  it("serves a task's stored output with its provenance, and 404 problem+json before it exists", async () => {
    const request = newRequest();
    await jobOf(request.requestId).start(request);
    const url = `http://orchestrator/jobs/${request.requestId}/tasks/nlp/result`;
    const before = await exports.default.fetch(url);
    expect(before.status).toBe(404);
    expect(before.headers.get("content-type")).toBe("application/problem+json");

    await exports.OrchestratorApi.reportTaskResult(success(request.requestId));
    const res = await exports.default.fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ taskId: "nlp", kind: "nlp", attempt: 1, output: nlpOutput, provenance: { provider: "offline", model: "test", version: "1", durationMs: 3 } });
  });

  it("400 naming the parameter for ids that are not request or task ids", async () => {
    const res = await exports.default.fetch("http://orchestrator/jobs/req_1/tasks/nlp/result");
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("requestId");
  });
});
