/**
 * The vitest project of one worker: its own wrangler.toml inside the Workers
 * runtime (real D1, R2, Queues, Durable Objects from miniflare), with the D1
 * migrations applied before each test file.
 */
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { auxiliaryWorker } from "./auxiliary";

/** Reads a value a globalSetup provided (`project.provide(key, value)`), e.g. a server's port. */
type Inject = <T>(key: string) => T;
type Bindings = Record<string, unknown>;

type Options = {
  /** false for a worker without D1: no migrations to apply. */
  d1?: boolean;
  /** Extra bindings; a function when they depend on what a globalSetup provided (like a local server's port). */
  bindings?: Bindings | ((inject: Inject) => Bindings);
  /** Node-side setup run once per project before its tests (e.g. `shared/test/local-services.ts`). */
  globalSetup?: string[];
  /**
   * Workers (folder names under workers/) to run beside this one, so its service bindings reach them; with
   * `bindings`, some of theirs replaced (a function when they depend on what a globalSetup provided).
   */
  auxiliary?: (string | { name: string; bindings: (inject: Inject) => Bindings })[];
  /** More miniflare options for the worker under test, e.g. bindings to an auxiliary worker's D1 or Durable Objects. */
  miniflare?: Record<string, unknown>;
  /** A second project of the same worker, with its own runtime and storage: its name and test files. */
  variant?: { name: string; include: string[] };
};

export function workerProject(dir: string, options: Options = {}) {
  const name = path.basename(dir);
  return defineConfig(async () => {
    const migrations = await readD1Migrations(path.join(dir, "../../migrations"));
    const auxiliary = (options.auxiliary ?? []).map((w) => (typeof w === "string" ? { name: w, bindings: () => ({}) } : w));
    const built = await Promise.all(auxiliary.map(async (w) => ({ options: await auxiliaryWorker(w.name), bindings: w.bindings })));
    return {
      plugins: [
        // A function, so bindings can use values the globalSetup provided once it has run.
        cloudflareTest(({ inject }) => {
          const workers = built.map((w) => ({ ...w.options, bindings: { ...w.options.bindings, ...w.bindings((key) => inject(key)) } }));
          return {
            wrangler: { configPath: path.join(dir, "wrangler.toml") },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                ...(typeof options.bindings === "function" ? options.bindings((key) => inject(key)) : options.bindings),
              },
              ...(workers.length ? { workers } : {}),
              ...options.miniflare,
            },
          };
        }),
      ],
      test: {
        name: options.variant?.name ?? name,
        root: dir,
        include: options.variant?.include ?? ["test/**/*.test.ts"],
        setupFiles: options.d1 === false ? [] : [path.join(import.meta.dirname, "apply-migrations.ts")],
        ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
      },
    };
  });
}
