/** The job as it stands, as the object shows it: to ops, to the status route, and (trimmed) to live watchers. */
import type { JobStep } from "@statex/shared/schema";
import type { TaskKind } from "@statex/shared/tasks";
import type { JobStore } from "./job-store";
import { type JobStatus, depsOf } from "./job-tables";
import { toStep } from "./mirror";
import { type RequestUsage, usageOf } from "./usage";

/** What a job looks like from outside: for tests, the internal /jobs route and live progress. */
export type JobState = {
  requestId: string;
  status: JobStatus;
  startedAt: string;
  finishedAt: string | null;
  resultKey: string | null;
  error: string | null;
  plan: { id: string; kind: TaskKind; deps: string[] }[];
  /** pickedAt: when the ai worker took the current attempt off the queue (null while it waits there). */
  tasks: (JobStep & { pickedAt: string | null; retryAt: string | null; deadlineAt: string | null; resultKey: string | null })[];
  unsentMessages: number;
  /** What the job's tasks used on hosted models so far (tokens; neurons on Workers AI). */
  usage: RequestUsage;
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The job's state from its store, or null if this request has no job (yet). */
export function jobState(store: JobStore): JobState | null {
  const job = store.job();
  if (!job) return null;
  const tasks = store.tasks();
  return {
    requestId: job.request_id,
    status: job.status,
    startedAt: new Date(job.started_at).toISOString(),
    finishedAt: iso(job.finished_at),
    resultKey: job.result_key,
    error: job.error,
    plan: tasks.map((t) => ({ id: t.id, kind: t.kind, deps: depsOf(t) })),
    tasks: tasks.map((t) => ({ ...toStep(t), pickedAt: iso(t.picked_at), retryAt: iso(t.retry_at), deadlineAt: iso(t.deadline_at), resultKey: t.result_key })),
    unsentMessages: store.unsent().length,
    usage: usageOf(tasks),
  };
}
