// What `npm run backup` and `npm run restore` share: the platform's D1 database and R2 bucket opened as the real
// bindings (wrangler's getPlatformProxy, over a local state directory or, with remote bindings, an environment's),
// and the backup folder's manifest: what it holds, and the check that a folder is whole before anything reads it.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { environments } from "../infra/topology.mjs";

export const root = path.resolve(import.meta.dirname, "..");
/** The manifest's format: a restore refuses a folder written in another. */
export const FORMAT = "statex-backup/1";
export const MANIFEST = "manifest.json";

/** The database and bucket of an environment, as infra/topology.mjs names them. */
export function storesOf(env) {
  const e = environments[env];
  if (!e) throw new Error(`unknown environment ${env}: one of ${Object.keys(environments).join(", ")}`);
  return { database: env === "staging" ? "statex-staging" : "statex", databaseId: e.d1Id, bucket: e.bucket };
}

/**
 * The D1 database and R2 bucket as bindings, with nothing else of any worker: a wrangler config of just those two,
 * so the proxy starts no queues or services. Locally (`persistTo`) it opens the state `wrangler dev --persist-to`
 * keeps; for an environment (`env`) the bindings are remote, through wrangler's remote bindings (an account login or
 * CLOUDFLARE_API_TOKEN), so one code path reads both. Local state is always the dev environment's ids: they name the
 * files miniflare keeps.
 * @param {{ persistTo?: string, env?: "staging" | "production" }} where
 */
export async function openStores(where) {
  const remote = Boolean(where.env);
  const stores = storesOf(where.env ?? "dev");
  if (remote && stores.databaseId.startsWith("REPLACE_")) throw new Error(`Set the ${where.env} D1 database id in infra/topology.mjs first (README, "Deploying").`);
  const dir = path.join(root, ".wrangler", "tmp", "backup", String(process.pid));
  await mkdir(dir, { recursive: true });
  const configPath = path.join(dir, "wrangler.toml");
  const flag = remote ? "\nremote = true" : "";
  await writeFile(
    configPath,
    [
      `name = "statex-backup"`,
      `compatibility_date = "2026-11-01"`,
      `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${stores.database}"\ndatabase_id = "${stores.databaseId}"${flag}`,
      `[[r2_buckets]]\nbinding = "FILES"\nbucket_name = "${stores.bucket}"${flag}`,
      "",
    ].join("\n\n"),
  );
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy({
    configPath,
    remoteBindings: remote,
    // getPlatformProxy takes the resources' own directory, which `wrangler dev --persist-to X` keeps in X/v3.
    persist: remote ? false : { path: path.join(where.persistTo ?? path.join(root, ".wrangler", "state"), "v3") },
  });
  const source = remote
    ? { kind: "environment", env: where.env, database: stores.database, databaseId: stores.databaseId, bucket: stores.bucket }
    : { kind: "local", stateDir: where.persistTo, database: stores.database, bucket: stores.bucket };
  return {
    /** @type {D1Database} */ db: proxy.env.DB,
    /** @type {R2Bucket} */ bucket: proxy.env.FILES,
    source,
    dispose: async () => {
      await proxy.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** sha256 and size of a file, streamed (R2 objects may be 100 MB). */
export async function fileDigest(file) {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Lines of a JSON-lines file, parsed. */
export async function readJsonLines(file) {
  const text = await readFile(file, "utf8");
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

/** A backup that cannot be restored as it is, and why. */
export class BackupError extends Error {
  name = "BackupError";
}

/**
 * Reads a backup folder's manifest and checks the folder against it: the format, every file it names present with
 * its size and sha256, each table's file holding its row count, the object index holding every object and each
 * object's bytes present. Throws a BackupError naming the first thing wrong; answers the manifest.
 */
export async function verifyBackup(dir) {
  let manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), "utf8"));
  } catch (err) {
    const missing = err instanceof Error && "code" in err && err.code === "ENOENT";
    throw new BackupError(
      missing ? `${dir} has no ${MANIFEST}: not a backup, or one that never finished (a backup writes its manifest last)` : `${dir}/${MANIFEST} is not readable JSON: ${String(err)}`,
    );
  }
  if (manifest.format !== FORMAT) throw new BackupError(`${dir} is in format ${JSON.stringify(manifest.format)}, not ${FORMAT}`);
  for (const [name, want] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (path.relative(dir, file).startsWith("..")) throw new BackupError(`the manifest names ${name}, outside the backup`);
    const found = await stat(file).catch(() => undefined);
    if (!found) throw new BackupError(`${name} is missing: the backup is partial`);
    if (found.size !== want.bytes) throw new BackupError(`${name} has ${found.size} bytes, the manifest says ${want.bytes}: the backup is partial or corrupt`);
    const { sha256 } = await fileDigest(file);
    if (sha256 !== want.sha256) throw new BackupError(`${name} does not match its sha256 in the manifest: the backup is corrupt`);
  }
  for (const table of manifest.d1.tables) {
    if (!table.file) continue;
    if (!manifest.files[table.file]) throw new BackupError(`table ${table.name}'s file ${table.file} is not in the manifest`);
    const lines = await readJsonLines(path.join(dir, table.file));
    if (lines.length - 1 !== table.rows) throw new BackupError(`${table.file} holds ${lines.length - 1} rows, the manifest says ${table.rows}`);
  }
  const objects = await readJsonLines(path.join(dir, manifest.r2.index));
  if (objects.length !== manifest.r2.objects) throw new BackupError(`${manifest.r2.index} lists ${objects.length} objects, the manifest says ${manifest.r2.objects}`);
  for (const o of objects) if (!manifest.files[blobPath(o.sha256)]) throw new BackupError(`the bytes of R2 object ${o.key} (${o.sha256}) are not in the backup`);
  return manifest;
}

/** Where an object's bytes are kept in a backup: by content, so odd keys never become paths and copies are kept once. */
export const blobPath = (sha256) => `r2/blobs/${sha256}`;
