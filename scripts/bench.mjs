// `npm run bench`: measures the local platform (a script, not a test).
//  - POST /api/requests through the gateway at 1 and 10 concurrent clients, p50/p99,
//    against a floor measured in the same run (a bare worker doing the same D1
//    insert and queue send, no framework), and the ratio of the two: with the
//    submission path on its own (the reading the target is judged on: the same
//    conditions as the floor's) and with the whole platform running;
//  - time from submission to `completed` for a text request;
//  - each worker's bundle size, gzipped, from `wrangler deploy --dry-run`;
//  - accounts: sign-in, refresh, the dashboard's list over 10,000 requests and its query plan, and the access
//    token's check against the session lookup over RPC it replaced (scripts/bench-accounts.mjs);
//  - notifications: 1,000 events through the channels' stand-ins with WhatsApp failing 20% of sends, messages per
//    second, event to `delivered`, none lost or doubled (scripts/bench-notify.mjs);
//  - the public site: a cached page view against a bare worker's static page, cold views, search over 10,000 pages,
//    publish to the new text served (scripts/bench-content.mjs);
//  - ops: what metrics and redaction cost a submission in workerd CPU (on and off side by side), log search over
//    1,000,000 lines per kind of query, the overview's hour, day and week (scripts/bench-ops.mjs).
//  - webhooks: deliveries per second to the local receiver, and request.completed to the receiver's answer, p50/p95
//    (scripts/bench-webhooks.mjs).
//  - soak: 200 clients for 60 s mixing submissions, status reads, sign-ins and dashboard reads; answers by kind and
//    status, the limits' 429s apart, workerd's memory through the run, every accepted request followed to its end
//    (scripts/bench-soak.mjs).
//  - fuzzing: 10,000 cases over every route of the table, none a 5xx, every refusal a Problem naming its field,
//    the stores whole afterwards (scripts/bench-fuzz.mjs).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { writeFileSync } from "node:fs";
import { benchAccounts, printAccounts } from "./bench-accounts.mjs";
import { benchAi } from "./bench-ai.mjs";
import { benchAiModel } from "./bench-ai-model.mjs";
import { benchAiNlp } from "./bench-ai-nlp.mjs";
import { benchContent, printContent } from "./bench-content.mjs";
import { benchIntake } from "./bench-intake.mjs";
import { benchJobs } from "./bench-jobs.mjs";
import { benchNotify, printNotify } from "./bench-notify.mjs";
import { benchOps, printOps } from "./bench-ops.mjs";
import { benchWebhooks, printWebhooks } from "./bench-webhooks.mjs";
import { benchSoak, printSoak } from "./bench-soak.mjs";
import { benchFuzz, printFuzz } from "./bench-fuzz.mjs";
import { startWorkers, wranglerBin } from "./bench-workers.mjs";
import { root, startPlatform } from "./platform.mjs";
import { ensureSystemPackages } from "./system.mjs";

ensureSystemPackages();

const stateDir = path.join(root, ".tmp", "bench-state");
const REQUESTS = { 1: Number(process.env.BENCH_N1 ?? 150), 10: Number(process.env.BENCH_N10 ?? 600) };
/** Rounds of the floor and the submission path, taken in turn: the machine's speed drifts within a run, a pair does not. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
const body = JSON.stringify({
  name: "Bench Client",
  email: "bench@example.com",
  text: "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.",
});

let ip = 0;
/** Each request comes from its own client address, as real traffic would, so per-client rate limits do not apply. */
function nextIp() {
  ip++;
  return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
}

async function load(url, connections) {
  const opts = {
    url,
    method: "POST",
    connections,
    amount: REQUESTS[connections],
    headers: { "content-type": "application/json" },
    body,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, "cf-connecting-ip": nextIp() } }) }],
  };
  await autocannon({ ...opts, amount: Math.min(100, opts.amount) }); // warm-up
  const r = await autocannon(opts);
  const non2xx = r.non2xx + r.errors;
  if (non2xx) throw new Error(`${url}: ${non2xx} of ${r.requests.total} requests failed`);
  return { p50: r.latency.p50, p99: r.latency.p99, rps: Math.round(r.requests.average) };
}

/**
 * Starts workers under their own `wrangler dev` (own workerd, own state) and resolves once `url` takes a
 * submission. Used for the floor, and for the submission path alone (gateway + intake, no consumers).
 */
function startBare(name, configs, port, url) {
  return startWorkers(path.join(stateDir, name), configs, port, async () =>
    (await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } })).status === 202);
}

async function timeToCompleted(siteUrl, n, limitMs = 30_000) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await fetch(`${siteUrl}/api/requests`, { method: "POST", body, headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() } });
    const { statusUrl } = await res.json();
    for (;;) {
      let view;
      try {
        view = await (await fetch(`${siteUrl}${statusUrl}`)).json();
      } catch {
        // A dropped connection under load is not the request's fault: ask again.
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (view.status === "completed") break;
      if (view.status === "failed") throw new Error(`request failed: ${view.error}`);
      if (performance.now() - started > limitMs) throw new Error(`a request did not complete in ${limitMs} ms`);
      await new Promise((r) => setTimeout(r, n === 1 ? 200 : 10));
    }
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n / 2)], max: times[n - 1] };
}

