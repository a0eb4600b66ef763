// Generates each worker's Env from its wrangler.toml (`wrangler types`), with
// the configs of the workers it calls over RPC so those bindings are typed.
// `--check` fails when a generated file is out of date (CI runs it).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { workers } from "../infra/topology.mjs";

const wranglerBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules/wrangler/bin/wrangler.js");

const check = process.argv.includes("--check");
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
let failed = false;
for (const [name, w] of Object.entries(workers)) {
  if (only.length && !only.includes(name)) continue;
  const callees = Object.values(w.services ?? {})
    .filter((t) => Array.isArray(t))
    .map(([svc]) => svc);
  const configs = [name, ...new Set(callees)].flatMap((n) => ["-c", `workers/${n}/wrangler.toml`]);
  // A name per worker, so a caller's program can hold its callee's Env beside its own (typed RPC imports the callee's source).
  const envInterface = `${name[0].toUpperCase()}${name.slice(1)}Env`;
  const args = ["types", ...configs, "--include-runtime=false", "--include-main-module=false", `--env-interface=${envInterface}`, `workers/${name}/worker-configuration.d.ts`];
  if (check) args.push("--check");
  try {
    execFileSync(process.execPath, [wranglerBin, ...args], { stdio: check ? "pipe" : "inherit" });
  } catch (err) {
    failed = true;
    console.error(`${name}: ${check ? "worker-configuration.d.ts is out of date (run npm run types)" : "wrangler types failed"}`);
    if (!check) console.error(String(err));
  }
}
if (failed) process.exit(1);
