/**
 * orchestrator: turns each `request.created` into a job (one RequestJob
 * Durable Object per request), takes results back over RPC, and serves the
 * job's state on an internal route.
 */
import { recordAudit } from "@statex/shared/audit";
import { requireRole } from "@statex/shared/auth";
import { eventsConsumer } from "@statex/shared/consumer";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { createApp, validate } from "@statex/shared/http";
import { taskResultKey } from "@statex/shared/tasks";
import { JobParam, JobTaskParam, ResultParam } from "@statex/shared/api/orchestrator";
import { eq } from "drizzle-orm";
import type { ControlOutcome } from "./machine";
import { SLOTS_NAME } from "./slots";

export { RequestJob } from "./job";
export { JobSlots } from "./slots";
export { OrchestratorApi } from "./api";

const app = createApp<OrchestratorEnv>("orchestrator");
/**
 * Every HTTP route here is an ops route at the gateway. The gateway checks the role first and each route checks the
 * forwarded role again, so a request that reaches the worker over a binding without an ops caller is refused too.
 */
const ops = requireRole("ops");


/** A control request's answer: the job as it now stands, or the refusal as problem+json. */
async function controlled(env: OrchestratorEnv, requestId: string, outcome: ControlOutcome): Promise<Response> {
  if (!outcome.ok) throw new ProblemError(outcome.status, outcome.status === 404 ? "not-found" : "conflict", outcome.reason);
  // A request cancelled before its job started has no job state yet.
  return Response.json((await env.REQUEST_JOB.getByName(requestId).getState()) ?? { requestId, status: "cancelled" });
}

// Who may call: ops.
app.post("/jobs/:requestId/cancel", ops, validate("param", JobParam), async (c) => {
  const { requestId } = c.req.valid("param");
  // The object cannot tell an unknown request from one whose job has not started yet; D1 can.
  const known = await database(c.env.DB).select({ id: schema.requests.id }).from(schema.requests).where(eq(schema.requests.id, requestId)).get();
  if (!known) throw notFound("Request");
  const answer = await controlled(c.env, requestId, await c.env.REQUEST_JOB.getByName(requestId).cancel(requestId, "ops"));
  await recordAudit(c, "orchestrator", "request.cancelled", { type: "request", id: requestId });
  return answer;
});
app.post("/jobs/:requestId/retry", ops, validate("param", JobParam), async (c) => {
  const { requestId } = c.req.valid("param");
  const answer = await controlled(c.env, requestId, await c.env.REQUEST_JOB.getByName(requestId).retry(requestId));
  await recordAudit(c, "orchestrator", "job.retried", { type: "request", id: requestId });
  return answer;
});
app.post("/jobs/:requestId/tasks/:taskId/retry", ops, validate("param", JobTaskParam), async (c) => {
  const { requestId, taskId } = c.req.valid("param");
  const answer = await controlled(c.env, requestId, await c.env.REQUEST_JOB.getByName(requestId).retry(requestId, taskId));
  await recordAudit(c, "orchestrator", "task.retried", { type: "request", id: requestId }, { taskId });
  return answer;
});

// Who may call: ops. Which jobs hold the slots and who waits in line.
app.get("/slots", ops, async (c) => c.json(await c.env.SLOTS.getByName(SLOTS_NAME).view()));

// Who may call: ops (a client sees their job through intake).
app.get("/jobs/:requestId", ops, validate("param", JobParam), async (c) => {
  const { requestId } = c.req.valid("param");
  const state = await c.env.REQUEST_JOB.getByName(requestId).getState();
  if (!state) {
    // No job yet: say so when it is waiting in line for a slot, rather than only "not found".
    const place = await c.env.SLOTS.getByName(SLOTS_NAME).place(requestId);
    if (place) throw new ProblemError(404, "not-found", `Job not started yet: waiting in line for a slot, ${place.ahead} ahead`);
    throw notFound("Job");
  }
  return c.json(state);
});

// Who may call: ops. What a task produced (a transcript, a document's text, the analysis, the draft) is kept
// whole in R2 only; the job's state names where, this serves it.
app.get("/jobs/:requestId/tasks/:taskId/result", ops, validate("param", ResultParam), async (c) => {
  const { requestId, taskId } = c.req.valid("param");
  const object = await c.env.FILES.get(taskResultKey(requestId, taskId));
  if (!object) throw notFound("Task result");
  // Transcripts and documents are personal data: no cache keeps a copy.
  return new Response(object.body, { headers: { "content-type": "application/json", "cache-control": "no-store" } });
});

export default {
  fetch: app.fetch,
  /** `request.created` starts the request's job and `request.erased` forgets it; other events are not ours to act on. */
  queue: eventsConsumer<OrchestratorEnv>("orchestrator", async (event, log, env) => {
    if (event.type === "request.erased") {
      await env.REQUEST_JOB.getByName(event.data.requestId).erase(event.data);
      return;
    }
    if (event.type !== "request.created") {
      log.debug("event ignored", { eventId: event.id, type: event.type });
      return;
    }
    const state = await env.REQUEST_JOB.getByName(event.data.requestId).start(event.data);
    // No state yet: every job slot is taken and the job waits in line (it starts when JobSlots admits it).
    if (state) log.info("job started", { eventId: event.id, status: state.status, tasks: state.plan.length });
    else log.info("job in line for a slot", { eventId: event.id });
  }),
} satisfies ExportedHandler<OrchestratorEnv>;
