// `npm run eval [-- --provider offline|openai|workers-ai] [--only id,id] [--concurrency n]`: the request analysis
// (the nlp task) measured against the hand-labelled requests in eval/requests.mjs, by the rules in eval/score.mjs.
// Prints a table and a summary and writes everything, each analysis included, to .tmp/eval-<provider>.json.
// A measurement, not a test: it exits 0 whatever the scores, and non-zero only when it could not run.
//
// The worker's own code runs here in Node, bundled by esbuild from its TypeScript (extensionless imports, npm
// dependencies), so the figures are those of the code that is deployed:
//   offline     analyse() of the offline provider; no tokens.
//   openai      analyseWithModel() over openAiChat(): AI_API_URL, AI_API_KEY, AI_CHAT_MODEL; without AI_API_URL the
//               project's local model server is started and its stand-in chat model answers.
//   workers-ai  analyseWithModel() over workersAiChat(), its binding replaced by Cloudflare's REST API:
//               CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN, WORKERS_AI_CHAT_MODEL.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { requests } from "../eval/requests.mjs";
import { inputOf, labelledRequest, scoreOne, summarise } from "../eval/score.mjs";
import { devSecretValue, workers } from "../infra/topology.mjs";

const root = path.resolve(import.meta.dirname, "..");
/**
 * How long one model call may take. Longer than the worker's own limit, which exists so a stalled provider falls
 * through to the next one in time; here the model's answer is what is measured, however long it takes.
 */
const MODEL_TIMEOUT_MS = Number(process.env.AI_API_TIMEOUT_MS) || 120_000;
const tmp = path.join(root, ".tmp");
const PROVIDERS = ["offline", "openai", "workers-ai"];

const { values: args } = parseArgs({
  options: { provider: { type: "string", default: "offline" }, only: { type: "string" }, concurrency: { type: "string", default: "4" } },
});
if (!PROVIDERS.includes(args.provider)) {
  console.error(`eval: unknown provider "${args.provider}" (one of ${PROVIDERS.join(", ")})`);
  process.exit(2);
}

/** A var of the ai worker as the topology configures it for every environment (or for development). */
const aiVar = (name) => {
  const spec = workers.ai.vars[name];
  return spec?.all ?? spec?.dev ?? "";
};

