// Starts the whole platform locally: migrations, the local services (outbox,
// model server), every worker under one `wrangler dev` (miniflare: local D1,
// R2, Queues, Durable Objects) and the site under `wrangler pages dev`, which
// reaches the gateway through wrangler's local dev registry.
// Used by `npm run dev`, the end-to-end tests and the benchmark.
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { devSecretValue } from "../infra/topology.mjs";
import { buildSite } from "./build-site.mjs";
import { seedDevAdmin } from "./create-admin.mjs";
import { startLocalCron } from "./local-cron.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/** Every worker config; the gateway (root wrangler.toml) first, as the primary worker. */
export const workerConfigs = ["wrangler.toml", ...["identity", "intake", "orchestrator", "ai", "notify", "content", "logging"].map((w) => `workers/${w}/wrangler.toml`)];

/** Checks the Node version: wrangler needs >= 22.12, which the project pins as a devDependency. */
export function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    throw new Error(`Node ${process.versions.node} is too old: run through npm (npm run dev), which uses the pinned Node 22`);
  }
}

/**
 * Wrangler attaches its own trace collector to every local worker unless told not to. It stores a span for
 * every invocation, D1 query and queue send in SQLite on the workers' one thread, a large share of the CPU a
 * request costs end to end (the README gives the figure). The platform's own audit trail (the logging worker) is its observability, so the collector is off unless
 * STATEX_LOCAL_TRACES=1 asks for wrangler's trace view.
 */
export const localTracesEnv = { X_LOCAL_OBSERVABILITY: process.env.STATEX_LOCAL_TRACES === "1" ? "true" : "false" };

function wrangler(args, opts) {
  return spawn(process.execPath, [wranglerBin, ...args], { cwd: root, ...opts });
}

/**
 * Points the bot's updates at the gateway, as a deploy calls setWebhook on the real Bot API: the local Telegram then
 * sends each Update there with the secret token, like Telegram.
 */
async function setTelegramWebhook(localUrl, webhookUrl) {
  const res = await fetch(`${localUrl}/telegram/bot${devSecretValue("TELEGRAM_BOT_TOKEN")}/setWebhook`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: webhookUrl, secret_token: devSecretValue("TELEGRAM_WEBHOOK_SECRET") }),
  });
  const answer = await res.json();
  if (!answer.ok) throw new Error(`setWebhook on the local Telegram answered ${res.status}: ${answer.description}`);
}

