/**
 * orchestrator: turns each `request.created` into a job (one RequestJob
 * Durable Object per request), takes results back over RPC, and serves the
 * job's state on an internal route.
 */
import { consumeEvents } from "@statex/shared/consumer";
import { notFound } from "@statex/shared/errors";
import { createApp, validate } from "@statex/shared/http";
import { Logger } from "@statex/shared/logger";
import { z } from "zod";

export { RequestJob } from "./job";
export { OrchestratorApi } from "./api";

const app = createApp<OrchestratorEnv>("orchestrator");

// Who may call: only the gateway (the worker has no public route); it decides who may see a job.
app.get("/jobs/:requestId", validate("param", z.object({ requestId: z.string().min(1).max(128) })), async (c) => {
  const { requestId } = c.req.valid("param");
  const state = await c.env.REQUEST_JOB.getByName(requestId).getState();
  if (!state) throw notFound("Job");
  return c.json(state);
});

export default {
  fetch: app.fetch,
  /** `request.created` starts the request's job; other events are not ours to act on. */
  async queue(batch, env, ctx) {
    const log = new Logger(env, "orchestrator");
    await consumeEvents(batch, {
      consumer: "orchestrator",
      db: env.DB,
      log,
      async handle(event, eventLog) {
        if (event.type !== "request.created") {
          eventLog.debug("event ignored", { eventId: event.id, type: event.type });
          return;
        }
        const state = await env.REQUEST_JOB.getByName(event.data.requestId).start(event.data);
        eventLog.info("job started", { eventId: event.id, status: state?.status, tasks: state?.plan.length });
      },
    });
    ctx.waitUntil(log.flush());
  },
} satisfies ExportedHandler<OrchestratorEnv>;
