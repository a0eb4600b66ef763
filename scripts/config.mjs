// Writes every worker's wrangler.toml from infra/topology.mjs (see there why).
// `node scripts/config.mjs --check` fails if a committed file is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { batchTimeout, deadLetterQueues, devSecretValue, environments, metricsDataset, producerBinding, queues, workers } from "../infra/topology.mjs";

const COMPAT_DATE = "2026-11-01";
const q = (s) => JSON.stringify(s);

function workerName(name, env) {
  return `statex-${name}${environments[env].suffix}`;
}

function queueName(name, env) {
  return `statex-${name}${environments[env].suffix}`;
}

/** REDRIVE_AI_TASKS for ai-tasks: the producer that sends a dead letter back to its queue. */
function redriveBinding(queue) {
  return `REDRIVE_${producerBinding[queue].slice("Q_".length)}`;
}

/**
 * The lowest log level a worker also echoes to the console. In the cloud, info: Workers Logs keep it. Locally,
 * warn for a worker that ships its lines to the logging worker (each line is kept there, by correlation id): every
 * worker shares one workerd thread, and echoing a line to wrangler's terminal costs that thread a noticeable share of
 * a submission's CPU (the README gives the figure). `LOG_CONSOLE=debug` in .dev.vars shows every line again.
 * The logging worker ships nowhere, so it echoes info everywhere.
 */
function logConsole(w, env) {
  return env === "dev" && (w.produces ?? []).includes("logs") ? "warn" : "info";
}

function bindings(name, w, env, prefix, migrationsDir) {
  const out = [];
  const e = environments[env];
  const vars = Object.entries(w.vars ?? {})
    .map(([k, v]) => [k, v.all ?? v[env]])
    .filter(([, v]) => v !== undefined);
  if (env === "dev") for (const name of w.secrets ?? []) vars.push([name, devSecretValue(name)]);
  vars.push(["ENVIRONMENT", env === "dev" ? "development" : env]);
  vars.push(["LOG_CONSOLE", logConsole(w, env)]);
  out.push(`[${prefix}vars]`, ...vars.map(([k, v]) => `${k} = ${q(v)}`), "");
  if (env !== "dev" && w.secrets?.length) out.push(`[${prefix}secrets]`, `required = ${JSON.stringify(w.secrets)}`, "");
  if (w.workersAi?.[env]) out.push(`[${prefix}ai]`, `binding = "AI"`, "");
  if (w.sendEmail?.[env]) out.push(`[[${prefix}send_email]]`, `name = ${q(w.sendEmail[env])}`, "");
  if (w.d1) {
    out.push(`[[${prefix}d1_databases]]`, `binding = "DB"`, `database_name = ${q(`statex${e.suffix || (env === "production" ? "" : "")}`)}`,
      `database_id = ${q(e.d1Id)}`, `migrations_dir = ${q(migrationsDir)}`, "");
  }
  // Metric data points (shared/src/metrics.ts) in the cloud; locally wrangler would drop them, so workers ship them
  // to the logging worker's D1 roll-up instead.
  if (env !== "dev") out.push(`[[${prefix}analytics_engine_datasets]]`, `binding = "METRICS"`, `dataset = ${q(metricsDataset[env])}`, "");
  if (w.r2) out.push(`[[${prefix}r2_buckets]]`, `binding = "FILES"`, `bucket_name = ${q(e.bucket)}`, "");
  for (const [binding, target] of Object.entries(w.services ?? {})) {
    const [svc, entrypoint] = Array.isArray(target) ? target : [target];
    out.push(`[[${prefix}services]]`, `binding = ${q(binding)}`, `service = ${q(workerName(svc, env))}`);
    if (entrypoint) out.push(`entrypoint = ${q(entrypoint)}`);
    out.push("");
  }
  for (const [binding, className] of Object.entries(w.durableObjects ?? {})) {
    out.push(`[[${prefix}durable_objects.bindings]]`, `name = ${q(binding)}`, `class_name = ${q(className)}`, "");
  }
  for (const p of w.produces ?? []) {
    out.push(`[[${prefix}queues.producers]]`, `binding = ${q(producerBinding[p])}`, `queue = ${q(queueName(p, env))}`, "");
  }
  for (const r of w.redrives ?? []) {
    out.push(`[[${prefix}queues.producers]]`, `binding = ${q(redriveBinding(r))}`, `queue = ${q(queueName(r, env))}`, "");
  }
  for (const [qname, qc] of Object.entries(queues)) {
    if (qc.consumer !== name) continue;
    out.push(`[[${prefix}queues.consumers]]`, `queue = ${q(queueName(qname, env))}`, `max_batch_size = ${qc.batchSize}`,
      `max_batch_timeout = ${qc.batchTimeout?.[env] ?? batchTimeout[env]}`, `max_retries = ${qc.retries}`, `dead_letter_queue = ${q(queueName(`${qname}-dlq`, env))}`, "");
  }
  if (name === "logging") {
    for (const dlq of deadLetterQueues) {
      out.push(`[[${prefix}queues.consumers]]`, `queue = ${q(queueName(dlq, env))}`, `max_batch_size = 100`,
        `max_batch_timeout = ${batchTimeout[env]}`, `max_retries = 10`, "");
    }
  }
  for (const [binding, rl] of Object.entries(w.ratelimits ?? {})) {
    out.push(`[[${prefix}ratelimits]]`, `name = ${q(binding)}`, `namespace_id = ${q(String(rl.id))}`,
      `simple = { limit = ${rl.limit}, period = ${rl.period} }`, "");
  }
  if (w.crons) out.push(`[${prefix}triggers]`, `crons = ${JSON.stringify(w.crons)}`, "");
  return out;
}

