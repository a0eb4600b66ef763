import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Each worker is a project running inside the Workers runtime with its own bindings.
export default defineConfig({
  test: {
    projects: ["workers/*/vitest.config.ts", "workers/orchestrator/vitest.slots.config.ts", "workers/notify/vitest.breakers.config.ts", "e2e/vitest.config.ts"],
    // A file spends much of its time starting its workerd and waiting on it, so one file per core keeps the cores
    // busy; vitest's default leaves one core free, which on a 2-core machine ran the whole suite one file at a time.
    // The e2e project runs its files one at a time regardless (fileParallelism: false), after the others.
    maxWorkers: availableParallelism(),
  },
});
