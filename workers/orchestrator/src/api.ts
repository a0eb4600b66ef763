/**
 * OrchestratorApi: the RPC entrypoint other workers call (service binding
 * ORCHESTRATOR, entrypoint "OrchestratorApi"): the ai worker reports results,
 * intake cancels a request for its client, opens its live progress and asks
 * where it waits in line, and starts a job whose request.created never arrived
 * (its reconciliation sweep).
 * Who may call: only workers bound to it; each checked its own caller first.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { type EventData, eventData } from "@statex/shared/events";
import { TaskDraft, TaskPickUp, TaskReport } from "@statex/shared/tasks";
import { z } from "zod";
import type { ReportOutcome } from "./job";
import type { JobState } from "./job-state";
import type { CancelledBy, ControlOutcome } from "./machine";
import { type PlaceInLine, SLOTS_NAME } from "./slots";

const RequestId = z.string().min(1).max(128);
/** As many as one D1 statement can name (it binds at most 100 parameters). */
const RequestIds = z.array(RequestId).max(100);
const LivePath = /^\/live\/([^/]{1,128})$/;

export class OrchestratorApi extends WorkerEntrypoint<OrchestratorEnv> {
  /**
   * The live progress of a request (`/live/:requestId`, a WebSocket upgrade or
   * an event stream). The one call that is HTTP and not RPC: an upgrade must
   * reach the Durable Object's fetch as a request, so it is forwarded as is.
   */
  override async fetch(request: Request): Promise<Response> {
    const m = LivePath.exec(new URL(request.url).pathname);
    const requestId = m?.[1];
    if (!requestId) return new Response(null, { status: 404 });
    return this.env.REQUEST_JOB.getByName(decodeURIComponent(requestId)).fetch(request);
  }

  /** Cancels a request's job for its client or ops; refused (409) once the job finished. */
  async cancelRequest(input: { requestId: string; by: CancelledBy }): Promise<ControlOutcome> {
    const requestId = RequestId.parse(input.requestId);
    return this.env.REQUEST_JOB.getByName(requestId).cancel(requestId, input.by === "ops" ? "ops" : "client");
  }

  /** Where the request's job waits in line for a slot (JOB_SLOTS), or null when it is not waiting. */
  async placeInLine(input: { requestId: string }): Promise<PlaceInLine | null> {
    return this.env.SLOTS.getByName(SLOTS_NAME).place(RequestId.parse(input.requestId));
  }

  /**
   * Of these requests, those whose job never began: the RequestJob holds no job and JobSlots has no place for it
   * (neither in line nor holding a slot). For intake's reconciliation sweep, which starts them with {@link startJob}.
   */
  async jobsNotStarted(input: { requestIds: string[] }): Promise<string[]> {
    const slots = this.env.SLOTS.getByName(SLOTS_NAME);
    const missing: string[] = [];
    for (const requestId of RequestIds.parse(input.requestIds)) {
      if (await this.env.REQUEST_JOB.getByName(requestId).getState()) continue;
      if (await slots.place(requestId)) continue;
      missing.push(requestId);
    }
    return missing;
  }

  /**
   * Starts a request's job as its request.created would have (the sweep's way when that event never arrived):
   * RequestJob.start is idempotent, so a late delivery of the event meanwhile starts nothing twice. Null: the job
   * waits in line for a slot (or the request was erased).
   */
  async startJob(request: EventData<"request.created">): Promise<JobState | null> {
    const data = eventData["request.created"].parse(request);
    return this.env.REQUEST_JOB.getByName(data.requestId).start(data);
  }

  /** The ai worker took an attempt off the queue; `accepted: false` tells it to skip a stale one. */
  async taskPickedUp(input: unknown): Promise<ReportOutcome> {
    const parsed = TaskPickUp.safeParse(input);
    if (!parsed.success) return { accepted: false, reason: "invalid pick-up" };
    return this.env.REQUEST_JOB.getByName(parsed.data.requestId).pickUp(parsed.data);
  }

  /** The draft so far of a running prototype task, for the request's live watchers; a draft that does not parse is dropped. */
  async taskDraft(input: unknown): Promise<void> {
    const parsed = TaskDraft.safeParse(input);
    if (!parsed.success) return;
    await this.env.REQUEST_JOB.getByName(parsed.data.requestId).draft(parsed.data);
  }

  /**
   * Validates a task report and hands it to its request's job. An invalid
   * report is refused with a reason rather than thrown: it will never become
   * valid, so the caller should not retry it. A throw means "try again".
   */
  async reportTaskResult(report: unknown): Promise<ReportOutcome> {
    const parsed = TaskReport.safeParse(report);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
      return { accepted: false, reason: `invalid report: ${reason}` };
    }
    return this.env.REQUEST_JOB.getByName(parsed.data.requestId).report(parsed.data);
  }
}
