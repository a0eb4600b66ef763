/**
 * Writing down what a provider or an endpoint already took. A send cannot be taken back, so a refused write of its
 * record is tried again here, a moment apart, rather than through the queue, whose redelivery would find the message
 * still unsent and send it again (the chaos run found a WhatsApp message and could find a webhook sent twice that way).
 */
import { backoffMs } from "@statex/shared/backoff";
import { type Logger, errorField } from "@statex/shared/logger";

/** How many times the record of a send is written before the message goes back to the queue. */
export const RECORD_TRIES = 4;

/** Runs `write` until it succeeds, at most `tries` times; the last failure is thrown. */
export async function recordSend<T>(write: () => Promise<T>, log: Logger, tries = RECORD_TRIES): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await write();
    } catch (err) {
      if (n >= tries) throw err;
      log.warn("recording a send failed, trying again", { attempt: n, error: errorField(err) });
      await new Promise((resolve) => setTimeout(resolve, backoffMs(n, { baseMs: 100, capMs: 2_000 })));
    }
  }
}
