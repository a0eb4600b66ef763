// Workers under their own `wrangler dev` for the benchmark: their own workerd, state and dev registry, so a reading
// is of those workers alone (the floor, the submission path without consumers, the accounts' gateway + identity).
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { localTracesEnv, root } from "./platform.mjs";

export const wranglerBin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * Applies the migrations to `state` (through the last config, which must bind D1), starts the workers of `configs`
 * (the first is the primary, reached at `port`) and resolves with the child once `isReady()` says they answer.
 */
export async function startWorkers(state, configs, port, isReady) {
  execFileSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "statex", "--local", "-c", configs.at(-1), "--persist-to", state], { cwd: root, stdio: "pipe" });
  const child = spawn(process.execPath, [wranglerBin, "dev", ...configs.flatMap((c) => ["-c", c]), "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(port + 1000),
    "--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "warn"],
    // Output nobody reads must not sit in a pipe: once a pipe's buffer is full, the writer blocks (the worker with it).
    { cwd: root, env: { ...process.env, WRANGLER_REGISTRY_PATH: path.join(state, "registry"), ...localTracesEnv }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4_000)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if (await isReady()) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`${configs.join(" + ")} did not start:\n${stderr}`);
}

/** Stops workers started by `startWorkers` and resolves once they exited, so the next may use the same state. */
export function stopWorkers(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });
}
