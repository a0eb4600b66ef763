/**
 * POST /requests (submit) and GET /requests/:id (status for the status-URL holder or the signed-in owner).
 */
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, requireMediaType, validate } from "@statex/shared/http";
import { verifyStatusToken } from "@statex/shared/tokens";
import { callerOf, requireScope } from "@statex/shared/auth";
import { submit } from "./submit/submit";
import { RequestParam, TokenQuery } from "@statex/shared/api/intake";
import { eq } from "drizzle-orm";
import { Hono } from "hono";

export const requestsRoutes = new Hono<AppEnv<IntakeEnv>>()
  // Who may call: anyone (the gateway rate-limits per client). A signed-in client's request is theirs.
  .post("/", requireScope("requests:write"), requireMediaType("application/json", "multipart/form-data"), (c) => submit(c.req.raw, c.env, c.executionCtx, c.get("log")))
  // Who may call: the holder of the request's status token (it came back from the submission), or the signed-in
  // client who owns the request (their dashboard links here without a token).
  .get("/:id", requireScope("requests:read"), validate("param", RequestParam), validate("query", TokenQuery), async (c) => {
    const { id } = c.req.valid("param");
    const { token } = c.req.valid("query");
    const byToken = token !== undefined && (await verifyStatusToken(c.env.STATUS_TOKEN_SECRET, id, token));
    const db = database(c.env.DB);
    const row = await db.select().from(schema.requests).where(eq(schema.requests.id, id)).get();
    const byOwner = row?.userId != null && callerOf(c.req.raw.headers)?.userId === row.userId;
    // A wrong token, someone else's request and an unknown id look the same, so ids cannot be probed.
    if (!row || !(byToken || byOwner)) throw notFound("Request");
    // Its account was deleted: the row stays for ops' counts, but there is nothing of the request left to show.
    if (row.erasedAt) throw new ProblemError(410, "erased", "This request's details were deleted with the account that sent it");
    const job = await db.select().from(schema.jobs).where(eq(schema.jobs.requestId, id)).get();
    // Not started yet: it may be waiting in line for one of the platform's job slots. Only a nicety, so an
    // orchestrator that does not answer leaves it out rather than failing the status.
    const line = job ? null : await c.env.ORCHESTRATOR.placeInLine({ requestId: id }).catch(() => null);
    // One URL, different callers (token or session): no shared cache may keep or hand out a copy.
    c.header("cache-control", "private, no-store");
    c.header("vary", "authorization");
    return c.json({
      id: row.id,
      status: job?.status ?? "received",
      line,
      channel: row.channel,
      createdAt: row.createdAt,
      completedAt: job?.completedAt ?? null,
      contact: { name: row.name, email: row.email },
      text: row.text,
      steps: job?.steps ?? [],
      result: job?.result ?? null,
      error: job?.error ?? null,
    });
  });
