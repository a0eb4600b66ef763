/**
 * The vitest project of one worker: its own wrangler.toml inside the Workers
 * runtime (real D1, R2, Queues, Durable Objects from miniflare), with the D1
 * migrations applied before each test file.
 */
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

type Options = { d1?: boolean; bindings?: Record<string, unknown>; workers?: Record<string, unknown>[] };

export function workerProject(dir: string, options: Options = {}) {
  const name = path.basename(dir);
  return defineConfig(async () => {
    const migrations = await readD1Migrations(path.join(dir, "../../migrations"));
    return {
      plugins: [
        cloudflareTest({
          wrangler: { configPath: path.join(dir, "wrangler.toml") },
          miniflare: {
            bindings: { TEST_MIGRATIONS: migrations, ...options.bindings },
            ...(options.workers ? { workers: options.workers } : {}),
          },
        }),
      ],
      test: {
        name,
        root: dir,
        include: ["test/**/*.test.ts"],
        setupFiles: options.d1 === false ? [] : [path.join(import.meta.dirname, "apply-migrations.ts")],
      },
    };
  });
}
