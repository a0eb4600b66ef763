/**
 * The job's syncs (job-sync.ts), one at a time, so an older D1 mirror can never land after a newer one. A sync
 * reads the state when it starts, so one that has not started yet carries every change made before it does: a
 * change made while a sync runs joins the one waiting behind it, and under load many changes share one round of
 * sends and one D1 write.
 */

/** One sync: `sent` settles once its messages went out, `done` once all of it ended (rejected if it threw). */
export type SyncRound = { sent: Promise<void>; done: Promise<void> };

export class SyncQueue<A> {
  private running: Promise<void> = Promise.resolve();
  private waiting: SyncRound | undefined;

  /** `sync` calls `sent` once its messages went out; a sync that never calls it counts as sent when it ends. */
  constructor(private readonly sync: (arg: A, sent: () => void) => Promise<void>) {}

  /** The sync that will carry a change made now: the one waiting to start, or a new one after the running one. */
  next(arg: A): SyncRound {
    if (this.waiting) return this.waiting;
    let sentNow = () => {};
    const sent = new Promise<void>((resolve) => (sentNow = resolve));
    const run = async () => {
      this.waiting = undefined;
      try {
        await this.sync(arg, sentNow);
      } finally {
        sentNow();
      }
    };
    // After the previous sync however it ended: one that threw must not stop every later one.
    const done = this.running.then(run, run);
    this.waiting = { sent, done };
    this.running = done;
    return this.waiting;
  }
}
