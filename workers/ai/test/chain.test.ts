import { Logger } from "@statex/shared/logger";
import type { TaskMessage } from "@statex/shared/tasks";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildChain, runChain } from "../src/providers/chain";
import { offlineProvider } from "../src/providers/offline";
import { openaiProvider } from "../src/providers/openai";
import { type Provider, ProviderError } from "../src/providers/types";

const log = new Logger({}, "ai");
const task: TaskMessage = { taskId: "nlp", requestId: "req_chain", kind: "nlp", attempt: 2, input: { text: "We need a booking website." } };

/** A provider that always fails the same way: a stand-in for a remote model that is down or busy. */
function failing(name: string, error: ProviderError): Provider {
  return { name, model: "m", version: "1", supports: () => true, run: () => Promise.reject(error) };
}

describe("provider chain", () => {
  it("is built from AI_PROVIDERS in order, naming the providers it does not know", () => {
    expect(buildChain(env.AI_PROVIDERS).chain).toEqual([openaiProvider, offlineProvider]);
    expect(buildChain(" nope , offline,").unknown).toEqual(["nope"]);
    expect(buildChain("nope, offline").chain.map((p) => p.name)).toEqual(["offline"]);
  });

  it("falls through a failing provider to the next and records who answered", async () => {
    const chain = [failing("remote", new ProviderError("upstream 503", "retryable")), offlineProvider];
    const report = await runChain(chain, task, env, log);
    expect(report).toMatchObject({ ok: true, requestId: "req_chain", taskId: "nlp", attempt: 2 });
    if (!report.ok) throw new Error("expected success");
    expect(report.provenance).toMatchObject({ provider: "offline", model: offlineProvider.model, version: "1.0.0" });
    expect(report.provenance.durationMs).toBeGreaterThanOrEqual(0);
    expect(report.output).toMatchObject({ language: { code: "en" } });
  });

  it("reports the last failure when every provider fails, keeping a rate limit's wait", async () => {
    const chain = [failing("a", new ProviderError("boom", "retryable")), failing("b", new ProviderError("slow down", "rate-limited", 1_500))];
    expect(await runChain(chain, task, env, log)).toEqual({
      ok: false, requestId: "req_chain", taskId: "nlp", attempt: 2, error: "slow down", errorClass: "rate-limited", retryAfterMs: 1_500,
    });
  });

  it("stops at invalid input: no other provider would do better", async () => {
    const chain = [failing("a", new ProviderError("unreadable", "invalid-input")), offlineProvider];
    expect(await runChain(chain, task, env, log)).toMatchObject({ ok: false, errorClass: "invalid-input", error: "unreadable" });
  });

  it("fails a kind no provider supports as invalid input", async () => {
    const report = await runChain([offlineProvider], { ...task, kind: "asr", input: { fileKey: "uploads/a.webm" } }, env, log);
    expect(report).toMatchObject({ ok: false, errorClass: "invalid-input", error: "no configured provider runs asr tasks" });
  });

  it("treats an unexpected error as retryable", async () => {
    const broken: Provider = { ...offlineProvider, run: () => Promise.reject(new TypeError("bug")) };
    expect(await runChain([broken], task, env, log)).toMatchObject({ ok: false, errorClass: "retryable", error: "bug" });
  });
});
