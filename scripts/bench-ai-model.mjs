// The language-model path of the text tasks (nlp, then prototype), as `npm run bench` reports it:
//  - its own work per text request against the offline path's: the offline path is analyse() then draftPrototype();
//    the model path is analyseWithModel() then draftWithModel() with a chat model that answers at once with the
//    stand-in's answers, captured once per text beforehand. So what is timed is the worker's side of a model call
//    (prompts, data block, JSON Schema derivation, JSON parse, zod checks, markdown and provenance), never the
//    model's; a real model's time comes on top of it.
//  - the time to the first streamed words of a draft (the first onDraft) and to the finished draft, through the
//    local model server's stand-in over HTTP, as the ai worker's openai provider calls it.
// The worker code runs here in Node, bundled by esbuild from the same source as the worker.
// Exported for `npm run bench`; runnable alone: `node scripts/bench-ai-model.mjs` prints JSON.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { importWorkerCode } from "../local/worker-code.mjs";
import { startLocalServices } from "../local/server.mjs";
import { devSecretValue, workers } from "../infra/topology.mjs";
import { inputs, seededTemplates } from "./bench-ai-nlp.mjs";

const { AI_CHAT_MODEL, AI_INPUT_TOKENS, AI_MAX_TOKENS_PER_REQUEST } = workers.ai.vars;
/** The limits a request starts with in every environment, so the calls ask for what they would in the worker. */
const INPUT_TOKENS = Number(AI_INPUT_TOKENS.all);
const MAX_TOKENS = Number(AI_MAX_TOKENS_PER_REQUEST.all);

function loadWorkerCode(dir) {
  return importWorkerCode(
    [
      'export { analyse } from "./workers/ai/src/providers/offline/nlp.ts";',
      'export { draftPrototype } from "./workers/ai/src/prototype/draft.ts";',
      'export { analyseWithModel } from "./workers/ai/src/llm/analysis.ts";',
      'export { draftWithModel, draftSoFar } from "./workers/ai/src/llm/draft.ts";',
      'export { TokenBudget } from "./workers/ai/src/llm/token-budget.ts";',
      'export { openAiChat } from "./workers/ai/src/providers/openai/client.ts";',
    ].join("\n"),
    path.join(dir, "ai-model-bench.mjs"),
  );
}

/** A chat model that keeps every answer it passes on, by the schema it was asked for. */
function recording(chat, answers) {
  return {
    model: chat.model,
    async complete(request) {
      const answer = await chat.complete(request);
      answers.push({ schema: request.schema.name, answer });
      return answer;
    },
  };
}

/** A chat model that answers at once with answers recorded before: the model's time taken out. */
function replaying(model, answers) {
  const bySchema = new Map(answers.map((a) => [a.schema, a.answer]));
  return {
    model,
    async complete(request) {
      const answer = bySchema.get(request.schema.name);
      if (!answer) throw new Error(`no recorded answer for ${request.schema.name}`);
      return answer;
    },
  };
}

