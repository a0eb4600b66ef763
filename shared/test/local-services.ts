/**
 * vitest globalSetup: starts the real local services (local/server.mjs) on a free port
 * with an empty outbox in a temporary folder, and provides the port as
 * `localServicesPort` so a project's bindings can point base URLs (EMAIL_API_URL,
 * OUTBOX_URL) at it. Stopped and cleaned when the project's tests end.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalServices } from "../../local/server.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    localServicesPort: number;
  }
}

/** The path to give a project's `globalSetup`. */
export const localServicesSetup = import.meta.filename;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "statex-local-services-"));
  const services = await startLocalServices({ port: 0, dataDir });
  project.provide("localServicesPort", services.port);
  return async () => {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
