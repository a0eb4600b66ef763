import { describe, expect, it } from "vitest";
import { enabledKinds, inputAnalysis, inputText, planJob } from "../src/plan";
import { backoffMs, decide } from "../src/policy";
import { newRequest } from "./helpers";

const file = (id: string, kind: "audio" | "document") => ({
  id,
  key: `uploads/${id}`,
  name: `${id}.bin`,
  kind,
  mime: kind === "audio" ? "audio/webm" : "application/pdf",
  size: 10,
  sha256: "0".repeat(64),
});

describe("planJob", () => {
  it("plans nlp then the prototype by default, and what an environment enables otherwise", () => {
    const request = { ...newRequest("hello"), files: [file("f1", "audio")] };
    expect(planJob(request, enabledKinds(undefined))).toEqual([
      { id: "nlp", kind: "nlp", deps: [], input: { text: "hello" } },
      { id: "prototype", kind: "prototype", deps: ["nlp"], input: { text: "hello" } },
    ]);
    expect(planJob(request, enabledKinds(" nlp, poetry ")).map((t) => t.id)).toEqual(["nlp"]);
  });

  it("passes the nlp output whole to the task that drafts from it", () => {
    const output = JSON.stringify({ summary: "s", category: { label: "website", confidence: 0.9 } });
    expect(inputAnalysis([{ kind: "nlp", output }])).toEqual({ summary: "s", category: { label: "website", confidence: 0.9 } });
    expect(inputAnalysis([{ kind: "asr", output: "{}" }, undefined])).toBeUndefined();
  });

  it("builds the full graph: extraction per file in parallel, nlp after them, prototype after nlp", () => {
    const request = { ...newRequest("hello"), files: [file("f1", "audio"), file("f2", "document")] };
    const plan = planJob(request, new Set(["asr", "docai", "nlp", "prototype"]));
    expect(plan.map((t) => [t.id, t.deps])).toEqual([
      ["asr-f1", []],
      ["docai-f2", []],
      ["nlp", ["asr-f1", "docai-f2"]],
      ["prototype", ["nlp"]],
    ]);
    expect(plan[0]?.input).toEqual({ fileKey: "uploads/f1", mime: "audio/webm", fileName: "f1.bin", fileSize: 10 });
  });

  it("feeds a task its own text then its dependencies' text", () => {
    const deps = [
      { kind: "asr" as const, fileName: "note.webm", output: { text: "spoken" } },
      { kind: "docai" as const, fileName: "scan.png", output: { pages: 2 } },
      { kind: "docai" as const, fileName: "brief.pdf", output: { text: "written" } },
    ];
    expect(inputText("typed", deps)).toEqual({
      text: "typed\n\nspoken\n\nwritten",
      sources: [
        { kind: "request", name: "request", chars: 5 },
        { kind: "transcript", name: "note.webm", chars: 6 },
        { kind: "document", name: "brief.pdf", chars: 7 },
      ],
    });
    expect(inputText(undefined, [])).toEqual({ sources: [] });
  });
});

describe("retry policy", () => {
  it("doubles the backoff per attempt, with jitter inside [half, full]", () => {
    expect([1, 2, 3].map((a) => backoffMs(a, () => 0))).toEqual([1_000, 2_000, 4_000]);
    expect([1, 2, 3].map((a) => backoffMs(a, () => 1))).toEqual([2_000, 4_000, 8_000]);
    expect(backoffMs(30, () => 1)).toBe(300_000);
  });

  it("gives up on invalid input at once and on anything after the last attempt", () => {
    expect(decide({ errorClass: "invalid-input", error: "bad" }, 1, 3, 0)).toEqual({ giveUp: "bad" });
    expect(decide({ errorClass: "timeout", error: "slow" }, 3, 3, 0)).toEqual({ giveUp: "slow (gave up after 3 attempts)" });
    expect(decide({ errorClass: "rate-limited", error: "busy", retryAfterMs: 7_000 }, 1, 3, 100)).toEqual({ retryAt: 7_100 });
  });
});
