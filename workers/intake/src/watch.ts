/**
 * A request's client acting on its job: cancel it, or watch it live. Who may
 * call: the holder of the request's status token, or the signed-in client who
 * owns the request. The job itself lives in the orchestrator; intake only
 * decides who may touch it, since intake is where requests and owners are.
 */
import { callerOf } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { verifyStatusToken } from "@statex/shared/ids";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";

const IdParam = z.object({ id: z.string().regex(/^req_[0-9A-Z]{26}$/, "must be a request id") });
const TokenQuery = z.object({ token: z.string().min(16).max(128).optional() });

/**
 * Throws 404 unless the caller holds the request's status token or owns it.
 * A wrong token, someone else's request and an unknown id look the same, so ids cannot be probed.
 */
async function requireHolder(env: IntakeEnv, headers: Headers, id: string, token: string | undefined): Promise<void> {
  if (token !== undefined && (await verifyStatusToken(env.STATUS_TOKEN_SECRET, id, token))) {
    const row = await database(env.DB).select({ id: schema.requests.id }).from(schema.requests).where(eq(schema.requests.id, id)).get();
    if (row) return;
    throw notFound("Request");
  }
  const caller = callerOf(headers);
  if (caller) {
    const row = await database(env.DB).select({ userId: schema.requests.userId }).from(schema.requests).where(eq(schema.requests.id, id)).get();
    if (row?.userId === caller.userId) return;
  }
  throw notFound("Request");
}

export const watchRoutes = new Hono<AppEnv<IntakeEnv>>()
  // Who may call: the status-token holder or the owner. Cancels the job; 409 once it finished.
  .post("/:id/cancel", validate("param", IdParam), validate("query", TokenQuery), async (c) => {
    const { id } = c.req.valid("param");
    await requireHolder(c.env, c.req.raw.headers, id, c.req.valid("query").token);
    const outcome = await c.env.ORCHESTRATOR.cancelRequest({ requestId: id, by: "client" });
    if (!outcome.ok) throw new ProblemError(outcome.status, outcome.status === 404 ? "not-found" : "conflict", outcome.reason);
    c.get("log").withCorrelation(id).info("request cancelled by its client");
    return c.json({ id, status: "cancelled" });
  })
  // Who may call: the status-token holder or the owner. A WebSocket upgrade or an event stream of the job's
  // state, served by the request's Durable Object: the client's request goes there unchanged (see OrchestratorApi.fetch).
  .get("/:id/live", validate("param", IdParam), validate("query", TokenQuery), async (c) => {
    const { id } = c.req.valid("param");
    await requireHolder(c.env, c.req.raw.headers, id, c.req.valid("query").token);
    return c.env.ORCHESTRATOR.fetch(new Request(`https://orchestrator/live/${id}`, c.req.raw));
  });
