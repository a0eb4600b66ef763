/**
 * RequestJob: one Durable Object per request, the truth about its AI job. Its parts each do one thing: the store
 * and state machine (job-store.ts, machine.ts), the slot it asks for and gives back (slot-admission.ts), the sync
 * of its outside copies (job-sync.ts, one at a time by sync-queue.ts), its live watchers (live-push.ts) and its
 * results in R2 (results.ts). This class is the object: its RPC methods and the order of their steps. Every
 * change is followed by a sync, and the alarm drives what time decides: attempt timeouts, retries after backoff,
 * and syncing again what failed.
 */
import { DurableObject } from "cloudflare:workers";
import { type EventData, eventData } from "@statex/shared/events";
import { Logger, errorField } from "@statex/shared/logger";
import { TaskDraft, TaskPickUp, TaskReport } from "@statex/shared/tasks";
import { type JobState, jobState } from "./job-state";
import { JobStore } from "./job-store";
import { JobSync } from "./job-sync";
import { LiveHub, liveMessage } from "./live-push";
import { type CancelledBy, type ControlOutcome, JobMachine } from "./machine";
import { enabledKinds } from "./plan";
import { intVar } from "./policy";
import { deleteResults, storeAnalysis, storeTaskResult, validOutput } from "./results";
import { SlotAdmission } from "./slot-admission";
import { SyncQueue } from "./sync-queue";

/** Whether a report changed the job, and if not, why. */
export type ReportOutcome = { accepted: boolean; reason?: string };

/** Storage key of a cancel that came before the job started (intake may be faster than the queue). */
const EARLY_CANCEL = "cancelled-before-start";
/** Storage key: the request's personal data was erased, so its job never starts, runs or keeps results again. */
const ERASED = "erased";

export class RequestJob extends DurableObject<OrchestratorEnv> {
  private readonly store: JobStore;
  private readonly machine: JobMachine;
  private readonly slot: SlotAdmission;
  private readonly sync: JobSync;
  private readonly syncs: SyncQueue<Logger>;
  private readonly live: LiveHub;

