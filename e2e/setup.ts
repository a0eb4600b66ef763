// Boots a fresh platform on its own ports and state directory for the suite.
import { rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startPlatform } from "../scripts/platform.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    siteUrl: string;
    apiUrl: string;
    localUrl: string;
    /** Where the platform keeps its local storage (D1, R2, Durable Objects), for tests that check what it holds. */
    stateDir: string;
    /** How long a sent message waits for its delivery report before notify tries the next channel. */
    deliveryWindowSeconds: number;
  }
}

const DELIVERY_WINDOW_SECONDS = 10;

export default async function setup(project: TestProject) {
  const stateDir = path.resolve(import.meta.dirname, "../.tmp/e2e-state");
  rmSync(stateDir, { recursive: true, force: true });
  const lines: string[] = [];
  const platform = await startPlatform({
    stateDir,
    apiPort: 18787,
    sitePort: 18788,
    localPort: 18790,
    inspectorBase: 19230,
    // A task that never answers (the fault switch) fails for good after two attempts of 15 s, about 35 s, rather
    // than the dev defaults' three of 30 s. 15 s is still about twice the slowest real task of the suite (the
    // browser test's 9 MB recording: ~6 s idle). The API timeout stays below the attempt's, as in
    // infra/topology.mjs, so a stalled provider still falls through to the next in time.
    // The delivery window is 10 s rather than the dev default's 60: the stand-ins report delivery within 2 s, and the
    // test of a report that never comes waits the window out.
    vars: { TASK_TIMEOUT_MS: "15000", TASK_MAX_ATTEMPTS: "2", AI_API_TIMEOUT_MS: "12000", DELIVERY_WINDOW_SECONDS: String(DELIVERY_WINDOW_SECONDS) },
    log: (line) => lines.push(line),
  }).catch((err: unknown) => {
    // The platform's own output says why it did not start.
    console.error(lines.join(""));
    throw err;
  });
  project.provide("siteUrl", platform.siteUrl);
  project.provide("apiUrl", platform.apiUrl);
  project.provide("localUrl", platform.localUrl);
  project.provide("stateDir", stateDir);
  project.provide("deliveryWindowSeconds", DELIVERY_WINDOW_SECONDS);
  return async () => {
    if (process.env.E2E_LOG) console.log(lines.join(""));
    await platform.stop();
  };
}
