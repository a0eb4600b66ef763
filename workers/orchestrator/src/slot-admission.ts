/**
 * The job's side of JobSlots (slots.ts): asking for a slot before the job starts, keeping its request while it
 * waits in line, and giving the slot back once the job ended.
 */
import type { EventData } from "@statex/shared/events";
import { type Logger, errorField } from "@statex/shared/logger";
import type { JobStore } from "./job-store";
import { SLOTS_NAME, slotsVar } from "./slots";

/** Storage key of the request while its job waits in line for a slot. */
const WAITING = "waiting-for-a-slot";

export class SlotAdmission {
  /** JOB_SLOTS; undefined when jobs are not limited, and then a job neither asks nor gives back. */
  private readonly slots: number | undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: OrchestratorEnv,
    private readonly store: JobStore,
  ) {
    this.slots = slotsVar(env.JOB_SLOTS);
  }

  /**
   * Asks JobSlots for a slot: true when the job may start now, false when it waits in line (it starts when
   * JobSlots admits it). The request is written down first: the slot may be granted (admit) before the answer
   * comes back, and a job in line must survive eviction.
   */
  async ask(request: EventData<"request.created">, log: Logger): Promise<boolean> {
    if (!this.slots) return true;
    await this.storage.put(WAITING, request);
    const answer = await this.jobSlots().acquire(request.requestId, this.slots);
    if (this.store.job()?.slot_released) {
      // Cancelled while asking: the cancel gave back a slot (or place) JobSlots had not recorded yet, so give back
      // what this answer recorded, or it would stay taken until its lease runs out.
      await this.jobSlots().release(request.requestId);
      return true;
    }
    if (!answer.admitted) log.info("job waits for a free slot", { ahead: answer.ahead });
    return answer.admitted;
  }

  /** The request whose job waits in line, if one does. */
  async waiting(): Promise<EventData<"request.created"> | undefined> {
    return this.storage.get<EventData<"request.created">>(WAITING);
  }

  /** The job began (or was recorded as cancelled while in line): it waits no more. */
  async begun(): Promise<void> {
    await this.storage.delete(WAITING);
  }

  /** An ended job that has not given its slot back yet (a job that never asked for one releases nothing, harmlessly). */
  held(): boolean {
    const job = this.store.job();
    return job !== undefined && job.status !== "processing" && !job.slot_released && this.slots !== undefined;
  }

  /** Gives an ended job's slot back. Never throws: what fails stays recorded for the alarm (see `held`). */
  async giveBack(log: Logger): Promise<void> {
    const job = this.store.job();
    if (!job || !this.held()) return;
    try {
      await this.jobSlots().release(job.request_id);
      this.store.markSlotReleased();
    } catch (err) {
      log.warn("giving the slot back failed, the alarm will retry", { error: errorField(err) });
    }
  }

  private jobSlots() {
    return this.env.SLOTS.getByName(SLOTS_NAME);
  }
}
