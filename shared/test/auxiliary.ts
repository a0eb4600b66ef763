/**
 * Other workers of the platform, running beside the worker under test in the
 * same miniflare instance, so its service bindings reach the real thing.
 * Each is bundled from its source with esbuild and configured from its own
 * wrangler.toml by wrangler itself (same bindings, same D1 and R2 ids).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const root = path.resolve(import.meta.dirname, "../..");

/** Miniflare options for `workers/<name>`, named as its wrangler.toml names it. */
export async function auxiliaryWorker(name: string, bindings: Record<string, unknown> = {}): Promise<Record<string, unknown> & { bindings: Record<string, unknown> }> {
  const configPath = path.join(root, "workers", name, "wrangler.toml");
  // modulesRules: miniflare's v5 options refuse it beside a bundled script; rootPath: the
  // worker's folder, from which workerd refuses a bundle path that climbs out with "..".
  const { modulesRules: _rules, rootPath: _root, ...workerOptions } = unstable_getMiniflareWorkerOptions(configPath).workerOptions;
  const outdir = path.join(root, ".tmp", "test-bundles", name);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(root, "workers", name, "src", "index.ts")],
    outfile: path.join(outdir, "index.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "warning",
  });
  return {
    ...workerOptions,
    name: `statex-${name}`,
    rootPath: outdir,
    modules: true,
    scriptPath: path.join(outdir, "index.js"),
    bindings: { ...(workerOptions.bindings ?? {}), ...bindings },
  };
}
