// Builds the static site into site/dist: the HTML (with the shared head and header put
// in) and stylesheet, and each page's TypeScript module bundled and minified by esbuild,
// with intake's file limits as the environment's topology sets them.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { workers } from "../infra/topology.mjs";
import { SITE_HEAD, SITE_HEAD_SLOT, SITE_HEADER, SITE_HEADER_SLOT } from "../shared/src/site.ts";

const site = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "site");

/** Each slot a page must have, and what goes there: the one copy the content worker's pages use too. */
const slots = [
  [SITE_HEAD_SLOT, SITE_HEAD],
  [SITE_HEADER_SLOT, SITE_HEADER],
];

/** One of intake's vars in an environment, as `npm run config` writes it into intake's wrangler.toml. */
function intakeVar(name, env) {
  const spec = workers.intake.vars[name];
  const value = spec?.all ?? spec?.[env];
  if (value === undefined) throw new Error(`infra/topology.mjs gives intake no ${name} for ${env}`);
  return value;
}

/** @param {string} env the environment whose limits the form checks: dev, staging or production */
export async function buildSite(env = "dev") {
  const dist = path.join(site, "dist");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  cpSync(path.join(site, "public"), dist, { recursive: true });
  for (const page of readdirSync(dist).filter((f) => f.endsWith(".html"))) {
    const file = path.join(dist, page);
    let html = readFileSync(file, "utf8");
    for (const [slot, content] of slots) {
      if (!html.includes(slot)) throw new Error(`site/public/${page} has no ${slot}`);
      html = html.replace(slot, content);
    }
    writeFileSync(file, html);
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
    // site/src/lib/files.ts declares these: the form refuses what intake would refuse, from the same numbers.
    define: {
      INTAKE_MAX_FILE_BYTES: JSON.stringify(Number(intakeVar("MAX_FILE_BYTES", env))),
      INTAKE_MAX_FILES: JSON.stringify(Number(intakeVar("MAX_FILES", env))),
    },
  });
  return dist;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildSite();
  console.log("site built into site/dist");
}
