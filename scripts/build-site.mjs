// Builds the static site into site/dist: the HTML (with the shared site header put
// in) and stylesheet, and each page's TypeScript module bundled and minified by esbuild.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { SITE_HEADER, SITE_HEADER_SLOT } from "../shared/src/site.ts";

const site = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "site");

export async function buildSite() {
  const dist = path.join(site, "dist");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  cpSync(path.join(site, "public"), dist, { recursive: true });
  // Every page's header from the one copy the content worker's pages use too.
  for (const page of readdirSync(dist).filter((f) => f.endsWith(".html"))) {
    const file = path.join(dist, page);
    const html = readFileSync(file, "utf8");
    if (!html.includes(SITE_HEADER_SLOT)) throw new Error(`site/public/${page} has no ${SITE_HEADER_SLOT}`);
    writeFileSync(file, html.replace(SITE_HEADER_SLOT, SITE_HEADER));
  }
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