function bundleSizes() {
  const sizes = {};
  for (const w of ["gateway", "identity", "intake", "orchestrator", "ai", "notify", "content", "logging"]) {
    const out = execFileSync(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", path.join(root, ".tmp", "bundles", w), "-c", `workers/${w}/wrangler.toml`], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out);
    sizes[w] = m ? { raw: Number(m[1]), gzip: Number(m[2]) } : null;
  }
  return sizes;
}

const ms = (v) => `${v.toFixed(1)} ms`;
rmSync(stateDir, { recursive: true, force: true });
console.log("starting the platform and the floor worker…");
const extra = {};
// The stand-in chat model streams without pauses here: these rounds measure the platform, and a paced stand-in
// would only add its own pauses to every job (the draft's streaming is measured on its own in the model section).
const platform = await startPlatform({ stateDir, apiPort: 28787, sitePort: 28788, localPort: 28790, inspectorBase: 29230, quiet: true, chatPieceDelayMs: 0 });
const floorUrl = "http://127.0.0.1:28800/";
const floor = await startBare("floor", ["bench/floor/wrangler.toml"], 28800, floorUrl);
try {
  const gatewayUrl = `${platform.apiUrl}/api/requests`;
  // On an idle platform first: the pipeline's own latency, not a backlog's.
  const completion = await timeToCompleted(platform.apiUrl, 20);
  console.log(`submission to completed: p50 ${ms(completion.p50)}`);
  console.log("\nintake: multipart with a 1 MB and a 20 MB file, email with two attachments");
  const intake = await benchIntake(platform.apiUrl, { runs: 10 });
  console.log(JSON.stringify(intake, null, 2));
  await timeToCompleted(platform.apiUrl, 1, 300_000);
  console.log("\njobs: 200 requests submitted at once");
  const jobs = await benchJobs({ apiUrl: platform.apiUrl, count: 200, log: () => {} });
  console.log(JSON.stringify(jobs, null, 2));
  extra.intake = intake;
  extra.jobs = jobs;
  await timeToCompleted(platform.apiUrl, 1, 600_000);
  const rows = [];
  for (const c of [1, 10]) {
    const f = await load(floorUrl, c);
    const g = await load(gatewayUrl, c);
    rows.push({ clients: c, gateway: g, floor: f, ratioP50: g.p50 / f.p50, ratioP99: g.p99 / f.p99 });
    console.log(`${c} client(s): gateway p50 ${ms(g.p50)} p99 ${ms(g.p99)}; floor p50 ${ms(f.p50)} p99 ${ms(f.p99)}`);
    // Let the pipeline work through what this round submitted before the next round is measured: hundreds of jobs,
    // one at a time (JOB_SLOTS 1).
    await timeToCompleted(platform.apiUrl, 1, 1_800_000);
  }
  const sizes = bundleSizes();

  console.log("\nPOST /api/requests through the gateway with the whole platform running vs the floor (same run, same machine)");
  console.log("clients | gateway p50 / p99 (req/s)     | floor p50 / p99 (req/s)       | ratio p50 / p99");
  for (const r of rows) {
    console.log(
      `${String(r.clients).padStart(7)} | ${ms(r.gateway.p50)} / ${ms(r.gateway.p99)} (${r.gateway.rps})`.padEnd(41) +
        `| ${ms(r.floor.p50)} / ${ms(r.floor.p99)} (${r.floor.rps})`.padEnd(32) +
        `| ${r.ratioP50.toFixed(2)} / ${r.ratioP99.toFixed(2)}`,
    );
  }
  console.log(`\nsubmission to completed (text request, 20 in a row): p50 ${ms(completion.p50)}, max ${ms(completion.max)}`);
  console.log("\nbundle sizes (wrangler deploy --dry-run):");
  for (const [w, s] of Object.entries(sizes)) console.log(`  ${w.padEnd(13)} ${s ? `${s.raw.toFixed(1)} KiB, gzip ${s.gzip.toFixed(1)} KiB` : "unknown"}`);
  extra.load = rows;
  extra.completion = completion;
  extra.bundles = sizes;
} finally {
  await platform.stop();
}

// The submission path on its own: gateway + intake in their own workerd with no consumers running, as the floor
// runs in its own workerd and its queue has none. This is the reading the target is judged on: both sides in the
// same conditions, so the ratio is what the framework, validation, rate limit, outbox and relay add to the same
// insert and send. (The rounds above measure a submission while the pipeline it sets off shares the one local
// thread, which the floor never runs.) The floor and the path take turns, PAIRS times at each concurrency; the
// figures are the medians over the pairs, the ratio the median of the pairs' ratios.
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const pathUrl = "http://127.0.0.1:28810/api/requests";
  const submitPath = await startBare("submission-path", ["wrangler.toml", "workers/intake/wrangler.toml"], 28810, pathUrl);
  try {
    extra.submissionPath = [];
    for (const c of [1, 10]) {
      const pairs = [];
      for (let i = 0; i < PAIRS; i++) {
        const f = await load(floorUrl, c);
        const g = await load(pathUrl, c);
        pairs.push({ gateway: g, floor: f, ratioP50: g.p50 / f.p50, ratioP99: g.p99 / f.p99 });
      }
      const med = (side, key) => median(pairs.map((p) => p[side][key]));
      extra.submissionPath.push({
        clients: c,
        gateway: { p50: med("gateway", "p50"), p99: med("gateway", "p99"), rps: med("gateway", "rps") },
        floor: { p50: med("floor", "p50"), p99: med("floor", "p99"), rps: med("floor", "rps") },
        ratioP50: median(pairs.map((p) => p.ratioP50)),
        ratioP99: median(pairs.map((p) => p.ratioP99)),
        pairs,
      });
    }
  } finally {
    submitPath.kill("SIGTERM");
  }
} finally {
  floor.kill("SIGTERM");
}
console.log(`\nthe submission path on its own (gateway + intake, no consumers running) vs the floor, medians of ${PAIRS} pairs of rounds:`);
console.log("clients | gateway p50 / p99 (req/s)     | floor p50 / p99 (req/s)       | ratio p50 / p99 | each pair's p50 ratio");
for (const r of extra.submissionPath) {
  console.log(`${String(r.clients).padStart(7)} | ${ms(r.gateway.p50)} / ${ms(r.gateway.p99)} (${r.gateway.rps})`.padEnd(41) +
    `| ${ms(r.floor.p50)} / ${ms(r.floor.p99)} (${r.floor.rps})`.padEnd(32) + `| ${r.ratioP50.toFixed(2)} / ${r.ratioP99.toFixed(2)}`.padEnd(18) +
    `| ${r.pairs.map((p) => p.ratioP50.toFixed(2)).join(" ")}`);
}
const worstRatio = Math.max(...extra.submissionPath.map((r) => r.ratioP50));
const overSize = Object.entries(extra.bundles).filter(([w, s]) => w !== "ai" && s && s.gzip > 300);
console.log(`\ntargets: ratio to floor <= 1.5 (submission path, median of pairs): ${worstRatio <= 1.5 ? "met" : "NOT met"} (worst p50 ratio ${worstRatio.toFixed(2)}); ` +
  `completed < 1 s: ${extra.completion.p50 < 1000 ? "met" : "NOT met"}; bundles < 300 KiB gzip: ${overSize.length ? `NOT met (${overSize.map(([w]) => w).join(", ")})` : "met"}`);

