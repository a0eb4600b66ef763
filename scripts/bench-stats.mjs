// The benchmark's arithmetic, for the parts to share rather than copy: medians of turns, nearest-rank percentiles, a
// seeded generator for seeds that are the same every run, and client addresses that never repeat.

/** The middle value (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Nearest rank over sorted values: with 30 samples p99 is the slowest, with 100 the second slowest. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Times (ms) as their count, p50, p99, min and max. */
export function summary(times) {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), min: s[0], max: s.at(-1) };
}

/** A small deterministic generator (mulberry32), so every run seeds the same data. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A new client address per call, `10.<second>.x.y` with `second` from `first` up to `first + span - 1`: each part
 * of the benchmark takes its own range, so the gateway's per-address limits never answer instead of the route.
 */
export function clientAddresses(first, span) {
  let ip = 0;
  return () => {
    ip++;
    return `10.${first + (Math.floor(ip / 65_536) % span)}.${(ip >> 8) & 255}.${ip & 255}`;
  };
}
