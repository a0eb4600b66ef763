/**
 * OrchestratorApi: the RPC entrypoint the ai worker reports results to
 * (service binding ORCHESTRATOR, entrypoint "OrchestratorApi").
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { TaskReport } from "@statex/shared/tasks";
import type { ReportOutcome } from "./job";

export class OrchestratorApi extends WorkerEntrypoint<OrchestratorEnv> {
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
