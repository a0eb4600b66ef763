// The fuzzing benchmark (issue 20), as `npm run bench` reports it: 10,000 cases spread over every route of the
// gateway's table, through the gateway of a platform of its own, with the properties and the store checks of
// scripts/fuzz-cases.mjs (the end-to-end suite runs the same with a few cases a route). It prints the cases run, the
// answers by status, how many reached a worker behind the gateway, every failure (there must be none) and the time.
// Exported for `npm run bench`; runnable alone: `node scripts/bench-fuzz.mjs` (FUZZ_CASES for fewer, FUZZ_SEED to
// replay a run).
import { rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { devAdmin } from "./create-admin.mjs";
import { fuzzRoutes, makeCallers, operationsOf, storeFindings } from "./fuzz-cases.mjs";
import { root, startPlatform } from "./platform.mjs";

/** Ports no other part of the benchmark uses. */
const PORTS = { apiPort: 22787, sitePort: 22788, localPort: 22790, inspectorBase: 22230 };

/**
 * @param {{ stateDir?: string, cases?: number, seed?: number, log?: (line: string) => void }} [opts]
 */
export async function benchFuzz({
  stateDir = path.join(root, ".tmp", "fuzz-state"),
  cases = Number(process.env.FUZZ_CASES ?? 10_000),
  seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000),
  log = console.log,
} = {}) {
  rmSync(stateDir, { recursive: true, force: true });
  log(`\nfuzzing: starting a platform of its own for ${cases} cases (seed ${seed})…`);
  const platform = await startPlatform({ stateDir, ...PORTS, quiet: true });
  try {
    const document = await (await fetch(`${platform.apiUrl}/api/openapi.json`)).json();
    const ops = operationsOf(document);
    const runs = Math.ceil(cases / ops.length);
    const setup = await makeCallers(platform.apiUrl, devAdmin());
    const t0 = Date.now();
    const { tally, failures } = await fuzzRoutes(platform.apiUrl, document, ops, setup, {
      runs,
      seed,
      stateDir,
      onRoute: (op, n, failed) => failed.length && log(`  ${op.key}: ${failed.length} of ${n} cases failed`),
    });
    const ms = Date.now() - t0;
    const findings = await storeFindings(stateDir);
    return { routes: ops.length, runsPerRoute: runs, seed, ...tally, failures, findings, ms };
  } finally {
    await platform.stop();
  }
}

/** @param {Awaited<ReturnType<typeof benchFuzz>>} r */
export function printFuzz(r) {
  console.log(`\nfuzzing every route of the table (${r.routes} routes, ${r.runsPerRoute} cases each, seed ${r.seed}):`);
  console.log(`  cases run: ${r.cases}; reached a worker behind the gateway: ${r.reached} (${((100 * r.reached) / Math.max(1, r.cases)).toFixed(1)}%)`);
  console.log(`  by status: ${Object.entries(r.byStatus).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
  console.log(`  failures: ${r.failures.length}; store findings: ${r.findings.length}; time: ${(r.ms / 1000).toFixed(1)} s (${(r.ms / Math.max(1, r.cases)).toFixed(1)} ms a case)`);
  for (const f of r.failures.slice(0, 20)) console.log(`  FAIL ${f.failure}\n       ${f.request}`);
  for (const f of r.findings.slice(0, 20)) console.log(`  STORE ${f}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchFuzz();
  printFuzz(r);
  if (r.failures.length || r.findings.length) process.exitCode = 1;
}
