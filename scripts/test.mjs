// `npm test`: the checks that keep generated files honest, the type check, then
// every test: each worker inside the Workers runtime, and the end-to-end suite
// (the whole platform under wrangler dev, and the site in Chromium).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from "node:fs";
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
const unitsReport = path.join(root, ".tmp", "vitest-units-report.json");
const unitsLog = path.join(root, ".tmp", "vitest-units.log");
/** Runs a command; resolves with its exit code. `out`: a file for its output instead of this terminal. */
const run = (cmd, args, out) =>
  new Promise((resolve) => {
    const fd = out ? openSync(out, "w") : "inherit";
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", fd, fd] });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
const vitest = (args, json, out) => run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${json}`, ...args], out);
process.stdout.write("\n▶ tests\n");
for (const file of [report, unitsReport]) rmSync(file, { force: true });
const chosen = process.argv.slice(2);
let status = { tests: 0, chaos: 0 };
if (chosen.length) {
  // Chosen tests: one run, as asked. The chaos run is only on a whole run: chosen tests are someone looking at those.
  status.tests = await vitest(chosen, report);
} else {
  // The workers' projects beside the end-to-end suite and then the platform under faults: the e2e files mostly wait
  // on the platform and the browser, the workers' files mostly on starting their workerd, so side by side they take
  // little longer than the slower alone. The workers' output is shown once everything ends, so nothing interleaves.
  process.stdout.write(`(the workers' projects run beside the end-to-end suite and the chaos run; their output follows, and is in ${path.relative(root, unitsLog)})\n`);
  const [units, [e2e, chaos]] = await Promise.all([
    vitest(["--project", "!e2e"], unitsReport, unitsLog),
    (async () => {
      // The e2e run reads its own config alone: the root config would have it bundle every worker for the workers'
      // projects too, into the files the other run is reading.
      const e2e = await vitest(["--config", "e2e/vitest.config.ts"], report);
      // The platform under faults (scripts/chaos.mjs): 100 requests, one restart of wrangler dev, counted from the stores.
      process.stdout.write("\n▶ the platform under faults (npm run chaos -- --small)\n");
      return [e2e, await run(process.execPath, ["scripts/chaos.mjs", "--small"])];
    })(),
  ]);
  process.stdout.write(`\n▶ tests of the workers (Workers runtime)\n${readFileSync(unitsLog, "utf8")}`);
  status = { tests: units || e2e, chaos };
}
try {
  const reports = [report, ...(existsSync(unitsReport) ? [unitsReport] : [])].map((file) => JSON.parse(readFileSync(file, "utf8")));
  const sum = (key) => reports.reduce((n, r) => n + r[key], 0);
  const chaosCounted = chosen.length ? [0, 0] : status.chaos ? [0, 1] : [1, 0];
  const skipped = sum("numPendingTests");
  console.log(`\n${sum("numPassedTests") + localPassed + chaosCounted[0]} passed, ${sum("numFailedTests") + localFailed + chaosCounted[1]} failed${skipped ? `, ${skipped} skipped` : ""}`);
} catch {
  console.log("\nno test report was written");
}
process.exit(status.tests || local.status || status.chaos || 0);
