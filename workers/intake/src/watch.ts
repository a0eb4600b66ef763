/**
 * A request's client acting on its job: cancel it, watch it live, or read what
 * one of its tasks produced. Who may call: the holder of the request's status
 * token, or the signed-in client who owns the request. The job itself lives in
 * the orchestrator; intake only decides who may touch it, since intake is where
 * requests and owners are.
 */
import { callerOf, requireRole, requireScope } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { sha256Hex } from "@statex/shared/hash";
import { liveTicket, liveTicketExpiresAt, verifyLiveTicket, verifyStatusToken } from "@statex/shared/tokens";
import { taskResultKey } from "@statex/shared/tasks";
import { LiveQuery, RequestParam, TaskParam, TokenQuery } from "@statex/shared/api/intake";
import { eq } from "drizzle-orm";
import { Hono } from "hono";

type Proof = { token?: string | undefined; ticket?: string | undefined };

/** The request's owner (null for an anonymous submission), or undefined when there is no such request. */
async function ownerOf(env: IntakeEnv, id: string): Promise<string | null | undefined> {
  const row = await database(env.DB).select({ userId: schema.requests.userId }).from(schema.requests).where(eq(schema.requests.id, id)).get();
  return row ? row.userId : undefined;
}

/**
 * Marks a verified ticket used; false when it was already. A ticket opens one connection (the site asks for a fresh
 * one before each), so a copy of its URL left in a log or a proxy opens nothing. The row goes once the ticket would
 * have expired anyway (see sweep.ts).
 */
async function claimTicket(env: IntakeEnv, ticket: string): Promise<boolean> {
  const claimed = await database(env.DB)
    .insert(schema.usedLiveTickets)
    .values({ hash: await sha256Hex(ticket), expiresAt: new Date(liveTicketExpiresAt(ticket)).toISOString() })
    .onConflictDoNothing()
    .returning({ hash: schema.usedLiveTickets.hash });
  return claimed.length === 1;
}

/**
 * Throws 404 unless the caller holds the request's status token, a live ticket of its owner, or is its owner.
 * A wrong token or ticket, someone else's request and an unknown id look the same, so ids cannot be probed.
 */
async function requireHolder(env: IntakeEnv, headers: Headers, id: string, proof: Proof): Promise<void> {
  const byToken = proof.token !== undefined && (await verifyStatusToken(env.STATUS_TOKEN_SECRET, id, proof.token));
  const owner = await ownerOf(env, id);
  if (owner === undefined) throw notFound("Request");
  if (byToken) return;
  if (owner !== null) {
    if (proof.ticket !== undefined && (await verifyLiveTicket(env.STATUS_TOKEN_SECRET, id, owner, proof.ticket)) && (await claimTicket(env, proof.ticket))) return;
    if (callerOf(headers)?.userId === owner) return;
  }
  throw notFound("Request");
}

export const watchRoutes = new Hono<AppEnv<IntakeEnv>>()
  // Who may call: the status-token holder or the owner. Cancels the job; 409 once it finished.
  .post("/:id/cancel", requireScope("requests:write"), validate("param", RequestParam), validate("query", TokenQuery), async (c) => {
    const { id } = c.req.valid("param");
    await requireHolder(c.env, c.req.raw.headers, id, c.req.valid("query"));
    const outcome = await c.env.ORCHESTRATOR.cancelRequest({ requestId: id, by: "client" });
    if (!outcome.ok) throw new ProblemError(outcome.status, outcome.status === 404 ? "not-found" : "conflict", outcome.reason);
    c.get("log").withCorrelation(id).info("request cancelled by its client");
    return c.json({ id, status: "cancelled" });
  })
  // Who may call: the signed-in owner only (anyone else hears 404, as for an unknown id). Answers the live URL with
  // a ticket in place of the session a browser cannot attach to a WebSocket or an EventSource.
  .post("/:id/live-ticket", requireRole("client"), requireScope("requests:read"), validate("param", RequestParam), async (c) => {
    const { id } = c.req.valid("param");
    const { userId } = signedInCaller(c.req.raw.headers);
    if ((await ownerOf(c.env, id)) !== userId) throw notFound("Request");
    const { ticket, expiresAt } = await liveTicket(c.env.STATUS_TOKEN_SECRET, id, userId);
    // The URL opens the job for a minute: nothing on the way should keep a copy.
    return c.json({ url: `/api/requests/${id}/live?ticket=${ticket}`, expiresAt: new Date(expiresAt).toISOString() }, 200, { "cache-control": "no-store" });
  })
  // Who may call: the status-token holder or the owner. One task's whole output, as the orchestrator stored it when
  // the task succeeded ({ taskId, kind, attempt, output, provenance }): a recording's transcript with its timings, a
  // document's text, the analysis, the draft. 404 until then, and for a task the request does not have.
  .get("/:id/tasks/:taskId/result", requireScope("requests:read"), validate("param", TaskParam), validate("query", TokenQuery), async (c) => {
    const { id, taskId } = c.req.valid("param");
    await requireHolder(c.env, c.req.raw.headers, id, c.req.valid("query"));
    const object = await c.env.FILES.get(taskResultKey(id, taskId));
    if (!object) throw notFound("Task result");
    // The client's own words and documents: no shared cache keeps or hands out a copy.
    return new Response(object.body, { headers: { "content-type": "application/json", "cache-control": "private, no-store", vary: "authorization" } });
  })
  // Who may call: the status-token holder, the holder of the owner's live ticket, or the owner. A WebSocket upgrade
  // or an event stream of the job's state, served by the request's Durable Object: the client's request goes there
  // unchanged (see OrchestratorApi.fetch). A ticket is checked and used up only here, at connect: an open stream
  // outlives it, and a reconnection needs a fresh one.
  .get("/:id/live", requireScope("requests:read"), validate("param", RequestParam), validate("query", LiveQuery), async (c) => {
    const { id } = c.req.valid("param");
    await requireHolder(c.env, c.req.raw.headers, id, c.req.valid("query"));
    return c.env.ORCHESTRATOR.fetch(new Request(`https://orchestrator/live/${id}`, c.req.raw));
  });
