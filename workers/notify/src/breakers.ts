/**
 * The channels' circuit breakers (shared/src/breaker.ts): one per provider notify sends through — email, Telegram,
 * WhatsApp; LinkedIn is a task for ops and has none. While a provider keeps failing, a send is skipped without
 * calling it and fails as an unreachable provider does: the message is retried through the queue no sooner than the
 * next probe, and once its retries are spent the ladder moves to the next channel, as for any other failure.
 */
import { Deferred } from "@statex/shared/consumer";
import { type Outcome, breakerSettings, breakerViews, throughBreaker } from "@statex/shared/breaker";
import type { Logger } from "@statex/shared/logger";
import { type Accepted, type Channel, type ChannelName, ChannelError, type Outgoing, SEND_TIMEOUT_MS } from "./channels";
import { availableChannels } from "./channels-available";
import type { DeliveryEnv } from "./env";

/** The channels whose provider can fail as a whole. */
const GUARDED: ReadonlySet<ChannelName> = new Set(["email", "telegram", "whatsapp"]);

/** Sends through the channel's breaker; throws the channel's own error, or a ChannelError (503) when skipped. */
export async function sendGuarded(channel: Channel, out: Outgoing, env: DeliveryEnv, log: Logger): Promise<Accepted> {
  if (!GUARDED.has(channel.name)) return channel.send(out);
  // A probe holds the breaker for as long as a send may take: the pacer's wait and the provider's timeout, twice
  // for WhatsApp's template after a refused free text.
  const settings = breakerSettings(env, 2 * SEND_TIMEOUT_MS + 5_000);
  const ran = await throughBreaker(env, channel.name, settings, log, () => channel.send(out), { error: judged });
  if ("skipped" in ran) {
    const retryAfterSeconds = Math.max(1, Math.ceil(ran.skipped.retryAfterMs / 1_000));
    throw new ChannelError(channel.name, 503, `${channel.name} skipped: its circuit breaker is ${ran.skipped.state} (next call in ${retryAfterSeconds} s)`, { retryAfterSeconds });
  }
  return ran.value;
}

/**
 * What a send's failure says about its provider: a wait for the pacer tried nothing, and a refusal for good (a
 * blocked bot, a bad address) is the provider answering, so only faults, timeouts and rate limits count against it.
 */
function judged(err: unknown): Outcome {
  if (err instanceof Deferred) return { kind: "neutral" };
  if (err instanceof ChannelError && err.permanent) return { kind: "success" };
  const retryAfterMs = err instanceof ChannelError && err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1_000 : undefined;
  return { kind: "failure", error: err instanceof Error ? err.message : String(err), retryAfterMs };
}

/** The breakers of the channels this configuration offers, for ops. */
export function channelBreakers(env: DeliveryEnv) {
  const names = Object.keys(availableChannels(env)).filter((name): name is ChannelName => GUARDED.has(name as ChannelName));
  return breakerViews(env, names);
}
