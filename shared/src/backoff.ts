/**
 * The one retry delay of the platform: exponential backoff with equal jitter. Half of each delay is fixed and half
 * random, so retries that failed together (many jobs, many browsers cut off at once) spread out instead of returning
 * together, and none comes back at once. No worker-only imports: the site's bundle uses it too.
 */

/** How delays grow. */
export type BackoffOptions = {
  /** The ceiling of the first retry's delay, in ms; each further retry doubles it. */
  baseMs: number;
  /** The largest ceiling, in ms. */
  capMs: number;
  /** A value in [0, 1); tests pass a fixed one. */
  random?: () => number;
};

/**
 * Milliseconds to wait before retry number `attempt` (1 for the first): a whole number between half of and all of
 * `min(capMs, baseMs * 2 ** (attempt - 1))`.
 */
export function backoffMs(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
