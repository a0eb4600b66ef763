/**
 * OrchestratorApi: the RPC entrypoint the ai worker reports results to
 * (service binding ORCHESTRATOR, entrypoint "OrchestratorApi").
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { TaskPickUp, TaskReport } from "@statex/shared/tasks";
import type { ReportOutcome } from "./job";

export class OrchestratorApi extends WorkerEntrypoint<OrchestratorEnv> {
  /**
   * Validates a task report and hands it to its request's job. An invalid
   * report is refused with a reason rather than thrown: it will never become
   * valid, so the caller should not retry it. A throw means "try again".
   */
  /** The ai worker took an attempt off the queue; `accepted: false` tells it to skip a stale one. */
  async taskPickedUp(input: unknown): Promise<ReportOutcome> {
    const parsed = TaskPickUp.safeParse(input);
    if (!parsed.success) return { accepted: false, reason: "invalid pick-up" };
    return this.env.REQUEST_JOB.getByName(parsed.data.requestId).pickUp(parsed.data);
  }

  async reportTaskResult(report: unknown): Promise<ReportOutcome> {
    const parsed = TaskReport.safeParse(report);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
      return { accepted: false, reason: `invalid report: ${reason}` };
    }
    return this.env.REQUEST_JOB.getByName(parsed.data.requestId).report(parsed.data);
  }
}
