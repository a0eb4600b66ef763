/**
 * The job's state machine. Every transition is synchronous over the job's
 * SQLite and writes the messages it causes to the outbox in the same step;
 * sending, R2 and D1 are the Durable Object's business (`job.ts`).
 */
import { type EventData, type EventType, REQUEST_DRAFT_MAX, eventData } from "@statex/shared/events";
import { PrototypeResult, type TaskKind, type TaskReport, TaskMessage } from "@statex/shared/tasks";
import { enqueueEvent, enqueueTask } from "./messages-out";
import { type FailureClass, decide } from "./policy";
import { type DepOutput, inputAnalysis, inputText, planJob } from "./plan";
import type { JobStore } from "./job-store";
import { type TaskRow, type TaskState, type TaskUpdate, depsOf, parseObject } from "./job-tables";
import { usageOf } from "./usage";

/** A finished dependency as the next task reads it (the file's name comes from its own planned input). */
function depOutput(t: TaskRow): DepOutput {
  const fileName = TaskMessage.shape.input.safeParse(parseObject(t.input)).data?.fileName;
  return { kind: t.kind, fileName, output: parseObject(t.output) };
}

/**
 * timeoutMs: how long an attempt may run once the ai worker has picked it up.
 * queueTimeoutMs: how long it may wait in the queue before that; a backlog is
 * slow, not lost, so this is far longer, and retrying would only deepen it.
 */
export type MachineConfig = { maxAttempts: number; timeoutMs: number; queueTimeoutMs: number; kinds?: ReadonlySet<TaskKind> };
type Failure = { errorClass: FailureClass; error: string; retryAfterMs?: number | undefined };

/** Who cancelled a job: the request's client (status link or owner) or ops. */
export type CancelledBy = "client" | "ops";

/** The answer to a control request (cancel, retry): done, or refused with an HTTP status and why. */
export type ControlOutcome = { ok: true } | { ok: false; status: 404 | 409; reason: string };

const MAX_REASON = 2_000;

export class JobMachine {
  constructor(
    private readonly store: JobStore,
    private readonly config: MachineConfig,
  ) {}

  /** Creates the job and its plan; false (and nothing changes) when it already exists. */
  start(request: EventData<"request.created">, now: number): boolean {
    if (this.store.job()) return false;
    const plan = planJob(request, this.config.kinds);
    const { requestId } = request;
    this.store.createJob(requestId, request, plan, now);
    enqueueEvent(this.store, "job.created", { requestId, tasks: plan.map(({ id, kind }) => ({ id, kind })) }, { requestId, now });
    enqueueEvent(this.store, "request.processing", { requestId }, { requestId, now });
    return true;
  }

  /** The original request, as validated when the job started. */
  request(): EventData<"request.created"> | undefined {
    const job = this.store.job();
    return job ? eventData["request.created"].parse(JSON.parse(job.request)) : undefined;
  }

  /** Why a report must change nothing (not the running attempt of a live task), or undefined if it counts. */
  whyIgnored(report: Pick<TaskReport, "taskId" | "attempt">): string | undefined {
    const job = this.store.job();
    if (!job) return "no such job";
    if (job.status !== "processing") return `job already ${job.status}`;
    const task = this.store.task(report.taskId);
    if (!task) return "no such task";
    if (task.state !== "running") return `task already ${task.state}`;
    if (task.attempt !== report.attempt) return `attempt ${report.attempt} is not the current attempt ${task.attempt}`;
    return undefined;
  }

  /** Records the current attempt's output; false if the attempt stopped counting meanwhile. */
  succeed(report: Extract<TaskReport, { ok: true }>, resultKey: string, now: number): boolean {
    if (this.whyIgnored(report)) return false;
    this.setTask(report.taskId, "succeeded", now, {
      finished_at: now,
      deadline_at: null,
      result_key: resultKey,
      output: JSON.stringify(report.output),
      provider: JSON.stringify(report.provenance),
      error: null,
    });
    return true;
  }

  /**
   * Records a failed attempt: schedules the next one, or fails the task. A failed input task (one
   * recording's transcript, one document's text) leaves the job going on with what succeeded; a
   * failed nlp or prototype fails the job, since without them there is no answer to give.
   */
  fail(taskId: string, attempt: number, failure: Failure, now: number): boolean {
    if (this.whyIgnored({ taskId, attempt })) return false;
    const budgetFrom = this.store.task(taskId)?.budget_from ?? 1;
    const decision = decide(failure, attempt - budgetFrom + 1, this.config.maxAttempts, now);
    const error = failure.error.slice(0, MAX_REASON);
    if ("retryAt" in decision) {
      this.setTask(taskId, "pending", now, { retry_at: decision.retryAt, deadline_at: null, error });
    } else {
      // giveUp already holds the attempt's error (and the attempts made): the reason, said once.
      this.setTask(taskId, "failed", now, { finished_at: now, deadline_at: null, error: decision.giveUp.slice(0, MAX_REASON) });
      const task = this.store.task(taskId);
      if (!task || !isOptional(task.kind)) this.failJob(`${taskId}: ${decision.giveUp}`, now);
    }
    return true;
  }

