// Builds the static site into site/dist: the HTML and stylesheet as they are,
// and each page's TypeScript module bundled and minified by esbuild.
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const site = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "site");

export async function buildSite() {
  const dist = path.join(site, "dist");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  cpSync(path.join(site, "public"), dist, { recursive: true });
  // Every module but the shared ones is a page's script.
  const shared = new Set(["api.ts", "live.ts", "analysis.ts", "session.ts"]);
  const entries = readdirSync(path.join(site, "src")).filter((f) => f.endsWith(".ts") && !shared.has(f));
  await build({
    entryPoints: entries.map((f) => path.join(site, "src", f)),
    outdir: path.join(dist, "js"),
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2022",
    logLevel: "warning",
  });
  return dist;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildSite();
  console.log("site built into site/dist");
}
