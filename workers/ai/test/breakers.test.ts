/**
 * The `openai` provider's circuit breaker against the local model server failing for real (its `/fault/fail` path
 * answers 500 as OpenAI does in an outage): repeated failures open it, then tasks skip the provider without calling
 * it and the chain's next provider answers; after the cool-down one probe goes while the others are still skipped; a
 * failed probe opens it again for longer, a good one closes it. Calls are counted by what the stand-in received. The
 * project runs with a two-second cool-down (vitest.config.ts).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { BreakersView } from "@statex/shared/api/breakers";
import { Logger } from "@statex/shared/logger";
import type { TaskMessage, TaskReport } from "@statex/shared/tasks";
import { describe, expect, inject, it } from "vitest";
import worker from "../src/index";
import { runChain } from "../src/providers/chain";
import { offlineProvider } from "../src/providers/offline";
import { createOpenAiProvider } from "../src/providers/openai";
import { settingsFromEnv } from "../src/providers/openai/client";

const server = `http://127.0.0.1:${inject("localServicesPort")}`;
const auth = { authorization: `Bearer ${env.AI_API_KEY}` };
/** Both are the `openai` provider, so they share its breaker: one reaches the stand-in's outage, one its model. */
const provider = (prefix: string) => createOpenAiProvider((e) => ({ ...settingsFromEnv(e), baseUrl: `${server}${prefix}/v1` }));
const failing = provider("/fault/fail");
// Slow enough that the other tasks ask the breaker while the probe is still on its way.
const slowButWorking = provider("/fault/slow-400");
const working = provider("");

const marker = `breaker-${crypto.randomUUID()}`;
const task = (): TaskMessage => ({ taskId: "nlp", requestId: `req_${crypto.randomUUID()}`, kind: "nlp", attempt: 1, input: { text: `We need a booking website for our clinic (${marker}).` } });

/** The chat requests of this test that reached the stand-in (other test files share it). */
async function received(): Promise<number> {
  const res = await fetch(`${server}/v1/standin/chat-requests`, { headers: auth });
  const { data } = await res.json<{ data: { body: unknown }[] }>();
  return data.filter((r) => JSON.stringify(r.body).includes(marker)).length;
}

async function breakers() {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("http://ai/breakers", { headers: { "x-statex-user-id": "usr_OPS", "x-statex-user-role": "ops" } }), env, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  const view = BreakersView.parse(await res.json());
  const openai = view.breakers.find((b) => b.name === "openai");
  if (!openai) throw new Error("no breaker for openai");
  return openai;
}

const untilProbe = async (nextProbeAt: string | null) => {
  const wait = Date.parse(nextProbeAt ?? "") - Date.now();
  expect(wait).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, wait + 50));
};

const noteOf = (report: TaskReport) => (report.ok ? (report.provenance.note ?? "") : report.error);

describe("the AI provider chain's circuit breaker", () => {
  it("opens after five failures, skips the provider while open, probes once after the cool-down and closes on success", { timeout: 120_000 }, async () => {
    const log = new Logger({}, "ai");
    expect(await breakers()).toMatchObject({ state: "closed", failures: 0 });

    for (let i = 0; i < 5; i++) {
      const report = await runChain([failing, offlineProvider], task(), env, log);
      // The chain falls through to the offline methods: the task is answered all the same.
      expect(report).toMatchObject({ ok: true, provenance: { provider: "offline" } });
      expect(noteOf(report)).toMatch(/openai: .*HTTP 500/);
    }
    expect(await received()).toBe(5);
    const opened = await breakers();
    expect(opened).toMatchObject({ state: "open", failures: 5, openings: 1, lastFailure: expect.stringMatching(/HTTP 500/) });
    expect(log.drain().map((l) => l.msg)).toContain("circuit breaker opened");

    // Open: the provider is not called, the next one answers.
    for (let i = 0; i < 3; i++) {
      const report = await runChain([failing, offlineProvider], task(), env, log);
      expect(report).toMatchObject({ ok: true, provenance: { provider: "offline" } });
      expect(noteOf(report)).toMatch(/openai: skipped: its circuit breaker is open/);
    }
    // Without a next provider the task fails as retryable, to be tried again no sooner than the probe.
    const alone = await runChain([failing], task(), env, log);
    expect(alone).toMatchObject({ ok: false, errorClass: "retryable" });
    expect(alone.ok ? 0 : alone.retryAfterMs).toBeGreaterThan(0);
    expect(await received()).toBe(5);

    // The cool-down passed: one probe, which fails and opens the breaker again for twice as long.
    await untilProbe(opened.nextProbeAt);
    await runChain([failing, offlineProvider], task(), env, log);
    expect(await received()).toBe(6);
    const reopened = await breakers();
    expect(reopened).toMatchObject({ state: "open", openings: 2 });
    expect(Date.parse(reopened.nextProbeAt ?? "") - Date.parse(reopened.openedAt ?? "")).toBe(4_000);

    // Then three tasks at once: exactly one probe reaches the provider, the other two are skipped meanwhile.
    await untilProbe(reopened.nextProbeAt);
    const reports = await Promise.all([0, 1, 2].map(() => runChain([slowButWorking, offlineProvider], task(), env, log)));
    expect(await received()).toBe(7);
    expect(reports.filter((r) => r.ok && r.provenance.provider === "openai")).toHaveLength(1);
    expect(reports.filter((r) => /skipped: its circuit breaker is half-open/.test(noteOf(r)))).toHaveLength(2);
    expect(await breakers()).toMatchObject({ state: "closed", failures: 0, openings: 0, nextProbeAt: null });
    expect(log.drain().map((l) => l.msg)).toEqual(expect.arrayContaining(["circuit breaker half-open: one probe goes", "circuit breaker opened", "circuit breaker closed"]));

    // Closed: every call goes again.
    const after = await runChain([working, offlineProvider], task(), env, log);
    expect(after).toMatchObject({ ok: true, provenance: { provider: "openai" } });
    expect(await received()).toBe(8);
  });

  it("is shown to ops only", async () => {
    for (const [headers, status] of [[{ "x-statex-user-id": "usr_C", "x-statex-user-role": "client" }, 403], [{}, 401]] as const) {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request("http://ai/breakers", { headers }), env, ctx);
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(status);
    }
  });
});
