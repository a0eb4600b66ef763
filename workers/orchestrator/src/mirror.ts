/**
 * The D1 mirror of a job: what intake's status URL and the dashboard read.
 * The Durable Object holds the truth; this copy is rewritten whole on every
 * transition, so a missed write is repaired by the next one (or the alarm).
 */
import { database, schema } from "@statex/shared/db";
import type { JobStep } from "@statex/shared/schema";
import { type JobRow, type TaskRow, parseObject } from "./job-tables";

const iso = (ms: number | null): string | undefined => (ms === null ? undefined : new Date(ms).toISOString());

/** A task as the dashboard shows it. */
export function toStep(t: TaskRow): JobStep {
  const provider = parseObject(t.provider).provider;
  // A file's task names its file, so the client can tell two recordings or documents apart.
  const fileName = t.kind === "asr" || t.kind === "docai" ? parseObject(t.input).fileName : undefined;
  return {
    id: t.id,
    kind: t.kind,
    ...(typeof fileName === "string" ? { fileName } : {}),
    state: t.state,
    attempt: t.attempt,
    ...(t.started_at !== null ? { startedAt: iso(t.started_at) } : {}),
    ...(t.finished_at !== null ? { finishedAt: iso(t.finished_at) } : {}),
    ...(t.started_at !== null && t.finished_at !== null ? { durationMs: t.finished_at - t.started_at } : {}),
    ...(t.error ? { error: t.error } : {}),
    ...(typeof provider === "string" ? { provider } : {}),
  };
}

/** Writes the job's current state to D1's `jobs`. */
export async function mirrorJob(d1: D1Database, job: JobRow, tasks: TaskRow[]): Promise<void> {
  const row = {
    status: job.status,
    steps: tasks.map(toStep),
    result: job.result ? parseObject(job.result) : null,
    error: job.error,
    updatedAt: new Date(job.updated_at).toISOString(),
    completedAt: job.status === "processing" ? null : (iso(job.finished_at) ?? null),
  };
  await database(d1)
    .insert(schema.jobs)
    .values({ requestId: job.request_id, createdAt: new Date(job.started_at).toISOString(), ...row })
    .onConflictDoUpdate({ target: schema.jobs.requestId, set: row });
}
