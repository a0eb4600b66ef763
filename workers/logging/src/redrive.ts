/**
 * Redriving a dead letter: its stored body goes back to the queue it failed on,
 * once. Who may call: ops only (the gateway guards the route, and the route checks the forwarded role again).
 *
 * The row is claimed before the send (`redriven_at` set where it was null), so
 * two ops clicking at once send it once; if the send fails the claim is undone
 * and the error is answered, so nothing is marked redriven that was not sent.
 */
import { DeadLetterParam, QueueBody } from "@statex/shared/api/logging";
import { callerOf, requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { type LoggerEnv, errorField } from "@statex/shared/logger";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { appendAudit } from "./audit";
import { wasErased } from "./erasure";


/** The producer for a queue by its stored name (`statex-ai-tasks`, `statex-notify-staging`), or undefined. */
export function redriveQueue(env: LoggingEnv, queue: string): Queue | undefined {
  const base = queue.replace(/-staging$/, "").replace(/^statex-/, "");
  const producers: Record<string, Queue> = {
    orchestrator: env.REDRIVE_ORCHESTRATOR,
    "ai-tasks": env.REDRIVE_AI_TASKS,
    notify: env.REDRIVE_NOTIFY,
    intake: env.REDRIVE_INTAKE,
    logging: env.REDRIVE_LOGGING,
    logs: env.REDRIVE_LOGS,
  };
  return producers[base];
}

type DeadLetter = typeof schema.deadLetters.$inferSelect;
type Ctx = Context<AppEnv<LoggingEnv & LoggerEnv>>;

/** Sends one dead letter back to its queue, once (see the top of this file); throws a problem when it cannot. */
async function redrive(c: Ctx, row: DeadLetter): Promise<{ id: string; queue: string; redrivenAt: string }> {
  const { id } = row;
  const db = database(c.env.DB);
  const { deadLetters } = schema;
  if (row.redrivenAt) throw new ProblemError(409, "already-redriven", `This dead letter was redriven at ${row.redrivenAt}`);
  const queue = redriveQueue(c.env, row.queue);
  if (!queue) throw new ProblemError(409, "unknown-queue", `No producer for queue ${row.queue}`);
  const body: unknown = JSON.parse(row.body);
  if (wasErased(body)) throw new ProblemError(409, "erased", "This dead letter's personal data was erased: nothing is left to send");

  const redrivenAt = new Date().toISOString();
  const claimed = await db
    .update(deadLetters)
    .set({ redrivenAt })
    .where(and(eq(deadLetters.id, id), isNull(deadLetters.redrivenAt)))
    .returning({ id: deadLetters.id })
    .all();
  if (!claimed.length) throw new ProblemError(409, "already-redriven", "This dead letter was redriven meanwhile");
  const log = c.get("log").withCorrelation(row.correlationId ?? id);
  try {
    await queue.send(body, { contentType: "json" });
  } catch (err) {
    await db.update(deadLetters).set({ redrivenAt: null }).where(eq(deadLetters.id, id)).run();
    log.error("redrive failed", { deadLetter: id, queue: row.queue, error: errorField(err) });
    throw new ProblemError(503, "redrive-failed", "The queue did not take the message; try again");
  }
  // A user.deleted carried the address only for its consumers: sent again, it needs no copy here.
  if (row.eventType === "user.deleted") {
    await db.update(deadLetters).set({ body: sql`json_remove(${deadLetters.body}, '$.data.email')` }).where(eq(deadLetters.id, id)).run();
  }
  log.info("dead letter redriven", { deadLetter: id, queue: row.queue });
  const caller = callerOf(c.req.raw.headers);
  // The message is on its queue whatever happens here: a failed append is logged for ops, not answered as a failed redrive.
  await appendAudit(c.env.DB, {
    sourceId: `redrive:${id}:${redrivenAt}`, at: redrivenAt, action: "dead-letter.redriven", actor: { id: caller?.userId ?? null, role: caller?.role ?? null },
    target: { type: "dead-letter", id }, change: { queue: row.queue, eventType: row.eventType }, correlationId: row.correlationId,
  }).catch((err: unknown) => log.error("audit append failed", { deadLetter: id, error: errorField(err) }));
  return { id, queue: row.queue, redrivenAt };
}

/** The most one "redrive all" sends; ops call again for the rest. */
const REDRIVE_ALL_MAX = 500;

export const redriveRoutes = new Hono<AppEnv<LoggingEnv & LoggerEnv>>()
  .post("/:id/redrive", requireRole("ops"), validate("param", DeadLetterParam), async (c) => {
    const { id } = c.req.valid("param");
    const { deadLetters } = schema;
    const row = await database(c.env.DB).select().from(deadLetters).where(eq(deadLetters.id, id)).get();
    if (!row) throw notFound("Dead letter");
    return c.json(await redrive(c, row));
  })
  // Every open dead letter of one queue, oldest first, each as the single redrive does it; an erased one is skipped.
  .post("/redrive", requireRole("ops"), validate("json", QueueBody), async (c) => {
    const { queue } = c.req.valid("json");
    if (!redriveQueue(c.env, queue)) throw new ProblemError(400, "validation", `No queue ${queue}`, [{ field: "queue", message: "is not a queue of this platform" }]);
    const { deadLetters } = schema;
    const rows = await database(c.env.DB)
      .select()
      .from(deadLetters)
      .where(and(eq(deadLetters.queue, queue), isNull(deadLetters.redrivenAt)))
      .orderBy(asc(deadLetters.receivedAt))
      .limit(REDRIVE_ALL_MAX)
      .all();
    let redriven = 0;
    let skipped = 0;
    let failed = 0;
    for (const row of rows) {
      try {
        await redrive(c, row);
        redriven++;
      } catch (err) {
        // Erased, or redriven meanwhile by someone else: nothing to send. Anything else failed and stays open.
        if (err instanceof ProblemError && err.status === 409) skipped++;
        else failed++;
      }
    }
    return c.json({ queue, redriven, skipped, failed });
  });
