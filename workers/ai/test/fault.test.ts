import { describe, expect, it } from "vitest";
import { faultInjected } from "../src/fault";

const task = (text: string, kind: "nlp" | "prototype" = "nlp") => ({ taskId: kind, requestId: "req_f", kind, attempt: 1, input: { text } });

describe("the fault switch", () => {
  it("fails only the marked kind, only in development with AI_FAULTS on", () => {
    const dev = { ENVIRONMENT: "development", AI_FAULTS: "on" } as const;
    expect(faultInjected(task("book [[statex-fault:nlp]] now"), dev)).toBe(true);
    expect(faultInjected(task("book [[statex-fault:nlp]] now", "prototype"), dev)).toBe(false);
    expect(faultInjected(task("no marker"), dev)).toBe(false);
    expect(faultInjected(task("[[statex-fault:nlp]]"), { ENVIRONMENT: "production", AI_FAULTS: "on" })).toBe(false);
    expect(faultInjected(task("[[statex-fault:nlp]]"), { ENVIRONMENT: "development", AI_FAULTS: "off" })).toBe(false);
  });
});