const round = (n, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
/** Nearest-rank percentile. */
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * xs.length) - 1)];
const spread = (xs) => ({ median: round(percentile(xs, 0.5)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });
const tokensOf = (usage) => (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);

/**
 * @param {{ runs?: number, streamRuns?: number, log?: (line: string) => void }} [opts] runs: timed passes over the
 *   sample texts for the overhead (after warm-up passes); streamRuns: streamed drafts timed through the stand-in.
 */
export async function benchAiModel({ runs = 30, streamRuns = 20, log = console.log } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "statex-bench-ai-model-"));
  const code = await loadWorkerCode(dir);
  const services = await startLocalServices({ port: 0, dataDir: path.join(dir, "local-services") });
  try {
    const templates = seededTemplates();
    const templateFor = (analysis) => templates.get(analysis.category?.label ?? "other") ?? templates.get("other");
    const chat = code.openAiChat({
      baseUrl: `${services.url}/v1`, apiKey: devSecretValue("AI_API_KEY"), timeoutMs: 60_000,
      asrModel: "", ocrModel: "", chatModel: AI_CHAT_MODEL.dev, gatewayCacheTtl: "", gatewayToken: "",
    });

    // The model path as the worker runs it: nlp, then prototype on its analysis with the tokens nlp used counted.
    const draftOn = (model, text, nlp, onDraft) =>
      code.draftWithModel(model, { text, analysis: nlp.output, template: templateFor(nlp.output) }, { budget: new code.TokenBudget(MAX_TOKENS, tokensOf(nlp.usage)), onDraft });
    const modelPath = async (model, text) => {
      const nlp = await code.analyseWithModel(model, { text }, { inputTokens: INPUT_TOKENS, budget: new code.TokenBudget(MAX_TOKENS, 0) });
      return { nlp, draft: await draftOn(model, text, nlp) };
    };
    const offlinePath = (text) => {
      const analysis = code.analyse(text);
      return code.draftPrototype(text, analysis, templateFor(analysis));
    };

    // The stand-in's answers, once per text. Its first request bundles the worker code it answers with, so the
    // first text's time is kept apart (coldFirstTextMs), to show why no figure below counts it.
    const captured = [];
    let coldFirstTextMs;
    for (const text of inputs) {
      const answers = [];
      const started = performance.now();
      const result = await modelPath(recording(chat, answers), text);
      coldFirstTextMs ??= performance.now() - started;
      const schemas = answers.map((a) => a.schema).join(", ");
      if (schemas !== "statex_analysis, statex_draft") throw new Error(`the stand-in was asked ${schemas}: expected one analysis and one draft, no repair`);
      captured.push({ text, answers, result });
    }
    const replays = captured.map((c) => ({ ...c, model: replaying(chat.model, c.answers) }));
    for (const r of replays) {
      const { draft } = await modelPath(r.model, r.text);
      if (draft.output.markdown !== r.result.draft.output.markdown) throw new Error("a replayed draft differs from the captured one");
    }

    // The two paths take turns on every text in every pass, so a drift in the machine's speed touches both alike,
    // and which goes first alternates, so neither always pays for the garbage the other left.
    const WARM_UP = 5;
    const passes = [];
    const timed = async (fn) => {
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };
    for (let run = 0; run < WARM_UP + runs; run++) {
      let offlineMs = 0;
      let modelMs = 0;
      for (const r of replays) {
        const offline = async () => (offlineMs += await timed(() => offlinePath(r.text)));
        const model = async () => (modelMs += await timed(() => modelPath(r.model, r.text)));
        for (const step of run % 2 ? [model, offline] : [offline, model]) await step();
      }
      if (run >= WARM_UP) passes.push({ offline: offlineMs / replays.length, model: modelMs / replays.length });
    }
    // A streamed draft also reads the JSON so far at most every 250 ms: one such read of the whole answer, the dearest.
    const draftJson = captured.map((c) => c.answers[1].answer.content);
    const SO_FAR_RUNS = 50;
    const soFarStarted = performance.now();
    for (let i = 0; i < SO_FAR_RUNS; i++) for (const json of draftJson) code.draftSoFar(json);
    const draftSoFarMs = (performance.now() - soFarStarted) / (SO_FAR_RUNS * draftJson.length);

    const overhead = {
      texts: inputs.length,
      runs,
      offlineMsPerRequest: spread(passes.map((p) => p.offline)),
      modelPathMsPerRequest: spread(passes.map((p) => p.model)),
      differenceMs: spread(passes.map((p) => p.model - p.offline)),
      draftSoFarMsPerRead: round(draftSoFarMs, 3),
      answerChars: { analysis: captured.map((c) => c.answers[0].answer.content.length), draft: draftJson.map((j) => j.length) },
    };
    log(
      `model path's own work per text request (nlp + prototype, model answers replayed at once; median of ${runs} passes over ${inputs.length} texts): ` +
        `${overhead.modelPathMsPerRequest.median} ms (${overhead.modelPathMsPerRequest.min}–${overhead.modelPathMsPerRequest.max}) ` +
        `against offline ${overhead.offlineMsPerRequest.median} ms (${overhead.offlineMsPerRequest.min}–${overhead.offlineMsPerRequest.max}); ` +
        `difference ${overhead.differenceMs.median} ms (${overhead.differenceMs.min} to ${overhead.differenceMs.max})`,
    );

    // Streamed drafts through the stand-in over HTTP, on each text's analysis by the model path, the texts in turn.
    // One more draft first, not counted, so the figures are not those of code running for the first time.
    const firstWords = [];
    const finished = [];
    for (let i = 0; i <= streamRuns; i++) {
      const { text, result } = captured[i % captured.length];
      let first;
      const begun = performance.now();
      await draftOn(chat, text, result.nlp, () => (first ??= performance.now() - begun));
      const total = performance.now() - begun;
      if (first === undefined) throw new Error("a streamed draft never called onDraft");
      if (i === 0) continue;
      firstWords.push(first);
      finished.push(total);
    }
    const p = (xs) => ({ p50: round(percentile(xs, 0.5), 1), p95: round(percentile(xs, 0.95), 1), max: round(Math.max(...xs), 1) });
    const streaming = { runs: streamRuns, firstDraftMs: p(firstWords), finishedMs: p(finished), coldFirstTextMs: round(coldFirstTextMs, 1) };
    log(
      `streamed draft through the local model server (${streamRuns} drafts, a warm-up draft not counted): first words ` +
        `p50 ${streaming.firstDraftMs.p50} ms, p95 ${streaming.firstDraftMs.p95} ms; finished p50 ${streaming.finishedMs.p50} ms, p95 ${streaming.finishedMs.p95} ms`,
    );
    return { overhead, streaming };
  } finally {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(JSON.stringify(await benchAiModel(), null, 2));
}
