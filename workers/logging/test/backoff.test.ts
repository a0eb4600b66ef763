import { backoffMs } from "@statex/shared/backoff";
import { backoffSeconds } from "@statex/shared/consumer";
import { describe, expect, it } from "vitest";

const low = () => 0;
const high = () => 1;

describe("the shared backoff", () => {
  it("waits between half of and all of a ceiling that doubles from the base up to the cap", () => {
    const options = { baseMs: 1_000, capMs: 6_000 };
    expect([1, 2, 3, 4].map((a) => backoffMs(a, { ...options, random: low }))).toEqual([500, 1_000, 2_000, 3_000]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, { ...options, random: high }))).toEqual([1_000, 2_000, 4_000, 6_000]);
    expect(backoffMs(1_000, { ...options, random: high })).toBe(6_000);
  });

  it("spreads retries that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(3, { baseMs: 1_000, capMs: 60_000 })));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d >= 2_000 && d <= 4_000).toBe(true);
  });

  it("gives a queue consumer whole seconds, 1–2 s after the first delivery and at most 5 minutes", () => {
    expect(backoffSeconds(1, low)).toBe(1);
    expect(backoffSeconds(1, high)).toBe(2);
    expect(backoffSeconds(3, high)).toBe(8);
    expect(backoffSeconds(50, low)).toBe(150);
    expect(backoffSeconds(50, high)).toBe(300);
  });
});