function render(name, w, atRoot) {
  const main = atRoot ? `workers/${name}/src/index.ts` : "src/index.ts";
  const migrationsDir = atRoot ? "migrations" : "../../migrations";
  const lines = [
    `# statex-${name}: ${w.description}.`,
    "# Generated by `npm run config` from infra/topology.mjs: edit that file, not this one.",
    atRoot ? "# The gateway is the primary worker of `npm run dev`; workers/gateway/wrangler.toml is the same worker for its own tests." : "",
    `name = ${q(workerName(name, "dev"))}`,
    `main = ${q(main)}`,
    `compatibility_date = ${q(COMPAT_DATE)}`,
    `workers_dev = ${w.public ? "true" : "false"}`,
    ...(w.minify ? ["minify = true", "upload_source_maps = true"] : []),
    "",
    "[observability]",
    "enabled = true",
    "",
  ].filter((l, i) => l !== "" || i > 3);
  for (const [tag, classes] of w.durableObjectMigrations ?? (w.durableObjects ? [["v1", Object.values(w.durableObjects)]] : [])) {
    lines.push("[[migrations]]", `tag = ${q(tag)}`, `new_sqlite_classes = ${JSON.stringify(classes)}`, "");
  }
  lines.push(...bindings(name, w, "dev", "", migrationsDir));
  for (const env of ["staging", "production"]) {
    lines.push(`# --- ${env} ---`, `[env.${env}]`, `name = ${q(workerName(name, env))}`, "");
    lines.push(...bindings(name, w, env, `env.${env}.`, migrationsDir));
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

const check = process.argv.includes("--check");
const stale = [];
for (const [name, w] of Object.entries(workers)) {
  const targets = [[`workers/${name}/wrangler.toml`, false]];
  if (name === "gateway") targets.push(["wrangler.toml", true]);
  for (const [path, atRoot] of targets) {
    const text = render(name, w, atRoot);
    let current = "";
    try { current = readFileSync(path, "utf8"); } catch {}
    if (current === text) continue;
    if (check) stale.push(path);
    else writeFileSync(path, text);
  }
}
if (stale.length) {
  console.error(`wrangler configs out of date (run npm run config): ${stale.join(", ")}`);
  process.exit(1);
}
