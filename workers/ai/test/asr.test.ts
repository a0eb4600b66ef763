import { Logger } from "@statex/shared/logger";
import { AsrResult } from "@statex/shared/tasks";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { availableFixtures } from "../../../shared/test/ai-fixtures/types";
import { buildChain, runChain } from "../src/providers/chain";
import { offlineProvider } from "../src/providers/offline";
import { createOpenAiProvider } from "../src/providers/openai";
import { settingsFromEnv } from "../src/providers/openai/client";
import { taskFor } from "./helpers";
import { wordErrors } from "./quality";

const log = new Logger({}, "ai");
const fixtures = availableFixtures(inject("aiFixtures"));

/** Runs one asr task through the configured chain (dev: openai → the local model server, then offline). */
async function transcribe(fixture: (typeof fixtures)["longSpeech"]) {
  const report = await runChain(buildChain(env.AI_PROVIDERS).chain, await taskFor("asr", fixture), env, log);
  if (!report.ok) throw new Error(`asr failed: ${report.error}`);
  return { output: AsrResult.parse(report.output), provenance: report.provenance };
}

describe("asr through the local model server (pocketsphinx)", () => {
  it("transcribes flite speech in every container with at most 20% word errors over all voices", { timeout: 400_000 }, async () => {
    // Two at a time: the server decodes one chunk per core, and a bigger burst would only queue there.
    const results: ({ clip: (typeof fixtures.speech)[number] } & Awaited<ReturnType<typeof transcribe>>)[] = [];
    const queue = [...fixtures.speech];
    const lane = async () => {
      for (let clip = queue.shift(); clip; clip = queue.shift()) results.push({ clip, ...(await transcribe(clip)) });
    };
    await Promise.all([lane(), lane()]);
    let errors = 0;
    let words = 0;
    const perVoice: Record<string, { errors: number; words: number }> = {};
    for (const { clip, output } of results) {
      const e = wordErrors(clip.expected, output.text);
      errors += e.errors;
      words += e.words;
      const v = (perVoice[clip.voice] ??= { errors: 0, words: 0 });
      v.errors += e.errors;
      v.words += e.words;
      expect(output.language).toBe("en");
      expect(output.durationSec).toBeGreaterThan(2);
      expect(output.segments.length).toBeGreaterThan(0);
    }
    const wer = errors / words;
    console.log(`ASR word error rate ${(wer * 100).toFixed(1)}% over ${results.length} clips;`,
      Object.entries(perVoice).map(([voice, v]) => `${voice} ${((v.errors / v.words) * 100).toFixed(1)}%`).join(", "));
    expect(wer).toBeLessThanOrEqual(0.2);
    expect(new Set(fixtures.speech.map((c) => c.name.split(".").at(-1)))).toEqual(new Set(["webm", "ogg", "mp3", "m4a", "wav"]));
  });

  it("records who answered, with the audio seconds used", { timeout: 60_000 }, async () => {
    const clip = fixtures.speech[0];
    if (!clip) throw new Error("no speech fixtures");
    const { output, provenance } = await transcribe(clip);
    expect(provenance).toMatchObject({ provider: "openai", model: "pocketsphinx-en-us", version: "v1" });
    expect(provenance.usage?.audioSeconds).toBeGreaterThanOrEqual(Math.floor(output.durationSec));
  });

  it("chunks a long recording and keeps its timeline in order", { timeout: 200_000 }, async () => {
    const { output } = await transcribe(fixtures.longSpeech);
    expect(output.durationSec).toBeGreaterThan(30);
    const starts = output.segments.map((s) => s.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(output.segments.at(-1)?.end).toBeGreaterThan(30);
    const { errors, words } = wordErrors(fixtures.longSpeech.expected, output.text);
    expect(errors / words).toBeLessThanOrEqual(0.25);
  });

  it("fails with the server's reason when the model server cannot transcribe, never silently", { timeout: 30_000 }, async () => {
    const clip = fixtures.speech[0];
    if (!clip) throw new Error("no speech fixtures");
    // The local services' fault switch answers 503 as a model server without pocketsphinx would.
    const down = createOpenAiProvider((e) => ({ ...settingsFromEnv(e), baseUrl: `http://127.0.0.1:${inject("localServicesPort")}/fail/503/v1` }));
    const report = await runChain([down, offlineProvider], await taskFor("asr", clip), env, log);
    expect(report).toMatchObject({ ok: false, errorClass: "retryable" });
    if (report.ok) throw new Error("expected a failure");
    expect(report.error).toMatch(/\/audio\/transcriptions: HTTP 503/);
  });
});
