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
  }
}

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
    log: (line) => lines.push(line),
  }).catch((err: unknown) => {
    // The platform's own output says why it did not start.
    console.error(lines.join(""));
    throw err;
  });
  project.provide("siteUrl", platform.siteUrl);
  project.provide("apiUrl", platform.apiUrl);
  project.provide("localUrl", platform.localUrl);
  return async () => {
    if (process.env.E2E_LOG) console.log(lines.join(""));
    await platform.stop();
  };
}
