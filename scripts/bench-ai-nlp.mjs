// The offline AI tasks' speed: time per input for nlp (the whole analysis) and for prototype (the draft from
// an analysis and a seeded template), and the process's peak memory. The worker's TypeScript is bundled with
// esbuild (as wrangler would) and run in Node: the same code as in workerd, without the runtime's overhead.
// `npm run bench` calls benchAiNlp(); `node scripts/bench-ai-nlp.mjs` prints the same figures.
import { readFileSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { root } from "./platform.mjs";

export const inputs = [
  "We need a booking website for our dental clinic.",
  "We are a family bakery in Vienna. We want an online shop where customers order cakes, pay by card and choose a delivery time. " +
    "We also need email reminders for orders. Our budget is €12,000 and we would like to launch by September.",
  "Our sales team copies leads from web forms into Salesforce by hand and then into Mailchimp. We want this automated ASAP. " +
    "Every new lead should be checked for duplicates, enriched with company data and assigned to a sales rep in the right region. " +
    "Management also wants a weekly dashboard of new leads, conversion by source and revenue by region, sent by email every Monday. " +
    "Contact Maria Garcia at Acme Corp (maria@acme.example, +49 30 1234 5678) for access to the systems.",
];

/** The seeded templates, read from the migration that inserts them (the bench has no D1). */
export function seededTemplates() {
  const sql = readFileSync(path.join(root, "migrations", "0003_seed_templates.sql"), "utf8");
  const row = /VALUES \('([^']+)', '([^']+)', '([^']+)', 1, '((?:[^']|'')*)', '((?:[^']|'')*)', '([^']*)'/g;
  return new Map([...sql.matchAll(row)].map(([, id, slug, category, title, body, required]) => [
    category,
    { id, slug, category, version: 1, title: title.replace(/''/g, "'"), body: body.replace(/''/g, "'"), requiredFields: JSON.parse(required), status: "active" },
  ]));
}

async function loadModules() {
  const outdir = path.join(root, ".tmp", "bench-ai");
  mkdirSync(outdir, { recursive: true });
  const outfile = path.join(outdir, "ai-offline.mjs");
  await build({
    stdin: {
      contents: 'export { analyse } from "./src/providers/offline/nlp"; export { draftPrototype } from "./src/prototype/draft";',
      resolveDir: path.join(root, "workers", "ai"),
      loader: "ts",
    },
    bundle: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], conditions: ["workerd", "worker", "import"], outfile, logLevel: "error",
  });
  const mod = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
  rmSync(outdir, { recursive: true, force: true });
  return mod;
}

function timePerInput(fn, runs) {
  for (const text of inputs) fn(text); // warm-up: models load and JIT settles
  const started = process.hrtime.bigint();
  for (let r = 0; r < runs; r++) for (const text of inputs) fn(text);
  return Number(process.hrtime.bigint() - started) / 1e6 / (runs * inputs.length);
}

/** ms per input for nlp and prototype, over `runs` passes of the sample inputs, and the peak RSS in MB. */
export async function benchAiNlp({ runs = 20 } = {}) {
  const { analyse, draftPrototype } = await loadModules();
  const templates = seededTemplates();
  const analyses = new Map(inputs.map((t) => [t, analyse(t)]));
  const nlpMs = timePerInput((text) => analyse(text), runs);
  const prototypeMs = timePerInput((text) => {
    const analysis = analyses.get(text);
    const template = templates.get(analysis.category?.label ?? "other") ?? templates.get("other");
    return draftPrototype(text, analysis, template);
  }, runs);
  const words = inputs.map((t) => t.split(/\s+/).length);
  return {
    inputs: inputs.length,
    words: { min: Math.min(...words), max: Math.max(...words) },
    nlpMsPerInput: Math.round(nlpMs * 100) / 100,
    prototypeMsPerInput: Math.round(prototypeMs * 100) / 100,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await benchAiNlp(), null, 2));
}
