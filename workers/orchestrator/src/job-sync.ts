/**
 * A sync of the job with the world outside its object: its unsent messages sent, the D1 mirror brought up to
 * date, an ended job's slot given back. What fails stays recorded in the object's storage, and the alarm syncs
 * again (`nextAt`).
 */
import { type Logger, errorField } from "@statex/shared/logger";
import type { JobStore } from "./job-store";
import { sendOutbox } from "./messages-out";
import { mirrorJob } from "./mirror";
import { backoffMs } from "./policy";
import type { SlotAdmission } from "./slot-admission";

export class JobSync {
  constructor(
    private readonly store: JobStore,
    private readonly env: OrchestratorEnv,
    private readonly slot: SlotAdmission,
  ) {}

  /** Syncs once; `sent` is called as soon as the messages went out. Never throws. */
  async run(log: Logger, sent: () => void): Promise<void> {
    await sendOutbox(this.store, this.env, log);
    sent();
    const job = this.store.job();
    if (job && job.version > job.mirrored_version) {
      try {
        await mirrorJob(this.env.DB, job, this.store.tasks());
        this.store.markMirrored(job.version);
      } catch (err) {
        log.warn("D1 mirror failed, the alarm will retry", { error: errorField(err) });
      }
    }
    await this.slot.giveBack(log);
  }

  /** When to sync again for what a sync left undone, backing off as the unsent messages' attempts grow; else undefined. */
  nextAt(now: number): number | undefined {
    const job = this.store.job();
    const unsent = this.store.unsent();
    const behind = unsent.length > 0 || (job !== undefined && job.version > job.mirrored_version) || this.slot.held();
    return behind ? now + backoffMs(Math.max(1, ...unsent.map((r) => r.attempts))) : undefined;
  }
}