  /** The ai worker took this attempt off the queue: its answer is now due within timeoutMs. False if it no longer counts. */
  pickUp(taskId: string, attempt: number, now: number): boolean {
    if (this.whyIgnored({ taskId, attempt })) return false;
    this.store.updateTask(taskId, { picked_at: now, deadline_at: now + this.config.timeoutMs });
    return true;
  }

  /** Fails every running attempt whose deadline passed (never picked up, or picked up and never answered). */
  expire(now: number): void {
    for (const t of this.store.tasks()) {
      if (t.state !== "running" || t.deadline_at === null || t.deadline_at > now) continue;
      const error =
        t.picked_at === null
          ? `not picked up within ${this.config.queueTimeoutMs} ms`
          : `no answer within ${this.config.timeoutMs} ms of being picked up`;
      this.fail(t.id, t.attempt, { errorClass: "timeout", error }, now);
    }
  }

  /** Sends the next attempt of every task whose dependencies succeeded and whose retry time came. */
  dispatch(now: number): void {
    const job = this.store.job();
    if (job?.status !== "processing") return;
    const tasks = this.store.tasks();
    const byId = new Map(tasks.map((t) => [t.id, t]));
    for (const t of tasks) {
      if (t.state !== "pending" || (t.retry_at !== null && t.retry_at > now)) continue;
      const deps = depsOf(t).map((id) => byId.get(id));
      if (!deps.every((d) => d !== undefined && settled(d))) continue;
      const own = TaskMessage.shape.input.parse(JSON.parse(t.input));
      // Only what succeeded feeds the next step; a failed input task contributes nothing.
      const { text, sources } = inputText(own.text, deps.flatMap((d) => (d?.state === "succeeded" ? [depOutput(d)] : [])));
      const analysis = inputAnalysis(deps);
      const usage = usageOf(tasks);
      const attempt = t.attempt + 1;
      const message = TaskMessage.parse({
        taskId: t.id,
        requestId: job.request_id,
        kind: t.kind,
        attempt,
        input: {
          ...own,
          ...(text !== undefined ? { text, sources } : {}),
          ...(analysis ? { analysis } : {}),
          tokensUsed: usage.inputTokens + usage.outputTokens,
        },
      });
      this.setTask(t.id, "running", now, {
        attempt,
        retry_at: null,
        picked_at: null,
        deadline_at: now + this.config.queueTimeoutMs,
        started_at: t.started_at ?? now,
      });
      enqueueTask(this.store, message);
    }
  }

  /** True when every task succeeded (or, for input tasks, failed for good) but the job is not yet completed. */
  readyToFinish(): boolean {
    const tasks = this.store.tasks();
    return this.store.job()?.status === "processing" && tasks.length > 0 && tasks.every(settled) && tasks.some((t) => t.state === "succeeded");
  }

  /** Completes the job with its analysis (already in R2 at `resultKey`). */
  complete(analysis: Record<string, unknown>, resultKey: string, now: number): void {
    const job = this.store.job();
    const request = this.request();
    if (!job || !request || !this.readyToFinish()) return;
    this.store.updateJob({ status: "completed", finished_at: now, result_key: resultKey, result: JSON.stringify(analysis) }, now);
    const { requestId, contact } = request;
    const summary = typeof analysis.summary === "string" ? analysis.summary.slice(0, 10_000) : "";
    this.event("job.completed", { requestId, durationMs: now - job.started_at }, now);
    // The draft travels for the "ready" email, unless it is longer than an email should be: the email links to it.
    const draft = PrototypeResult.pick({ markdown: true }).safeParse(analysis.prototype).data?.markdown;
    const withDraft = draft && draft.length <= REQUEST_DRAFT_MAX ? { draft } : {};
    this.event("request.completed", { requestId, contact, summary, ...withDraft, resultKey }, now);
  }

  /** When the job next needs attention for its tasks: a deadline, a retry, or a finish that failed. */
  nextWake(now: number): number | undefined {
    if (this.store.job()?.status !== "processing") return undefined;
    if (this.readyToFinish()) return now;
    const times = this.store
      .tasks()
      .map((t) => (t.state === "running" ? t.deadline_at : t.state === "pending" ? t.retry_at : null))
      .filter((n): n is number => n !== null);
    return times.length ? Math.min(...times) : undefined;
  }