  constructor(ctx: DurableObjectState, env: OrchestratorEnv) {
    super(ctx, env);
    this.store = new JobStore(ctx.storage.sql);
    this.machine = new JobMachine(this.store, {
      maxAttempts: intVar(env.TASK_MAX_ATTEMPTS, 3),
      timeoutMs: intVar(env.TASK_TIMEOUT_MS, 30_000),
      queueTimeoutMs: intVar(env.TASK_QUEUE_TIMEOUT_MS, 600_000),
      kinds: enabledKinds(env.ENABLED_TASK_KINDS),
    });
    this.slot = new SlotAdmission(ctx.storage, env, this.store);
    this.sync = new JobSync(this.store, env, this.slot);
    this.live = new LiveHub(ctx);
    this.syncs = new SyncQueue(async (log: Logger, sent: () => void) => {
      await this.sync.run(log, sent);
      const job = this.store.job();
      if (job) this.live.pushChange(job.version, () => jobState(this.store));
    });
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  /**
   * The one route served over fetch rather than RPC: watching the job live.
   * A WebSocket upgrade (or an event stream) has to travel as an HTTP request,
   * so OrchestratorApi forwards the client's request here unchanged. Who may
   * watch was decided before (intake checks the status token or the owner).
   */
  override async fetch(request: Request): Promise<Response> {
    return this.live.open(request, liveMessage(jobState(this.store)));
  }

  /** A client may send "state" to ask for the full state again; anything else is ignored. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === "state") this.live.reply(ws, liveMessage(jobState(this.store)));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.live.closed(ws, code);
  }

  /**
   * Starts the job for a new request, or puts it in line when every slot is taken (JOB_SLOTS): it then starts
   * when JobSlots admits it. Idempotent: a second start changes nothing and returns the state (null while in line).
   */
  async start(request: EventData<"request.created">): Promise<JobState | null> {
    const data = eventData["request.created"].parse(request);
    const log = this.logger(data.requestId);
    // Its request.created came after its erasure (a queue backlog): nothing of it is kept, nothing runs.
    if (await this.erased()) return this.done(log, null);
    if (!this.store.job() && !(await this.ctx.storage.get(EARLY_CANCEL)) && !(await this.slot.ask(data, log))) return this.done(log, null);
    return this.begin(data, log);
  }

  /** JobSlots gives this job a slot: the job waiting in line starts now. Idempotent. */
  async admit(): Promise<void> {
    const data = await this.slot.waiting();
    if (!data || this.store.job()) return;
    const log = this.logger(data.requestId);
    log.info("job admitted");
    await this.begin(data, log);
    this.ctx.waitUntil(log.flush());
  }

  /** Plans the job (cancelled at once if a cancel came first) and dispatches what can run. */
  private async begin(data: EventData<"request.created">, log: Logger): Promise<JobState | null> {
    const early = await this.ctx.storage.get<CancelledBy>(EARLY_CANCEL);
    if (this.machine.start(data, Date.now())) {
      log.info("job planned", { tasks: this.store.tasks().map((t) => t.id) });
      // Cancelled before it began: record the job as cancelled before anything is dispatched.
      if (early) this.machine.cancel(early, Date.now());
    }
    await this.slot.begun();
    await this.advance(log);
    return jobState(this.store);
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

  /** The draft so far of the current attempt of a running task: passed to the live watchers, never stored. */
  draft(input: TaskDraft): void {
    const { taskId, attempt, markdown } = TaskDraft.parse(input);
    if (this.machine.whyIgnored({ taskId, attempt })) return;
    this.live.pushDraft({ type: "draft", taskId, markdown });
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
      if (!validOutput(task.kind, report.output)) {
        // A provider that answers nonsense may answer well next time (or another provider may).
        this.machine.fail(task.id, report.attempt, { errorClass: "retryable", error: `invalid ${task.kind} output` }, Date.now());
      } else {
        const key = await storeTaskResult(this.env.FILES, report, task.kind);
        // R2 was awaited: a duplicate of this report may have been recorded meanwhile, or the request erased (its
        // results deleted before this one landed, which must not stay behind).
        if (!this.machine.succeed(report, key, Date.now())) {
          if (await this.erased()) await this.env.FILES.delete(key);
          return this.done(log, { accepted: false, reason: "already recorded" });
        }
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
      const waiting = await this.slot.waiting();
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
    if (await this.erased()) return this.done(log, { ok: false, status: 409, reason: "the request was erased: nothing of it is left to run" });
    if (!this.store.job() && (await this.ctx.storage.get(EARLY_CANCEL))) {
      return this.done(log, { ok: false, status: 409, reason: "only a failed job can be retried; this one is cancelled" });
    }
    const outcome = this.machine.reopen(taskId, Date.now());
    if (outcome.ok) log.info("job reopened by ops", { taskId: taskId ?? "all" });
    await this.advance(log);
    return this.done(log, outcome);
  }

  /**
   * Forgets the request's personal data (its account was deleted): a live job, or one waiting in line, is
   * cancelled first, so no task of it runs or stores a result after this; then the object's copy of the request,
   * its tasks' inputs and outputs and the messages that carried them are erased (see JobStore.erase), the results
   * leave R2, and the D1 mirror is rewritten without them. Idempotent. Throws while the mirror still shows the
   * old data, so the caller retries (the alarm keeps trying meanwhile).
   */
  async erase(input: EventData<"request.erased">): Promise<void> {
    const { requestId } = eventData["request.erased"].parse(input);
    const log = this.logger(requestId);
    await this.ctx.storage.put(ERASED, true);
    const status = this.store.job()?.status;
    if (status === undefined || status === "processing") await this.cancel(requestId, "client");
    // A job in line that was never admitted keeps its request here: the cancel above recorded it, this drops it.
    await this.slot.begun();
    if (this.store.job()) this.store.erase(requestId, Date.now());
    await deleteResults(this.env.FILES, requestId);
    await this.advance(log);
    const job = this.store.job();
    if (job && job.version > job.mirrored_version) throw new Error("the D1 mirror of the erased job is not rewritten yet");
    log.info("job's personal data erased");
    this.ctx.waitUntil(log.flush());
  }

  /** The job as it stands, or null if this request has no job. */
  async getState(): Promise<JobState | null> {
    return jobState(this.store);
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
   * waits on that answer, and locally the next batch (another job's task) waits on the batch, so holding the answer
   * for the mirror would hold every other job's task in the queue that long. The outcome is in the object's storage
   * before the answer, and the alarm is set before the answer too, so what the rest leaves undone (an eviction, D1
   * down) is done by the alarm; the D1 mirror was never more than eventually consistent.
   */
  private async advance(log: Logger, until: "synced" | "sent" = "synced"): Promise<void> {
    const now = Date.now();
    this.machine.expire(now);
    this.machine.dispatch(now);
    if (this.machine.readyToFinish()) {
      try {
        await this.finish();
      } catch (err) {
        log.warn("finishing the job failed, the alarm will retry", { error: errorField(err) });
      }
    }
    if (until === "sent") {
      await this.scheduleAlarm();
      const sync = this.syncs.next(log);
      this.ctx.waitUntil(sync.done.catch(() => undefined).then(() => this.scheduleAlarm()));
      await sync.sent;
      return;
    }
    await this.syncs.next(log).done;
    await this.scheduleAlarm();
  }

  /** Writes the analysis to R2 first, so `request.completed` never points at a missing object. */
  private async finish(): Promise<void> {
    const job = this.store.job();
    if (!job) return;
    const { analysis, key } = await storeAnalysis(this.env.FILES, job.request_id, this.store.tasks(), Date.now());
    // Erased while R2 was writing: the analysis quotes the client, and the erasure has already swept the results.
    if (await this.erased()) {
      await this.env.FILES.delete(key);
      return;
    }
    this.machine.complete(analysis, key, Date.now());
  }

  private async erased(): Promise<boolean> {
    return (await this.ctx.storage.get<boolean>(ERASED)) === true;
  }

  /** One alarm for everything time-driven: the earliest deadline, retry, or sync to try again. */
  private async scheduleAlarm(): Promise<void> {
    const now = Date.now();
    const times = [this.machine.nextWake(now), this.sync.nextAt(now)].filter((t): t is number => t !== undefined);
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