async function waitFor(url, timeoutMs, isUp = (res) => res.ok) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (await isUp(res)) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms (${last})`);
}

/**
 * Starts everything and resolves once the site answers /api/health through the gateway.
 * `restartable`: `wrangler dev` runs in a process group of its own, so `restartWorkers` can kill it with its workerd.
 * @param {{ stateDir?: string, apiPort?: number, sitePort?: number, localPort?: number, inspectorBase?: number, vars?: Record<string,string>, log?: (line: string) => void, quiet?: boolean, chatPieceDelayMs?: number, restartable?: boolean }} opts
 */
export async function startPlatform(opts = {}) {
  checkNode();
  const stateDir = path.resolve(root, opts.stateDir ?? ".wrangler/state");
  const apiPort = opts.apiPort ?? 8787;
  const sitePort = opts.sitePort ?? 8788;
  const localPort = opts.localPort ?? 8790;
  const inspectorBase = opts.inspectorBase ?? 9230;
  const log = opts.log ?? ((line) => process.stdout.write(line));
  mkdirSync(stateDir, { recursive: true });
  // Each platform instance has its own dev registry, so a test run beside `npm run dev` never crosses wires.
  const env = { ...process.env, WRANGLER_REGISTRY_PATH: path.join(stateDir, "registry"), WRANGLER_SEND_METRICS: "false", CI: process.env.CI ?? "", ...localTracesEnv };
  const children = [];
  let restartWorkers;
  const cleanups = [];
  const stop = async () => {
    for (const cleanup of cleanups) cleanup();
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", resolve);
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
          }),
      ),
    );
  };
  const pipe = (name, child) => {
    const prefix = `[${name}] `;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk) => {
        if (opts.quiet) return;
        for (const line of String(chunk).split("\n")) if (line.trim()) log(prefix + line + "\n");
      });
    }
    child.on("exit", (code, signal) => {
      if (code && !opts.quiet) log(`${prefix}exited with ${code ?? signal}\n`);
    });
  };

  try {
    await buildSite();
    execFileSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "statex", "--local", "-c", "workers/intake/wrangler.toml", "--persist-to", stateDir], {
      cwd: root,
      env,
      stdio: opts.quiet ? "pipe" : "inherit",
    });
    // No static token opens ops routes: the development admin (scripts/create-admin.mjs) is there from the start, for
    // whoever runs `npm run dev` and for the tests and the benchmark, which sign in with it.
    const admin = await seedDevAdmin({ persistTo: stateDir });

    const local = spawn(process.execPath, [path.join(root, "local", "server.mjs")], {
      cwd: root,
      // The channels' webhooks (delivery reports, the client's messages) go to this instance's gateway.
      env: { ...env, LOCAL_SERVICES_PORT: String(localPort), LOCAL_SERVICES_DATA: path.join(stateDir, "local-services"), LOCAL_WEBHOOK_BASE: `http://127.0.0.1:${apiPort}`,
        ...(opts.chatPieceDelayMs === undefined ? {} : { LOCAL_CHAT_PIECE_MS: String(opts.chatPieceDelayMs) }) },
    });
    children.push(local);
    pipe("local", local);

    const localUrl = `http://127.0.0.1:${localPort}`;
    const vars = {
      EMAIL_API_URL: `${localUrl}/email`,
      TELEGRAM_API_URL: `${localUrl}/telegram`,
      WHATSAPP_API_URL: `${localUrl}/whatsapp`,
      AI_API_URL: `${localUrl}/v1`,
      OUTBOX_URL: localUrl,
      CORS_ORIGINS: `http://127.0.0.1:${sitePort},http://localhost:${sitePort}`,
      SITE_URL: `http://127.0.0.1:${sitePort}`,
      ...opts.vars,
    };
    // wrangler's debug log of the workers, where the local cron driver finds them (scripts/local-cron.mjs); begun
    // again with every start.
    const workersLog = path.join(stateDir, "logs", "wrangler-workers.log");
    // `--var` reaches only the primary worker, so per-instance values (ports) reach every worker as
    // process environment, which wrangler passes to local workers when CLOUDFLARE_INCLUDE_PROCESS_ENV
    // is set. The environment is cut down to what wrangler needs, so nothing else leaks into workers.
    const workerEnv = {
      PATH: process.env.PATH ?? "",
      WRANGLER_LOG_PATH: workersLog,
      HOME: process.env.HOME ?? "",
      WRANGLER_REGISTRY_PATH: env.WRANGLER_REGISTRY_PATH,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
      ...localTracesEnv,
      ...vars,
    };
    const startWorkers = () => {
      mkdirSync(path.dirname(workersLog), { recursive: true });
      writeFileSync(workersLog, "");
      const workers = wrangler(
        ["dev", ...workerConfigs.flatMap((c) => ["-c", c]), "--ip", "127.0.0.1", "--port", String(apiPort), "--inspector-port", String(inspectorBase),
          "--persist-to", stateDir, "--show-interactive-dev-session=false", "--log-level", opts.quiet ? "warn" : "log"],
        // Its own process group when it may be restarted, so a kill reaches workerd too and no orphan keeps the port.
        { env: workerEnv, detached: Boolean(opts.restartable) },
      );
      children.push(workers);
      pipe("workers", workers);
      return workers;
    };
    let workers = startWorkers();
    /**
     * Kills `wrangler dev` and its workerd at once (SIGKILL to the process group: no graceful shutdown, as a crash) and
     * starts it again on the same state directory, while the local services and the site keep running. Resolves once
     * the gateway answers again. For the fault run (scripts/chaos.mjs).
     */
    restartWorkers = async () => {
      const old = workers;
      await new Promise((resolve) => {
        if (old.exitCode !== null || old.signalCode !== null) return resolve();
        old.once("exit", resolve);
        try {
          if (opts.restartable) process.kill(-old.pid, "SIGKILL");
          else old.kill("SIGKILL");
        } catch {
          old.kill("SIGKILL");
        }
      });
      children.splice(children.indexOf(old), 1);
      workers = startWorkers();
      // The route table, which the gateway answers alone: a loaded machine's health checks may pass their deadline
      // and answer 503 while every worker is already running again.
      await waitFor(`http://127.0.0.1:${apiPort}/api`, 300_000);
      await setTelegramWebhook(localUrl, `http://127.0.0.1:${apiPort}/api/webhooks/telegram`);
    };

    // `wrangler pages dev` run inside this repository binds the root wrangler.toml (the gateway's)
    // instead of site/wrangler.toml, so the Pages project runs from a copy outside the repository.
    const siteDir = path.join(os.tmpdir(), `statex-site-${sitePort}`);
    rmSync(siteDir, { recursive: true, force: true });
    for (const part of ["wrangler.toml", "functions", "dist"]) cpSync(path.join(root, "site", part), path.join(siteDir, part), { recursive: true });
    const site = spawn(process.execPath, [wranglerBin, "pages", "dev", "--ip", "127.0.0.1", "--port", String(sitePort), "--inspector-port", String(inspectorBase + 1),
      "--persist-to", stateDir, "--show-interactive-dev-session=false", "--log-level", "warn"], { cwd: siteDir, env });
    children.push(site);
    pipe("site", site);

    const siteUrl = `http://127.0.0.1:${sitePort}`;
    await waitFor(`http://127.0.0.1:${apiPort}/api/health`, 120_000);
    await waitFor(`${siteUrl}/api/health`, 60_000);
    await waitFor(`${localUrl}/health`, 30_000);
    await setTelegramWebhook(localUrl, `http://127.0.0.1:${apiPort}/api/webhooks/telegram`);
    const cron = startLocalCron({ logPath: workersLog, log });
    cleanups.push(cron.stop);
    return { siteUrl, apiUrl: `http://127.0.0.1:${apiPort}`, localUrl, stateDir, admin, stop, restartWorkers };
  } catch (err) {
    await stop();
    throw err;
  }
}
