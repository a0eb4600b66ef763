import { describe, expect, it } from "vitest";
import { SyncQueue } from "../src/sync-queue";

/** A promise and the function that settles it. */
function signal() {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}

describe("SyncQueue", () => {
  it("gives the calls before a sync begins that sync, and the calls while it runs one shared sync after it", async () => {
    const runs: string[] = [];
    const firstStarted = signal();
    const firstMayEnd = signal();
    const queue = new SyncQueue<string>(async (caller) => {
      runs.push(caller);
      if (runs.length === 1) {
        firstStarted.fire();
        await firstMayEnd.fired;
      }
    });
    const running = queue.next("a");
    expect(queue.next("b")).toBe(running);
    await firstStarted.fired;
    // It may have read the state before the change that asks now: the change goes with the next sync.
    const second = queue.next("c");
    expect(second).not.toBe(running);
    expect(queue.next("d")).toBe(second);
    firstMayEnd.fire();
    await Promise.all([running.done, second.done]);
    expect(runs).toEqual(["a", "c"]);
  });

  it("says sent when the sync says so, before the rest of it ends", async () => {
    const rest = signal();
    let ended = false;
    const queue = new SyncQueue<void>(async (_arg, sent) => {
      sent();
      await rest.fired;
      ended = true;
    });
    const round = queue.next();
    await round.sent;
    expect(ended).toBe(false);
    rest.fire();
    await round.done;
    expect(ended).toBe(true);
  });

  it("goes on after a sync that threw, which counts as sent", async () => {
    let runs = 0;
    const queue = new SyncQueue<void>(async () => {
      runs++;
      if (runs === 1) throw new Error("mirror down");
    });
    const first = queue.next();
    await expect(first.done).rejects.toThrow("mirror down");
    await expect(first.sent).resolves.toBeUndefined();
    await queue.next().done;
    expect(runs).toBe(2);
  });
});
