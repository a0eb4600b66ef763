/**
 * RequestJob: one Durable Object per request, the truth about its AI job.
 * State lives in the object's SQLite; every change is followed by a sync
 * (outbox sends and the D1 mirror), and the alarm drives what time decides:
 * attempt timeouts, retries after backoff, and re-sending what failed.
 */
import { DurableObject } from "cloudflare:workers";
import { type EventData, eventData } from "@statex/shared/events";
import { Logger } from "@statex/shared/logger";
import type { JobStep } from "@statex/shared/schema";
import { AsrResult, DocaiResult, NlpResult, PrototypeResult, type TaskKind, TaskPickUp, TaskReport, taskResultKey } from "@statex/shared/tasks";
import type { z } from "zod";
import { LiveHub, liveMessage } from "./live";
import { type CancelledBy, type ControlOutcome, JobMachine } from "./machine";
import { mirrorJob, toStep } from "./mirror";
import { errorOf } from "./error-field";
import { sendOutbox } from "./messages-out";
import { enabledKinds } from "./plan";
import { backoffMs, intVar } from "./policy";
import { analysisKey, buildAnalysis, putJson } from "./results";
import { SLOTS_NAME, slotsVar } from "./slots";
import { JobStore } from "./job-store";
import { type JobStatus, depsOf } from "./job-tables";

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
};

/** Whether a report changed the job, and if not, why. */
export type ReportOutcome = { accepted: boolean; reason?: string };

/** What each kind's output must look like before it is accepted; kinds not listed are kept as given. */
const outputSchemas: Partial<Record<TaskKind, z.ZodType>> = { nlp: NlpResult, asr: AsrResult, docai: DocaiResult, prototype: PrototypeResult };

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Storage key of a cancel that came before the job started (intake may be faster than the queue). */
const EARLY_CANCEL = "cancelled-before-start";
/** Storage key of the request while its job waits in line for a slot (see slots.ts). */
const WAITING = "waiting-for-a-slot";

export class RequestJob extends DurableObject<OrchestratorEnv> {
  private readonly store: JobStore;
  private readonly machine: JobMachine;
  private readonly live: LiveHub;
  /** The job version live watchers last received (see pushLive). */
  private pushedVersion = 0;
  /** Syncs run one at a time, so an older D1 mirror can never land after a newer one. */
  private syncing: Promise<void> = Promise.resolve();
  /** The sync waiting for the running one to end, if any: when its sends are done, and when all of it is. */
  private queuedSync: { sent: Promise<void>; done: Promise<void> } | undefined;

