import { Logger } from "@statex/shared/logger";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { availableFixtures } from "../../../shared/test/ai-fixtures/types";
import { buildChain, runChain } from "../src/providers/chain";
import { offlineProvider } from "../src/providers/offline";
import { createWorkersAiProvider, type WorkersAi } from "../src/providers/workers-ai";
import { taskFor } from "./helpers";

// Workers AI has no local simulator (the binding would call the account), so these tests give the provider a
// stand-in binding that checks each call has the shape the real binding takes and answers in its documented shape.
const log = new Logger({}, "ai");
const fixtures = availableFixtures(inject("aiFixtures"));

function standIn(calls: string[]): WorkersAi {
  return {
    async run(model, input) {
      if (typeof input.audio !== "string" || !/^[A-Za-z0-9+/]+=*$/.test(input.audio)) throw new Error("audio must be base64");
      calls.push(`run ${model} ${input.audio.length}`);
      return { text: " Hello there.", transcription_info: { language: "en", duration: 2.5 }, segments: [{ start: 0, end: 2.5, text: " Hello there." }] };
    },
    async toMarkdown(files) {
      calls.push(`toMarkdown ${files.map((f) => `${f.name} ${f.blob.type} ${f.blob.size}`).join(",")}`);
      return files.map((f) => ({ id: "1", name: f.name, mimeType: f.blob.type, format: "markdown" as const, tokens: 12, data: "# Described image" }));
    },
  };
}

describe("workers-ai provider", () => {
  it("is skipped where the binding is absent (development), so the chain goes on", async () => {
    expect(env.AI).toBeUndefined();
    const task = await taskFor("docai", { name: "a.md", mime: "text/markdown", base64: btoa("# A"), expected: "" });
    const report = await runChain(buildChain(`workers-ai,${env.AI_PROVIDERS}`).chain, task, env, log);
    expect(report).toMatchObject({ ok: true, provenance: { provider: "openai" } });
    const alone = await runChain([createWorkersAiProvider()], await taskFor("asr", fixtures.speech[0] ?? fixtures.longSpeech), env, log);
    expect(alone).toMatchObject({ ok: false, errorClass: "invalid-input", error: "no Workers AI binding in this environment" });
  });

  it("transcribes with whisper from base64 audio and records the audio seconds", async () => {
    const calls: string[] = [];
    const provider = createWorkersAiProvider(() => standIn(calls));
    const report = await runChain([provider], await taskFor("asr", fixtures.speech[0] ?? fixtures.longSpeech), env, log);
    expect(report).toMatchObject({
      ok: true,
      output: { text: "Hello there.", language: "en", durationSec: 2.5, segments: [{ start: 0, end: 2.5, text: "Hello there." }] },
      provenance: { provider: "workers-ai", model: "@cf/openai/whisper-large-v3-turbo", usage: { audioSeconds: 2.5 } },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^run @cf\/openai\/whisper-large-v3-turbo \d+$/);
  });

  it("reads text layers itself and sends only images to toMarkdown", async () => {
    const calls: string[] = [];
    const provider = createWorkersAiProvider(() => standIn(calls));
    const docx = await runChain([provider, offlineProvider], await taskFor("docai", fixtures.docx), env, log);
    expect(docx).toMatchObject({ ok: true, output: { method: "docx" }, provenance: { provider: "workers-ai" } });
    expect(calls).toEqual([]);
    const png = await runChain([provider, offlineProvider], await taskFor("docai", fixtures.png), env, log);
    expect(png).toMatchObject({ ok: true, output: { markdown: "# Described image", method: "to-markdown" }, provenance: { model: "workers-ai toMarkdown" } });
    expect(calls).toEqual([expect.stringMatching(/^toMarkdown page\.png image\/png \d+$/)]);
  });
});