// Accounts (sign-in, refresh, the dashboard's list, the access token's check against the session lookup it replaced):
// gateway + identity in their own workerd, with the platform and the floor stopped.
extra.accounts = await benchAccounts({ stateDir, pairs: PAIRS });
printAccounts(extra.accounts);

// Notifications: a whole platform of their own (own ports and state), the others stopped.
extra.notify = await benchNotify();
printNotify(extra.notify);

// The public site: gateway + identity + content in their own workerd on their own state.
extra.content = await benchContent({ stateDir, pairs: PAIRS });
printContent(extra.content);

// Ops: two whole platforms of their own (metrics and redaction on and off), then gateway + identity + logging over a
// million seeded log lines; own ports and state.
extra.ops = await benchOps({ stateDir, pairs: PAIRS });
printOps(extra.ops);

// Webhooks to integrators: a whole platform of their own (own ports and state), the others stopped.
extra.webhooks = await benchWebhooks();
printWebhooks(extra.webhooks);

// Fuzzing every route: a whole platform of its own (own ports and state), the others stopped.
extra.fuzz = await benchFuzz();
printFuzz(extra.fuzz);

// The soak: 200 clients for 60 s against a whole platform of its own (own ports and state), the others stopped.
extra.soak = await benchSoak({ apiPort: 28920, sitePort: 28921, localPort: 28922, inspectorBase: 29320, stateDir: path.join(root, ".tmp", "bench-soak-state") });
printSoak(extra.soak);

// The AI tasks on their own (offline and local providers), with the platform stopped so they have the machine.
console.log("\nAI tasks (offline and local providers):");
extra.ai = await benchAi();
extra.nlp = await benchAiNlp();
extra.model = await benchAiModel();
console.log(JSON.stringify({ ai: extra.ai, nlp: extra.nlp, model: extra.model }, null, 2));
writeFileSync(path.join(root, ".tmp", "bench-results.json"), JSON.stringify(extra, null, 2));
console.log("\nall figures: .tmp/bench-results.json");
