/**
 * Pacing within each provider's limits, so a burst of messages never earns a storm of 429s: Telegram takes about 30
 * messages a second from a bot and 1 a second into one chat; WhatsApp 80 a second from a business number and one
 * every 6 seconds to one recipient (its "pair rate"). One Pacer object per provider (and sending number) keeps a
 * GCRA bucket per limit and answers how long a send must wait for its slot. A short wait is slept in place; a longer
 * one reserves nothing and the message is retried after it (through the queue), so no consumer sleeps for long.
 */
import { Deferred } from "@statex/shared/consumer";
import { DurableObject } from "cloudflare:workers";

/** One limit: at most `perSecond` sends a second on `key`, `burst` of them back to back. */
export type Rate = { key: string; perSecond: number; burst: number };

/** What a reservation answers: the wait before the slot, and whether the slot is held for the caller. */
export type Reservation = { waitMs: number; reserved: boolean };

/** The longest a send waits in place for its slot; beyond that the message goes back to the queue. */
export const MAX_INLINE_WAIT_MS = 1_000;

/** Keys are forgotten once this many are held and theirs are past (chats and recipients come and go). */
const PRUNE_AT = 10_000;

/**
 * The buckets live in the object's memory, not its storage: losing them (the object evicted when idle) allows one
 * burst, which the providers' own limits absorb, whereas a storage write per message would cost more than the send.
 */
export class Pacer extends DurableObject<NotifyEnv> {
  /** Per key, the GCRA "theoretical arrival time": when the bucket is empty again (epoch ms). */
  private readonly tat = new Map<string, number>();

  /**
   * Holds the next slot that every rate allows, if it comes within `maxWaitMs`, and answers the wait until it; a
   * slot further off is not held (the caller asks again then), so waiting callers never pile up reservations.
   */
  reserve(rates: Rate[], maxWaitMs: number): Reservation {
    const now = Date.now();
    let waitMs = 0;
    for (const rate of rates) {
      const interval = 1_000 / rate.perSecond;
      const tolerance = interval * (Math.max(1, rate.burst) - 1);
      const tat = Math.max(this.tat.get(rate.key) ?? now, now);
      waitMs = Math.max(waitMs, tat - tolerance - now);
    }
    waitMs = Math.ceil(waitMs);
    if (waitMs > maxWaitMs) return { waitMs, reserved: false };
    const at = now + waitMs;
    for (const rate of rates) this.tat.set(rate.key, Math.max(this.tat.get(rate.key) ?? at, at) + 1_000 / rate.perSecond);
    if (this.tat.size > PRUNE_AT) for (const [key, tat] of this.tat) if (tat < now) this.tat.delete(key);
    return { waitMs, reserved: true };
  }
}

/**
 * Waits for a slot on `rates` of the Pacer named `name`, or throws {@link Deferred} with the wait when the slot is
 * further off than {@link MAX_INLINE_WAIT_MS}.
 */
export async function pace(pacers: DurableObjectNamespace<Pacer>, name: string, rates: Rate[]): Promise<void> {
  const { waitMs, reserved } = await pacers.getByName(name).reserve(rates, MAX_INLINE_WAIT_MS);
  if (!reserved) throw new Deferred(`${name} is at its rate limit; the next slot is in ${waitMs} ms`, waitMs / 1_000);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}
