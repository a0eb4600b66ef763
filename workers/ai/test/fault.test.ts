import { describe, expect, it } from "vitest";
import type { TaskMessage } from "@statex/shared/tasks";
import { attemptFaultInjected, faultInjected } from "../src/fault";

const task = (text: string, kind: "nlp" | "prototype" = "nlp"): TaskMessage => ({ taskId: kind, requestId: "req_f", kind, attempt: 1, input: { text } });
const fileTask = (kind: "asr" | "docai", fileName: string): TaskMessage => ({
  taskId: `${kind}-file_1`,
  requestId: "req_f",
  kind,
  attempt: 1,
  input: { fileKey: "requests/req_f/files/file_1.wav", mime: "audio/wav", fileName },
});
const dev = { ENVIRONMENT: "development", AI_FAULTS: "on" } as const;

describe("the fault switch", () => {
  it("fails only the marked kind, only in development with AI_FAULTS on", () => {
    expect(faultInjected(task("book [[statex-fault:nlp]] now"), dev)).toBe(true);
    expect(faultInjected(task("book [[statex-fault:nlp]] now", "prototype"), dev)).toBe(false);
    expect(faultInjected(task("no marker"), dev)).toBe(false);
    expect(faultInjected(task("[[statex-fault:nlp]]"), { ENVIRONMENT: "production", AI_FAULTS: "on" })).toBe(false);
    expect(faultInjected(task("[[statex-fault:nlp]]"), { ENVIRONMENT: "development", AI_FAULTS: "off" })).toBe(false);
  });

  it("fails a file task whose file's name holds its kind's marker, behind the same two locks", () => {
    expect(faultInjected(fileTask("asr", "interview [[statex-fault:asr]].wav"), dev)).toBe(true);
    expect(faultInjected(fileTask("docai", "brief [[statex-fault:docai]].pdf"), dev)).toBe(true);
    // Another kind's marker, an unmarked name, or no name at all: the task runs.
    expect(faultInjected(fileTask("asr", "interview [[statex-fault:docai]].wav"), dev)).toBe(false);
    expect(faultInjected(fileTask("asr", "interview.wav"), dev)).toBe(false);
    expect(faultInjected({ ...fileTask("asr", ""), input: { fileKey: "requests/req_f/files/file_1.wav" } }, dev)).toBe(false);
    expect(faultInjected(fileTask("asr", "[[statex-fault:asr]].wav"), { ENVIRONMENT: "staging", AI_FAULTS: "on" })).toBe(false);
    expect(faultInjected(fileTask("asr", "[[statex-fault:asr]].wav"), { ENVIRONMENT: "development", AI_FAULTS: "off" })).toBe(false);
  });
});

describe("the attempt fault rate", () => {
  const rated = { ...dev, AI_FAULT_RATE: "0.2" };
  it("fails that share of attempts, only in development with AI_FAULTS on", () => {
    expect(attemptFaultInjected(rated, () => 0.1)).toBe(true);
    expect(attemptFaultInjected(rated, () => 0.3)).toBe(false);
    expect(attemptFaultInjected({ ...rated, AI_FAULT_RATE: "0" }, () => 0)).toBe(false);
    expect(attemptFaultInjected({ ...rated, AI_FAULT_RATE: "not a number" }, () => 0)).toBe(false);
    expect(attemptFaultInjected({ ...rated, ENVIRONMENT: "production" }, () => 0)).toBe(false);
    expect(attemptFaultInjected({ ...rated, AI_FAULTS: "off" }, () => 0)).toBe(false);
  });
});
