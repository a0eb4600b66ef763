/**
 * Ops carrying out a LinkedIn task: done (the message was sent by hand: its notification is delivered) or skipped
 * (it could not be: its notification is skipped and the ladder goes on to the next channel). Each task is marked
 * once; the ops API lists tasks from `linkedin_tasks` by status and calls this.
 */
import { database, schema } from "@statex/shared/db";
import type { Logger } from "@statex/shared/logger";
import { and, eq } from "drizzle-orm";
import type { DeliveryEnv } from "./env";
import { type Applied, applyReport } from "./status";

/** Marks an open task done or skipped by an ops user; `unchanged` when it was marked already, `unknown` without it. */
export async function completeLinkedinTask(env: DeliveryEnv, log: Logger, taskId: string, outcome: "done" | "skipped", by: string): Promise<Applied> {
  const k = schema.linkedinTasks;
  const db = database(env.DB);
  const marked = await db
    .update(k)
    .set({ status: outcome, doneBy: by, doneAt: new Date().toISOString() })
    .where(and(eq(k.id, taskId), eq(k.status, "open")))
    .returning({ id: k.id })
    .get();
  if (!marked) return (await db.select({ id: k.id }).from(k).where(eq(k.id, taskId)).get()) ? "unchanged" : "unknown";
  return applyReport({ channel: "linkedin", providerMessageId: taskId, status: outcome === "done" ? "delivered" : "skipped" }, { env, log });
}