  private failJob(reason: string, now: number): void {
    const request = this.request();
    if (!request) return;
    const why = reason.slice(0, MAX_REASON);
    this.store.updateJob({ status: "failed", finished_at: now, error: why }, now);
    for (const t of this.store.tasks()) {
      if (t.state === "pending" || t.state === "running") {
        this.store.updateTask(t.id, { state: "cancelled", finished_at: now, deadline_at: null, retry_at: null });
      }
    }
    const { requestId, contact } = request;
    this.event("job.failed", { requestId, reason: why }, now);
    this.event("request.failed", { requestId, contact, reason: why }, now);
  }

  /**
   * Cancels a live job: every pending or running task is cancelled, so a result
   * that arrives later finds nothing running and is ignored. Cancelling twice is
   * the same as once; a job that already finished cannot be cancelled.
   */
  cancel(by: CancelledBy, now: number): ControlOutcome {
    const job = this.store.job();
    if (!job) return { ok: false, status: 404, reason: "no such job" };
    if (job.status === "cancelled") return { ok: true };
    if (job.status !== "processing") return { ok: false, status: 409, reason: `job already ${job.status}` };
    this.store.updateJob({ status: "cancelled", finished_at: now, error: `cancelled by ${by}` }, now);
    for (const t of this.store.tasks()) {
      if (t.state === "pending" || t.state === "running") {
        this.setTask(t.id, "cancelled", now, { finished_at: now, deadline_at: null, retry_at: null });
      }
    }
    this.event("request.cancelled", { requestId: job.request_id, by }, now);
    return { ok: true };
  }

  /**
   * Ops reopen a failed job: the given task (or every task that did not
   * succeed) goes back to pending with a fresh attempt budget, and the tasks
   * the failure cancelled with it are reopened too, or the job could never
   * finish. Attempt numbers keep counting up, so late answers to the old
   * attempts are still ignored. A cancelled job stays cancelled: the client asked.
   */
  reopen(taskId: string | undefined, now: number): ControlOutcome {
    const job = this.store.job();
    if (!job) return { ok: false, status: 404, reason: "no such job" };
    if (job.status !== "failed") return { ok: false, status: 409, reason: `only a failed job can be retried; this one is ${job.status}` };
    const tasks = this.store.tasks();
    if (taskId !== undefined) {
      const task = tasks.find((t) => t.id === taskId);
      if (!task) return { ok: false, status: 404, reason: "no such task" };
      if (task.state !== "failed") return { ok: false, status: 409, reason: `task ${taskId} is ${task.state}, not failed` };
      const others = tasks.filter((t) => t.state === "failed" && t.id !== taskId).map((t) => t.id);
      if (others.length) return { ok: false, status: 409, reason: `other tasks failed too (${others.join(", ")}): retry the job` };
    }
    this.store.updateJob({ status: "processing", finished_at: null, error: null, round: job.round + 1 }, now);
    for (const t of tasks) {
      if (t.state !== "failed" && t.state !== "cancelled") continue;
      this.setTask(t.id, "pending", now, { finished_at: null, deadline_at: null, retry_at: null, error: null, budget_from: t.attempt + 1 });
    }
    this.event("request.processing", { requestId: job.request_id }, now);
    return { ok: true };
  }

  /** Queues an event of this job; after an ops retry its id carries the round, so it is a new event. */
  private event<T extends EventType>(type: T, data: EventData<T>, now: number, step?: string): void {
    const job = this.store.job();
    if (!job) return;
    const round = job.round > 0 ? `r${job.round}` : undefined;
    enqueueEvent(this.store, type, data, { requestId: job.request_id, step: [round, step].filter(Boolean).join(":") || undefined, now });
  }

  /** Changes a task's state and announces it with a `job.progress` event. */
  private setTask(id: string, state: TaskState, now: number, fields: TaskUpdate): void {
    this.store.updateTask(id, { ...fields, state });
    this.store.touch(now);
    const tasks = this.store.tasks();
    const task = tasks.find((t) => t.id === id);
    const requestId = this.store.job()?.request_id;
    if (!task || !requestId) return;
    const done = tasks.filter((t) => t.state === "succeeded").length;
    this.event(
      "job.progress",
      { requestId, taskId: id, kind: task.kind, state, attempt: Math.max(1, task.attempt), done, total: tasks.length },
      now,
      `${id}:${task.attempt}:${state}`,
    );
  }
}

/** Input tasks: the job can answer without one of them (it says which failed and why). */
function isOptional(kind: string): boolean {
  return kind === "asr" || kind === "docai";
}

/** A task that will not change any more in a way that should hold the job up. */
function settled(t: { kind: string; state: string }): boolean {
  return t.state === "succeeded" || (t.state === "failed" && isOptional(t.kind));
}
