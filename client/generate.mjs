#!/usr/bin/env node
/**
 * Writes the OpenAPI document (client/src/openapi.json) and the client's types generated from it by openapi-typescript
 * (client/src/schema.d.ts), from the same function the gateway serves /api/openapi.json with, once the document
 * validates as OpenAPI 3.1. `--check` writes nothing and fails when either file is not what the code would write now,
 * as `npm run types:check` does for Env.
 */
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileErrors, validate } from "@readme/openapi-parser";
import { build } from "esbuild";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const check = process.argv.includes("--check");

// The gateway's module is TypeScript importing the shared workspace: esbuild bundles it for Node to run once.
const bundled = await build({
  entryPoints: [join(root, "workers/gateway/src/openapi.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  write: false,
  logLevel: "warning",
});
const code = bundled.outputFiles[0]?.text ?? "";
const { apiDocument } = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
const document = apiDocument();

// The document must be valid OpenAPI 3.1 before anything is written from it: the specification's schema, and its
// rules a schema cannot state (every {param} of a path declared, operation ids unique, …).
const validated = await validate(structuredClone(document));
if (!validated.valid) {
  console.error(compileErrors(validated));
  process.exit(1);
}

const files = {
  "src/openapi.json": `${JSON.stringify(document, null, 2)}\n`,
  "src/schema.d.ts": astToString(await openapiTS(document, { alphabetize: false })),
};

let stale = 0;
for (const [name, text] of Object.entries(files)) {
  const path = join(here, name);
  if (!check) {
    await writeFile(path, text);
    console.log(`wrote client/${name}`);
    continue;
  }
  const current = await readFile(path, "utf8").catch(() => "");
  if (current !== text) {
    stale++;
    console.error(`client/${name} is not current: run npm run openapi`);
  }
}
if (stale) process.exit(1);
if (check) console.log("the OpenAPI document and the client's types are current");
