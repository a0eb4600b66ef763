// `npm test`: the checks that keep generated files honest, the type check, then
// every test: each worker inside the Workers runtime, and the end-to-end suite
// (the whole platform under wrangler dev, and the site in Chromium).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { checkNode, root } from "./platform.mjs";
import { ensureSystemPackages } from "./system.mjs";

checkNode();
ensureSystemPackages();
/** Every TypeScript project: each worker (with its own generated Env), the site, its Functions, the e2e suite. */
const typeProjects = [
  ...readdirSync(path.join(root, "workers")).map((w) => `workers/${w}/tsconfig.json`),
  "site/tsconfig.json",
  "site/functions/tsconfig.json",
  "e2e/tsconfig.json",
];
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const step = (label, cmd, args) => {
  process.stdout.write(`\n▶ ${label}\n`);
  execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
};

try {
  step("wrangler configs match infra/topology.mjs", process.execPath, ["scripts/config.mjs", "--check"]);
  step("Env types match the wrangler configs (wrangler types --check)", process.execPath, ["scripts/types.mjs", "--check"]);
  step("the OpenAPI document and the client's types match the route table (npm run openapi:check)", process.execPath, ["client/generate.mjs", "--check"]);
  for (const project of typeProjects) step(`type check ${project}`, bin("tsc"), ["-p", project]);
} catch {
  process.exit(1);
}

mkdirSync(path.join(root, ".tmp"), { recursive: true });
// The local services (outbox, model server) are Node programs: Node's own test runner tests them.
process.stdout.write("\n▶ local services (node --test)\n");
const localTests = readdirSync(path.join(root, "local", "test")).filter((f) => f.endsWith(".test.mjs")).map((f) => path.join("local", "test", f));
const local = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", "--test-reporter-destination=.tmp/local-tests.tap", ...localTests], {
  cwd: root,
  stdio: "inherit",
});
let localPassed = 0;
let localFailed = 0;
try {
  const tap = readFileSync(path.join(root, ".tmp", "local-tests.tap"), "utf8");
  localPassed = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  localFailed = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
} catch {
  localFailed = local.status ? 1 : 0;
}

const report = path.join(root, ".tmp", "vitest-report.json");
process.stdout.write("\n▶ tests\n");
const run = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
// The platform under faults (scripts/chaos.mjs): 100 requests, one restart of wrangler dev, counted from the stores.
// Only on a whole run: a run of chosen tests (arguments given) is someone looking at those.
let chaos = { status: 0 };
if (!process.argv.slice(2).length) {
  process.stdout.write("\n▶ the platform under faults (npm run chaos -- --small)\n");
  chaos = spawnSync(process.execPath, ["scripts/chaos.mjs", "--small"], { cwd: root, stdio: "inherit" });
}
try {
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, "utf8"));
  const chaosCounted = process.argv.slice(2).length ? [0, 0] : chaos.status ? [0, 1] : [1, 0];
  console.log(`\n${numPassedTests + localPassed + chaosCounted[0]} passed, ${numFailedTests + localFailed + chaosCounted[1]} failed${numPendingTests ? `, ${numPendingTests} skipped` : ""}`);
} catch {
  console.log("\nno test report was written");
}
process.exit(run.status || local.status || chaos.status || 0);
