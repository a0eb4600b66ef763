/**
 * What to do after an attempt failed: when to try again, or whether to stop.
 */
import { backoffMs as jitteredBackoffMs } from "@statex/shared/backoff";

/** Why an attempt failed: the ai worker's error classes, plus our own timeout and bad-output checks. */
export type FailureClass = "retryable" | "rate-limited" | "invalid-input" | "timeout";

export type Decision = { retryAt: number } | { giveUp: string };

/** The first retry waits about this long; each next one twice as long. */
export const BASE_RETRY_MS = 2_000;
/** No retry waits longer than this (a rate limit's own retry-after may). */
export const MAX_RETRY_MS = 5 * 60_000;

/** The wait before retry number `attempt` (1 for the first): the platform's backoff (with jitter) at the job's scale. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return jitteredBackoffMs(attempt, { baseMs: BASE_RETRY_MS, capMs: MAX_RETRY_MS, random });
}

/**
 * Decides the fate of a failed attempt. Bad input never gets better, so it
 * stops at once; everything else is retried until `maxAttempts` were made.
 */
export function decide(
  failure: { errorClass: FailureClass; error: string; retryAfterMs?: number | undefined },
  attempt: number,
  maxAttempts: number,
  now: number,
): Decision {
  if (failure.errorClass === "invalid-input") return { giveUp: failure.error };
  if (attempt >= maxAttempts) return { giveUp: `${failure.error} (gave up after ${attempt} attempts)` };
  const wait =
    failure.errorClass === "rate-limited" && failure.retryAfterMs !== undefined
      ? Math.max(failure.retryAfterMs, BASE_RETRY_MS / 2)
      : backoffMs(attempt);
  return { retryAt: now + wait };
}

/** A positive integer var, or the fallback when it is missing or malformed. */
export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