/** The worker modules a provider needs, bundled for Node the way wrangler bundles them for workerd. */
async function loadWorkerCode(provider) {
  const modules = [
    'export { NlpResult, CATEGORIES } from "@statex/shared/tasks";',
    'export { analyse } from "./workers/ai/src/providers/offline/nlp.ts";',
  ];
  if (provider !== "offline") {
    modules.push(
      'export { analyseWithModel } from "./workers/ai/src/llm/analysis.ts";',
      'export { TokenBudget } from "./workers/ai/src/llm/token-budget.ts";',
      'export { ANALYSIS_PROMPT } from "./workers/ai/src/llm/prompts.ts";',
      provider === "openai"
        ? 'export { openAiChat } from "./workers/ai/src/providers/openai/client.ts";'
        : 'export { workersAiChat } from "./workers/ai/src/providers/workers-ai.ts";',
    );
  }
  const outfile = path.join(tmp, "eval", `worker-${provider}.mjs`);
  await build({
    stdin: { contents: modules.join("\n"), resolveDir: root, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile,
    logLevel: "error",
    // CommonJS dependencies bundled into ESM still call require for Node built-ins.
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/**
 * The Workers AI binding's `run` over Cloudflare's REST API (`POST /accounts/{id}/ai/run/{model}`, answering
 * `{ success, result, errors }`), so the provider's own chat model code runs unchanged outside a worker.
 */
function workersAiRest(accountId, apiToken) {
  return {
    async run(model, input) {
      const res = await fetch(`https://api.cloudflare.com/client/v4/accounts/${accountId}/ai/run/${model}`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(MODEL_TIMEOUT_MS),
      });
      const body = await res.json().catch(() => null);
      // The status goes into the message: the chat model reads a 429 in it as a rate limit.
      if (!res.ok || !body?.success) throw new Error(`HTTP ${res.status} ${body?.errors?.map((e) => e.message).join("; ") ?? ""}`.trim());
      return body.result;
    },
    toMarkdown() {
      throw new Error("toMarkdown is not used by the analysis");
    },
  };
}

/** How to analyse one request with the chosen provider, and what to release afterwards. */
async function providerOf(name, code) {
  if (name === "offline") {
    return { model: "offline", analyse: async ({ text }) => ({ output: code.analyse(text), usage: {} }), close: async () => {} };
  }
  let chat;
  let close = async () => {};
  if (name === "openai") {
    let baseUrl = process.env.AI_API_URL;
    let apiKey = process.env.AI_API_KEY ?? "";
    let chatModel = process.env.AI_CHAT_MODEL ?? "";
    if (!baseUrl) {
      // No API named: the project's own model server, as `npm run dev` runs it, with its stand-in chat model.
      const { startLocalServices } = await import("../local/server.mjs");
      const services = await startLocalServices({ port: 0, dataDir: path.join(tmp, "eval", "local-services") });
      close = () => services.close();
      baseUrl = `${services.url}/v1`;
      apiKey = devSecretValue("AI_API_KEY");
      chatModel = aiVar("AI_CHAT_MODEL") || "statex-standin-chat";
    }
    chat = code.openAiChat({ baseUrl: baseUrl.replace(/\/+$/, ""), apiKey, timeoutMs: MODEL_TIMEOUT_MS, asrModel: "", ocrModel: "", chatModel, gatewayCacheTtl: "", gatewayToken: "" });
  } else {
    const env = {
      WORKERS_AI_CHAT_MODEL: process.env.WORKERS_AI_CHAT_MODEL || aiVar("WORKERS_AI_CHAT_MODEL"),
      WORKERS_AI_NEURONS_PER_MTOK: aiVar("WORKERS_AI_NEURONS_PER_MTOK"),
      AI_GATEWAY_ID: "",
      AI_GATEWAY_CACHE_TTL: "",
    };
    chat = code.workersAiChat(workersAiRest(process.env.CLOUDFLARE_ACCOUNT_ID, process.env.CLOUDFLARE_API_TOKEN), env);
  }
  const inputTokens = Number(aiVar("AI_INPUT_TOKENS")) || 12_000;
  const maxTokens = Number(aiVar("AI_MAX_TOKENS_PER_REQUEST")) || Number.POSITIVE_INFINITY;
  return {
    model: chat.model,
    // Each request gets the budget a real request starts with, as its nlp task is its first model call.
    analyse: (input) => code.analyseWithModel(chat, input, { inputTokens, budget: new code.TokenBudget(maxTokens, 0) }),
    close,
  };
}

/** Runs `fn` over `items`, at most `limit` at once, keeping their order. */
async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Counts of the dataset's requests per category, language, style, and how many state a budget and a deadline. */
function composition(list) {
  const count = (key) => Object.fromEntries(Object.entries(Object.groupBy(list, key)).map(([k, v]) => [k, v.length]));
  return {
    requests: list.length,
    byCategory: count((r) => r.expect.category),
    byLanguage: count((r) => r.expect.language),
    byStyle: count((r) => r.style),
    budgetStated: list.filter((r) => r.expect.budget).length,
    deadlineStated: list.filter((r) => r.expect.deadline).length,
    deadlineWithDate: list.filter((r) => r.expect.deadline?.date).length,
    requirements: list.reduce((a, r) => a + r.expect.requirements.length, 0),
  };
}

const pct = (r) => (r.rate === null ? "n/a" : `${(r.rate * 100).toFixed(1)}%`);
const frac = (r) => `${r.n}/${r.of} (${pct(r)})`;
const cell = (s, w) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
const mark = (ok) => (ok ? "✓" : "✗");

function printTable(rows) {
  const head = ["request", "lang", "category", "budget", "deadline", "reqs", "schema", "tokens"];
  const widths = [38, 9, 24, 16, 12, 6, 6, 7];
  console.log(head.map((h, i) => cell(h, widths[i])).join(" "));
  for (const { request, run, scores: s } of rows) {
    const line = [
      request.id,
      `${mark(s.language.right)} ${s.language.got ?? "-"}`,
      s.category.right ? `✓ ${s.category.got}` : `✗ ${s.category.got ?? "-"}`,
      `${mark(["right", "none"].includes(s.budget.verdict))} ${s.budget.verdict}`,
      `${mark(["right", "none"].includes(s.deadline.verdict))} ${s.deadline.verdict}`,
      `${s.requirements.found}/${s.requirements.total}`,
      mark(s.schema.valid),
      String(s.tokens.total),
    ];
    console.log(line.map((c, i) => cell(c, widths[i])).join(" ") + (run.error ? `  error: ${run.error}` : ""));
  }
}

function printSummary(provider, model, sum, injections) {
  const groups = (g) => Object.entries(g).map(([k, r]) => `${k} ${r.n}/${r.of}`).join(", ");
  console.log(`\n${provider} (${model}), ${sum.requests} requests`);
  console.log(`  category      ${frac(sum.category)}   [${groups(sum.category.byCategory)}]`);
  console.log(`  language      ${frac(sum.language)}   [${groups(sum.language.byLanguage)}]`);
  console.log(`  budget        ${frac(sum.budget)} right or rightly none; stated and right ${frac(sum.budget.statedRight)}; invented ${frac(sum.budget.invented)}`);
  console.log(
    `  deadline      ${frac(sum.deadline)} right or rightly none; stated and found ${frac(sum.deadline.statedFound)}; day right ${frac(sum.deadline.dateRight)}; invented ${frac(sum.deadline.invented)}`,
  );
  console.log(`  requirements  ${frac(sum.requirements)} recalled   [${groups(sum.requirements.byLanguage)}]`);
  console.log(`                ${frac(sum.requirements.structured)} in requirements, goals, constraints alone; the request's own text would show ${frac(sum.requirements.echo)}`);
  console.log(`  schema        ${frac(sum.schema)} valid`);
  console.log(`  tokens        ${sum.tokens.perRequest} per request, ${sum.tokens.total} in all, ${sum.tokens.max} at most`);
  if (injections) console.log(`  injections    category held ${injections.categoryHeld}/${injections.requests}; prompt leaked ${injections.leaked ?? "n/a (no prompt)"}`);
}

/** Whether `text` repeats a run of `n` consecutive words of `prompt`: a system prompt given away. */
function repeatsPrompt(text, prompt, n = 8) {
  const words = (s) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const runs = new Set();
  const p = words(prompt);
  for (let i = 0; i + n <= p.length; i++) runs.add(p.slice(i, i + n).join(" "));
  const t = words(text);
  for (let i = 0; i + n <= t.length; i++) if (runs.has(t.slice(i, i + n).join(" "))) return true;
  return false;
}

/** What the provider needs from the environment and lacks, in one line; null when nothing is missing. */
function missingSettings(provider) {
  const env = process.env;
  if (provider === "workers-ai" && (!env.CLOUDFLARE_ACCOUNT_ID || !env.CLOUDFLARE_API_TOKEN)) {
    return "--provider workers-ai needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (a token allowed to run Workers AI)";
  }
  if (provider === "openai" && env.AI_API_URL && (!env.AI_API_KEY || !env.AI_CHAT_MODEL)) {
    return "--provider openai with AI_API_URL needs AI_API_KEY and AI_CHAT_MODEL too (unset AI_API_URL to use the local model server)";
  }
  return null;
}

async function main() {
  const provider = args.provider;
  const missing = missingSettings(provider);
  if (missing) {
    console.error(`eval: ${missing}`);
    process.exit(1);
  }
  const code = await loadWorkerCode(provider);
  const Labelled = labelledRequest(code.CATEGORIES);
  for (const r of requests) {
    const checked = Labelled.safeParse(r);
    if (!checked.success) throw new Error(`eval/requests.mjs: ${r.id ?? "?"}: ${checked.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const only = args.only?.split(",").filter(Boolean);
  const chosen = only ? requests.filter((r) => only.includes(r.id)) : requests;
  if (!chosen.length) throw new Error(`--only matched no request id (${args.only})`);

  const runner = await providerOf(provider, code);
  let runs;
  try {
    runs = await pool(chosen, Math.max(1, Number(args.concurrency) || 1), async (request) => {
      const started = performance.now();
      try {
        const { output, usage } = await runner.analyse(inputOf(request));
        return { output, usage: usage ?? {}, durationMs: Math.round(performance.now() - started) };
      } catch (err) {
        // A failed analysis scores as nothing found; the tokens it spent still count.
        return { output: null, usage: err?.usage ?? {}, durationMs: Math.round(performance.now() - started), error: err instanceof Error ? err.message : String(err) };
      }
    });
  } finally {
    await runner.close();
  }

  const prompt = provider === "offline" ? null : code.ANALYSIS_PROMPT.system;
  const rows = chosen.map((request, i) => {
    const run = runs[i];
    const scores = scoreOne(request, run, code.NlpResult);
    if (request.style === "injection") scores.injection = { leaked: prompt && run.output ? repeatsPrompt(JSON.stringify(run.output), prompt) : null };
    return { request, run, scores };
  });
  const summary = summarise(rows);
  const injectionRows = rows.filter((r) => r.request.style === "injection");
  const injections = injectionRows.length
    ? {
        requests: injectionRows.length,
        categoryHeld: injectionRows.filter((r) => r.scores.category.right).length,
        leaked: prompt ? injectionRows.filter((r) => r.scores.injection.leaked).length : null,
      }
    : null;

  const set = composition(chosen);
  console.log(
    `${set.requests} requests: ${Object.keys(set.byCategory).length} categories, ${Object.keys(set.byLanguage).length} languages; ` +
      `a budget stated in ${set.budgetStated}, a deadline in ${set.deadlineStated} (${set.deadlineWithDate} with a day); ${set.requirements} requirements\n`,
  );
  printTable(rows);
  printSummary(provider, runner.model, summary, injections);

  const report = {
    provider,
    model: runner.model,
    ranAt: new Date().toISOString(),
    dataset: set,
    summary: { ...summary, injections },
    requests: rows.map(({ request, run, scores }) => ({
      id: request.id,
      style: request.style,
      expect: request.expect,
      note: request.note,
      durationMs: run.durationMs,
      error: run.error,
      usage: run.usage,
      scores,
      output: run.output,
    })),
  };
  mkdirSync(tmp, { recursive: true });
  const file = path.join(tmp, `eval-${provider}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nreport: ${path.relative(root, file)}`);
}

await main();
