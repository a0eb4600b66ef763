// The workers' TypeScript run in plain Node: bundled by esbuild (extensionless imports, npm dependencies,
// the shared package) into one ES module, then imported. For stand-ins that answer with the project's own
// methods, and benchmarks that time them, on the same V8 as workerd.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const repoRoot = path.join(import.meta.dirname, "..");

/**
 * Bundles `contents` (export lines, paths relative to the repository root) into `outfile` and imports it.
 * esbuild is loaded here, not at the top, so a process that never bundles never loads it.
 */
export async function importWorkerCode(contents, outfile) {
  const { build } = await import("esbuild");
  await mkdir(path.dirname(outfile), { recursive: true });
  await build({
    stdin: { contents, resolveDir: repoRoot, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile,
    logLevel: "silent",
    // CommonJS dependencies bundled into ESM still call require for Node built-ins.
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  });
  return import(pathToFileURL(outfile).href);
}
