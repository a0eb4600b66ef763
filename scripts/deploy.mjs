// `npm run deploy -- --env staging|production`: deploys the platform. It creates
// nothing: the D1 database, R2 bucket, queues, Pages project and secrets are made
// once by hand (README, "Deploying"); this script checks they are configured,
// applies the D1 migrations, deploys every worker (callees first, the gateway
// last) and publishes the site to Pages.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { environments, workers } from "../infra/topology.mjs";
import { buildSite } from "./build-site.mjs";
import { checkNode, root } from "./platform.mjs";

checkNode();
const envIndex = process.argv.indexOf("--env");
const env = envIndex > 0 ? process.argv[envIndex + 1] : undefined;
if (env !== "staging" && env !== "production") {
  console.error("usage: npm run deploy -- --env staging|production");
  process.exit(2);
}
const wranglerBin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const wrangler = (args, opts = {}) => execFileSync(process.execPath, [wranglerBin, ...args, "--env", env], { cwd: root, encoding: "utf8", ...opts });
const config = (name) => (name === "gateway" ? "wrangler.toml" : `workers/${name}/wrangler.toml`);

if (environments[env].d1Id.startsWith("REPLACE_")) {
  console.error(`Set the ${env} D1 database id in infra/topology.mjs (environments.${env}.d1Id) and run npm run config first.`);
  process.exit(1);
}

const missing = [];
for (const [name, w] of Object.entries(workers)) {
  if (!w.secrets?.length) continue;
  let present = [];
  try {
    present = JSON.parse(wrangler(["secret", "list", "--format", "json", "-c", config(name)], { stdio: ["ignore", "pipe", "pipe"] })).map((s) => s.name);
  } catch {
    // A worker that was never deployed has no secrets yet.
  }
  for (const s of w.secrets) if (!present.includes(s)) missing.push(`${s} (${name})`);
}
if (missing.length) {
  console.error(`Missing secrets in ${env}: ${missing.join(", ")}.\nSet each with: npx wrangler secret put NAME -c <worker config> --env ${env}`);
  process.exit(1);
}

const database = env === "staging" ? "statex-staging" : "statex";
wrangler(["d1", "migrations", "apply", database, "--remote", "-c", config("intake")], { stdio: "inherit" });

// Callees before callers, so no service binding points at a worker that is not there yet.
const order = ["logging", "notify", "content", "identity", "orchestrator", "ai", "intake", "gateway"];
for (const name of order) wrangler(["deploy", "-c", config(name)], { stdio: "inherit" });

await buildSite(env);
execFileSync(process.execPath, [wranglerBin, "pages", "deploy", "dist", "--project-name", "statex-site", "--branch", env === "production" ? "main" : "staging"], {
  cwd: path.join(root, "site"),
  stdio: "inherit",
});
console.log(`StateX Edge deployed to ${env}.`);
