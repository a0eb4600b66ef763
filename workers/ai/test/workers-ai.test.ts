import { Logger } from "@statex/shared/logger";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { availableFixtures } from "../../../shared/test/ai-fixtures/types";
import { buildChain, runChain } from "../src/providers/chain";
import { offlineProvider } from "../src/providers/offline";
import { createWorkersAiProvider, type WorkersAi } from "../src/providers/workers-ai";
import { taskFor } from "./helpers";
import { NlpResult, PrototypeResult } from "@statex/shared/tasks";
import { DATA_TAG } from "../src/llm/prompts";
import { analyse } from "../src/providers/offline/nlp";

// Workers AI has no local simulator (the binding would call the account), so these tests give the provider a
// stand-in binding that checks each call has the shape the real binding takes and answers in its documented shape.
const log = new Logger({}, "ai");
const fixtures = availableFixtures(inject("aiFixtures"));

/** The data block of the last user message, as the model would read it. */
function dataIn(messages: unknown): Record<string, unknown> {
  if (!Array.isArray(messages) || messages.length < 2) throw new Error("messages must hold the system prompt and the request");
  const roles = messages.map((m: { role?: unknown }) => m.role);
  if (roles[0] !== "system" || roles.at(-1) !== "user") throw new Error(`unexpected roles ${roles.join(",")}`);
  const content = String((messages.at(-1) as { content?: unknown }).content);
  const json = content.slice(content.indexOf(`<${DATA_TAG}>`) + DATA_TAG.length + 2, content.indexOf(`</${DATA_TAG}>`));
  return JSON.parse(json) as Record<string, unknown>;
}

/** A streamed answer as the binding gives it: server-sent events of `{ response }` pieces, usage last, then [DONE]. */
function streamOf(text: string, usage: object): ReadableStream<Uint8Array> {
  const pieces = text.match(/[\s\S]{1,40}/g) ?? [];
  const events = [...pieces.map((p) => ({ response: p })), { response: "", usage }].map((e) => `data: ${JSON.stringify(e)}\n\n`);
  return new Blob([...events, "data: [DONE]\n\n"]).stream();
}

/** The chat model's answer: the offline analysis of what it was sent, or a draft on the outline it was given. */
function chatAnswer(input: Record<string, unknown>, calls: string[]): unknown {
  const format = input.response_format as { type?: unknown; json_schema?: { properties?: unknown } } | undefined;
  if (format?.type !== "json_schema" || typeof format.json_schema?.properties !== "object") throw new Error("JSON mode with a schema expected");
  if (typeof input.max_tokens !== "number" || input.max_tokens <= 0) throw new Error("max_tokens expected");
  const data = dataIn(input.messages);
  calls.push(`chat ${input.stream ? "stream" : "once"} ${Object.keys(data).join(",")}`);
  const usage = { prompt_tokens: 1000, completion_tokens: 200 };
  if (Array.isArray(data.sources)) {
    const { stats: _, ...analysis } = analyse((data.sources as { text: string }[]).map((s) => s.text).join("\n\n"));
    return input.stream ? streamOf(JSON.stringify(analysis), usage) : { response: analysis, usage };
  }
  const outline = (data.template as { outline: { heading: string }[] }).outline;
  const draft = {
    title: "Online booking for three clinics",
    sections: outline.map((s) => ({ heading: s.heading, markdown: `What the ${s.heading.toLowerCase()} says.` })),
    features: ["Online booking"],
    milestones: ["Discovery", "Build", "Launch"],
    estimate: { lowDays: 20, highDays: 35, assumptions: ["One integration"] },
    risks: ["The practice software's API"],
    questions: ["Which clinics go first?"],
  };
  return input.stream ? streamOf(JSON.stringify(draft), usage) : { response: JSON.stringify(draft), usage };
}

function standIn(calls: string[]): WorkersAi {
  return {
    async run(model, input, options) {
      if (model === env.WORKERS_AI_CHAT_MODEL) {
        if (options?.gateway) calls.push(`gateway ${options.gateway.id}`);
        return chatAnswer(input, calls);
      }
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

  it("analyses in JSON mode on the chat model, and prices the tokens in neurons", async () => {
    const calls: string[] = [];
    const provider = createWorkersAiProvider(() => standIn(calls));
    const text = "We need an online shop for our bakery in Lyon, with click and collect. Budget 8,000 EUR.";
    const report = await runChain([provider], { taskId: "nlp", requestId: "req_wai", kind: "nlp", attempt: 1, input: { text } }, env, log);
    if (!report.ok) throw new Error(report.error);
    expect(NlpResult.parse(report.output).category?.label).toBe("e-commerce");
    const [inRate, outRate] = env.WORKERS_AI_NEURONS_PER_MTOK.split(",").map(Number);
    expect(report.provenance).toMatchObject({
      provider: "workers-ai",
      model: env.WORKERS_AI_CHAT_MODEL,
      prompt: { id: "statex.analysis" },
      usage: { inputTokens: 1000, outputTokens: 200, neurons: Math.round(((1000 * (inRate ?? 0) + 200 * (outRate ?? 0)) / 1e6) * 100) / 100 },
    });
    expect(calls).toEqual(["chat once categories,sources"]);
  });

  it("streams the draft from the binding's event stream", async () => {
    const calls: string[] = [];
    const provider = createWorkersAiProvider(() => standIn(calls));
    const text = "We need a booking website for our clinic.";
    const drafts: string[] = [];
    const task = { taskId: "prototype", requestId: "req_wai2", kind: "prototype" as const, attempt: 1, input: { text, analysis: analyse(text) } };
    const report = await runChain([provider], task, env, log, { draft: (m) => drafts.push(m) });
    if (!report.ok) throw new Error(report.error);
    expect(PrototypeResult.parse(report.output).markdown).toMatch(/^# Online booking for three clinics\n/);
    expect(report.provenance).toMatchObject({ provider: "workers-ai", prompt: { id: "statex.draft" }, template: { version: 1 } });
    expect(calls).toEqual(["chat stream request,analysis,template"]);
    expect(drafts.length).toBeGreaterThan(0);
  });
});