  constructor(ctx: DurableObjectState, env: OrchestratorEnv) {
    super(ctx, env);
    this.store = new JobStore(ctx.storage.sql);
    this.machine = new JobMachine(this.store, {
      maxAttempts: intVar(env.TASK_MAX_ATTEMPTS, 3),
      timeoutMs: intVar(env.TASK_TIMEOUT_MS, 30_000),
      queueTimeoutMs: intVar(env.TASK_QUEUE_TIMEOUT_MS, 600_000),
      kinds: enabledKinds(env.ENABLED_TASK_KINDS),
    });
    this.live = new LiveHub(ctx);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  /**
   * The one route served over fetch rather than RPC: watching the job live.
   * A WebSocket upgrade (or an event stream) has to travel as an HTTP request,
   * so OrchestratorApi forwards the client's request here unchanged. Who may
   * watch was decided before (intake checks the status token or the owner).
   */
  override async fetch(request: Request): Promise<Response> {
    return this.live.open(request, liveMessage(await this.getState()));
  }

  /** A client may send "state" to ask for the full state again; anything else is ignored. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === "state") this.live.reply(ws, liveMessage(await this.getState()));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      // 1005/1006 mean "no code": answer with a plain normal close.
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      // Already closed by the runtime's automatic reply.
    }
  }

  /**
   * Starts the job for a new request, or puts it in line when every slot is taken (JOB_SLOTS): it then starts
   * when JobSlots admits it. Idempotent: a second start changes nothing and returns the state (null while in line).
   */
  async start(request: EventData<"request.created">): Promise<JobState | null> {
    const data = eventData["request.created"].parse(request);
    const log = this.logger(data.requestId);
    if (!this.store.job() && !(await this.ctx.storage.get(EARLY_CANCEL)) && !(await this.admitted(data, log))) return this.done(log, null);
    return this.begin(data, log);
  }

  /** JobSlots gives this job a slot: the job waiting in line starts now. Idempotent. */
  async admit(): Promise<void> {
    const data = await this.ctx.storage.get<EventData<"request.created">>(WAITING);
    if (!data || this.store.job()) return;
    const log = this.logger(data.requestId);
    log.info("job admitted");
    await this.begin(data, log);
    this.ctx.waitUntil(log.flush());
  }

  /**
   * Asks JobSlots for a slot. The request is written down first: the slot may be granted (admit) before the
   * answer comes back, and a job in line must survive eviction.
   */
  private async admitted(data: EventData<"request.created">, log: Logger): Promise<boolean> {
    const slots = slotsVar(this.env.JOB_SLOTS);
    if (!slots) return true;
    await this.ctx.storage.put(WAITING, data);
    const answer = await this.env.SLOTS.getByName(SLOTS_NAME).acquire(data.requestId, slots);
    if (this.store.job()?.slot_released) {
      // Cancelled while asking: the cancel gave back a slot (or place) JobSlots had not recorded yet, so give back
      // what this answer recorded, or it would stay taken until its lease runs out.
      await this.env.SLOTS.getByName(SLOTS_NAME).release(data.requestId);
      return true;
    }
    if (!answer.admitted) log.info("job waits for a free slot", { ahead: answer.ahead });
    return answer.admitted;
  }

  /** Plans the job (cancelled at once if a cancel came first) and dispatches what can run. */
  private async begin(data: EventData<"request.created">, log: Logger): Promise<JobState | null> {
    const early = await this.ctx.storage.get<CancelledBy>(EARLY_CANCEL);
    if (this.machine.start(data, Date.now())) {
      log.info("job planned", { tasks: this.store.tasks().map((t) => t.id) });
      // Cancelled before it began: record the job as cancelled before anything is dispatched.
      if (early) this.machine.cancel(early, Date.now());
    }
    await this.ctx.storage.delete(WAITING);
    await this.advance(log);
    return this.getState();
  }

  /**
   * The ai worker is about to run this attempt. Its deadline now counts from here. Not accepted
   * when the attempt no longer counts (cancelled, superseded, job over): the worker then skips it.
   */
  async pickUp(input: TaskPickUp): Promise<ReportOutcome> {
    const { requestId, taskId, attempt } = TaskPickUp.parse(input);
    const ignored = this.machine.whyIgnored({ taskId, attempt });
    if (ignored || !this.machine.pickUp(taskId, attempt, Date.now())) {
      return { accepted: false, reason: ignored ?? "attempt no longer counts" };
    }
    await this.scheduleAlarm();
    this.logger(requestId).debug("task picked up", { taskId, attempt });
    return { accepted: true };
  }

  /** Takes the outcome of one attempt. A report for a finished task or an older attempt changes nothing. */
  async report(input: TaskReport): Promise<ReportOutcome> {
    const report = TaskReport.parse(input);
    const log = this.logger(report.requestId);
    const ignored = this.machine.whyIgnored(report);
    if (ignored) {
      log.info("task report ignored", { taskId: report.taskId, attempt: report.attempt, reason: ignored });
      return this.done(log, { accepted: false, reason: ignored });
    }
    const task = this.store.task(report.taskId);
    if (report.ok && task) {
      const checked = outputSchemas[task.kind]?.safeParse(report.output);
      if (checked && !checked.success) {
        // A provider that answers nonsense may answer well next time (or another provider may).
        this.machine.fail(task.id, report.attempt, { errorClass: "retryable", error: `invalid ${task.kind} output` }, Date.now());
      } else {
        const key = taskResultKey(report.requestId, report.taskId);
        await putJson(this.env.FILES, key, { taskId: task.id, kind: task.kind, attempt: report.attempt, output: report.output, provenance: report.provenance });
        // R2 was awaited: a duplicate of this report may have been recorded meanwhile.
        if (!this.machine.succeed(report, key, Date.now())) return this.done(log, { accepted: false, reason: "already recorded" });
      }
    } else if (!report.ok) {
      this.machine.fail(report.taskId, report.attempt, report, Date.now());
    }
    log.info("task report recorded", { taskId: report.taskId, attempt: report.attempt, ok: report.ok });
    await this.advance(log, "sent");
    return this.done(log, { accepted: true });
  }

  /**
   * Cancels the job. Before the job exists the cancel is remembered and applied
   * when it starts, so a request cancelled while its event is still queued never runs.
   */
  async cancel(requestId: string, by: CancelledBy): Promise<ControlOutcome> {
    const log = this.logger(requestId);
    if (!this.store.job()) {
      await this.ctx.storage.put(EARLY_CANCEL, by);
      log.info("job cancelled before it started", { by });
      // In line for a slot: it needs none to be recorded as cancelled, and its place goes to the next.
      const waiting = await this.ctx.storage.get<EventData<"request.created">>(WAITING);
      if (waiting) await this.begin(waiting, log);
      return this.done(log, { ok: true });
    }
    const outcome = this.machine.cancel(by, Date.now());
    if (outcome.ok) log.info("job cancelled", { by });
    await this.advance(log);
    return this.done(log, outcome);
  }

  /** Ops retry a failed job (every task that did not succeed) or one failed task. */
  async retry(requestId: string, taskId?: string): Promise<ControlOutcome> {
    const log = this.logger(requestId);
    if (!this.store.job() && (await this.ctx.storage.get(EARLY_CANCEL))) {
      return this.done(log, { ok: false, status: 409, reason: "only a failed job can be retried; this one is cancelled" });
    }
    const outcome = this.machine.reopen(taskId, Date.now());
    if (outcome.ok) log.info("job reopened by ops", { taskId: taskId ?? "all" });
    await this.advance(log);
    return this.done(log, outcome);
  }

  /** The job as it stands, or null if this request has no job. */
  async getState(): Promise<JobState | null> {
    const job = this.store.job();
    if (!job) return null;
    const tasks = this.store.tasks();
    return {
      requestId: job.request_id,
      status: job.status,
      startedAt: new Date(job.started_at).toISOString(),
      finishedAt: iso(job.finished_at),
      resultKey: job.result_key,
      error: job.error,
      plan: tasks.map((t) => ({ id: t.id, kind: t.kind, deps: depsOf(t) })),
      tasks: tasks.map((t) => ({ ...toStep(t), pickedAt: iso(t.picked_at), retryAt: iso(t.retry_at), deadlineAt: iso(t.deadline_at), resultKey: t.result_key })),
      unsentMessages: this.store.unsent().length,
    };
  }

  override async alarm(): Promise<void> {
    const job = this.store.job();
    if (!job) return;
    const log = this.logger(job.request_id);
    await this.advance(log);
    this.ctx.waitUntil(log.flush());
  }

  /**
   * Applies what time decided, finishes a job whose tasks all succeeded, syncs, and sets the next alarm.
   *
   * `until: "sent"` answers once the outbox is sent (the next task dispatched, the events published) and leaves the
   * D1 mirror, the live push and giving back a slot to finish after. For a task report: the ai worker's queue batch
   * waits on that answer, and locally the next batch (another job's task) waits on the batch, so each report
   * holding it for the mirror cost every other job's task that long in the queue (with two jobs running: 91-96 ->
   * 67 ms of orchestration per task, and 200 jobs done in 26 s instead of 30-38). The outcome is in the object's
   * storage before the answer, and the alarm is set before the answer too, so what the rest leaves undone (an
   * eviction, D1 down) is done by the alarm; the D1 mirror was never more than eventually consistent.
   */
  private async advance(log: Logger, until: "synced" | "sent" = "synced"): Promise<void> {
    const now = Date.now();
    this.machine.expire(now);
    this.machine.dispatch(now);
    if (this.machine.readyToFinish()) {
      try {
        await this.finish();
      } catch (err) {
        log.warn("finishing the job failed, the alarm will retry", { error: errorOf(err) });
      }
    }
    if (until === "sent") {
      await this.scheduleAlarm();
      const sync = this.queueSync(log);
      this.ctx.waitUntil(sync.done.catch(() => undefined).then(() => this.scheduleAlarm()));
      await sync.sent;
      return;
    }
    await this.sync(log);
    await this.scheduleAlarm();
  }

  /** Writes the analysis to R2 first, so `request.completed` never points at a missing object. */
  private async finish(): Promise<void> {
    const job = this.store.job();
    if (!job) return;
    const key = analysisKey(job.request_id);
    const analysis = buildAnalysis(job.request_id, this.store.tasks(), Date.now());
    await putJson(this.env.FILES, key, analysis);
    this.machine.complete(analysis, key, Date.now());
  }

  /**
   * Syncs after the one running now. A sync already waiting to start reads the state when it starts, so it
   * carries this change too: under load many changes share one round of sends and one D1 write.
   */
  private sync(log: Logger): Promise<void> {
    return this.queueSync(log).done;
  }

  private queueSync(log: Logger): { sent: Promise<void>; done: Promise<void> } {
    if (this.queuedSync) return this.queuedSync;
    let sentNow = () => {};
    const sent = new Promise<void>((resolve) => (sentNow = resolve));
    const once = async () => {
      this.queuedSync = undefined;
      try {
        await this.syncOnce(log, sentNow);
      } finally {
        sentNow();
      }
      await this.pushLive();
    };
    // After the previous sync however it ended: one that threw must not stop every later one.
    const done = this.syncing.then(once, once);
    this.queuedSync = { sent, done };
    this.syncing = done;
    return this.queuedSync;
  }

  /** Sends the outbox, mirrors to D1 and gives back an ended job's slot. Never throws: what fails stays recorded for the alarm. */
  private async syncOnce(log: Logger, sent?: () => void): Promise<void> {
    await sendOutbox(this.store, this.env, log);
    sent?.();
    const job = this.store.job();
    if (job && job.version > job.mirrored_version) {
      try {
        await mirrorJob(this.env.DB, job, this.store.tasks());
        this.store.markMirrored(job.version);
      } catch (err) {
        log.warn("D1 mirror failed, the alarm will retry", { error: errorOf(err) });
      }
    }
    if (job && this.holdsSlot()) {
      try {
        await this.env.SLOTS.getByName(SLOTS_NAME).release(job.request_id);
        this.store.markSlotReleased();
      } catch (err) {
        log.warn("giving the slot back failed, the alarm will retry", { error: errorOf(err) });
      }
    }
  }

  /** An ended job that has not given its slot back yet (a job that never asked for one releases nothing, harmlessly). */
  private holdsSlot(): boolean {
    const job = this.store.job();
    return job !== undefined && job.status !== "processing" && !job.slot_released && slotsVar(this.env.JOB_SLOTS) !== undefined;
  }

  /**
   * Pushes the state to live watchers when it changed since the last push. The
   * version is kept in memory only: after eviction the first push may repeat a
   * state, which a client that always receives the whole state shrugs off.
   */
  private async pushLive(): Promise<void> {
    const job = this.store.job();
    if (!job || job.version === this.pushedVersion || this.live.watchers === 0) return;
    this.pushedVersion = job.version;
    this.live.push(liveMessage(await this.getState()));
  }

  /** One alarm for everything time-driven: the earliest deadline, retry, or re-send. */
  private async scheduleAlarm(): Promise<void> {
    const now = Date.now();
    const job = this.store.job();
    const unsent = this.store.unsent();
    const behind = unsent.length > 0 || (job !== undefined && job.version > job.mirrored_version) || this.holdsSlot();
    const resendAt = behind ? now + backoffMs(Math.max(1, ...unsent.map((r) => r.attempts))) : undefined;
    const times = [this.machine.nextWake(now), resendAt].filter((t): t is number => t !== undefined);
    if (times.length) await this.ctx.storage.setAlarm(Math.min(...times));
    else await this.ctx.storage.deleteAlarm();
  }

  private logger(requestId: string): Logger {
    return new Logger(this.env, "orchestrator", requestId);
  }

  private done<T>(log: Logger, value: T): T {
    this.ctx.waitUntil(log.flush());
    return value;
  }
}
