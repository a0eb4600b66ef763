import { describe, expect, it } from "vitest";
import { batchesOf } from "../src/messages-out";

describe("batchesOf", () => {
  it("splits what it sends into batches a queue accepts: at most 100 messages and 240 KB each", () => {
    const row = (seq: number, bytes: number) => ({ seq, id: `m${seq}`, target: "event" as const, body: "x".repeat(bytes), attempts: 0 });
    expect(batchesOf(Array.from({ length: 250 }, (_, i) => row(i, 10))).map((b) => b.length)).toEqual([100, 100, 50]);
    const big = batchesOf([row(1, 150_000), row(2, 150_000), row(3, 10)]);
    expect(big.map((b) => b.map((r) => r.seq))).toEqual([[1], [2, 3]]);
    expect(batchesOf([])).toEqual([]);
  });
});
