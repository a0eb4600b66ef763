import { defineConfig } from "vitest/config";

// Each worker is a project running inside the Workers runtime with its own bindings.
export default defineConfig({
  test: { projects: ["workers/*/vitest.config.ts", "workers/orchestrator/vitest.slots.config.ts", "workers/notify/vitest.breakers.config.ts", "e2e/vitest.config.ts"] },
});
