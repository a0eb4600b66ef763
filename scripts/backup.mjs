// `npm run backup`: the platform's D1 database (every table) and R2 bucket (every object, with its metadata) into a
// dated, self-describing folder that `npm run restore` brings back (README, "Backups and disaster recovery").
//
//   npm run backup -- [--persist-to .wrangler/state] [--out backups]     the local platform (running or not)
//   npm run backup -- --env staging|production [--out backups]           an environment, through remote bindings
//
// The folder is written as <name>.partial and renamed once its manifest is written, so a folder without the
// suffix is whole, and a restore checks every file against the manifest anyway.
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { createHash } from "node:crypto";
import { FORMAT, MANIFEST, blobPath, fileDigest, openStores, readJsonLines, root } from "./backup-store.mjs";

/** Rows read per table per round: every round is one D1 batch, which D1 runs as one transaction. */
const PAGE_ROWS = 500;
/** Objects fetched at once. */
const OBJECT_CONCURRENCY = 4;

/**
 * The schema as sqlite_master holds it, and what to do with each table: FTS5 keeps its index in shadow tables
 * (`<name>_data`, `_idx`, …) that SQLite writes itself, so they are never copied; an FTS table with external content
 * (`content = 'logs'`) is rebuilt from its table on restore; one that holds its own text is copied like a table.
 * SQLite's own tables and D1's (`_cf_*`) are not the platform's.
 */
export async function schemaOf(db) {
  const { results } = await db.prepare("SELECT type, name, tbl_name AS tableName, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all();
  const own = results.filter((e) => !e.name.startsWith("sqlite_") && !e.name.startsWith("_cf_"));
  const virtual = own.filter((e) => e.type === "table" && /^CREATE\s+VIRTUAL\s+TABLE/i.test(e.sql));
  const shadow = (name) => virtual.some((v) => name.startsWith(`${v.name}_`) && /^(data|idx|content|docsize|config)$/.test(name.slice(v.name.length + 1)));
  // By kind and name rather than creation order, so two backups of the same data hold the same schema file.
  const entries = own.filter((e) => !(e.type === "table" && shadow(e.name))).sort((a, b) => `${a.type}\0${a.name}`.localeCompare(`${b.type}\0${b.name}`));
  const tables = entries
    .filter((e) => e.type === "table")
    .map((e) => {
      const isVirtual = virtual.includes(e);
      const externalContent = isVirtual && /\bcontent\s*=\s*'[^']+'/i.test(e.sql);
      return { name: e.name, virtual: isVirtual, rebuild: externalContent, withoutRowid: /\bWITHOUT\s+ROWID\s*$/i.test(e.sql.trim()) };
    });
  return { entries, tables };
}

/** A D1 value as JSON: bytes (a BLOB) tagged as base64, everything else as it is. */
function jsonValue(value) {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return { $bytes: Buffer.from(value instanceof ArrayBuffer ? value : value.buffer, value.byteOffset ?? 0, value.byteLength).toString("base64") };
  if (Array.isArray(value)) return { $bytes: Buffer.from(value).toString("base64") };
  return value;
}

async function write(stream, line) {
  if (!stream.write(line)) await once(stream, "drain");
}

async function closed(stream) {
  stream.end();
  await once(stream, "finish");
}

/**
 * Every table's rows into d1/<table>.jsonl: a first line naming the columns, then one JSON array per row, `rowid`
 * first (kept, so FTS rowids and AUTOINCREMENT ids come back as they were). Tables are read in rounds, one D1 batch
 * per round with a page of each unfinished table: a database that fits one round is read in one transaction.
 */
async function exportD1(db, dir) {
  const { entries, tables } = await schemaOf(db);
  // No AUTOINCREMENT table, no sqlite_sequence.
  const sequences = (await db.prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name").all().catch(() => ({ results: [] }))).results;
  await mkdir(path.join(dir, "d1"), { recursive: true });
  await writeFile(path.join(dir, "d1", "schema.json"), JSON.stringify({ entries, sequences }, null, 1));
  const copied = tables.filter((t) => !t.rebuild);
  const state = new Map(copied.map((t) => [t.name, { after: null, offset: 0, rows: 0, done: false, stream: createWriteStream(path.join(dir, "d1", `${t.name}.jsonl`)), columns: null }]));
  let rounds = 0;
  for (;;) {
    const open = copied.filter((t) => !state.get(t.name).done);
    if (!open.length) break;
    rounds++;
    const statements = open.map((t) => {
      const s = state.get(t.name);
      const q = `"${t.name.replace(/"/g, '""')}"`;
      if (t.withoutRowid) return db.prepare(`SELECT * FROM ${q} LIMIT ${PAGE_ROWS} OFFSET ${s.offset}`);
      return s.after === null
        ? db.prepare(`SELECT rowid AS rowid, * FROM ${q} ORDER BY rowid LIMIT ${PAGE_ROWS}`)
        : db.prepare(`SELECT rowid AS rowid, * FROM ${q} WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_ROWS}`).bind(s.after);
    });
    const answers = await db.batch(statements);
    for (const [i, t] of open.entries()) {
      const s = state.get(t.name);
      const rows = answers[i].results;
      if (s.columns === null) {
        // A table without rows names no columns here; its schema does.
        s.columns = rows.length ? Object.keys(rows[0]) : [];
        await write(s.stream, `${JSON.stringify({ columns: s.columns })}\n`);
      }
      for (const row of rows) await write(s.stream, `${JSON.stringify(s.columns.map((c) => jsonValue(row[c])))}\n`);
      s.rows += rows.length;
      s.offset += rows.length;
      if (rows.length) s.after = rows.at(-1).rowid ?? null;
      if (rows.length < PAGE_ROWS) s.done = true;
    }
  }
  for (const s of state.values()) await closed(s.stream);
  return {
    consistent: rounds <= 1,
    rounds,
    tables: tables.map((t) => (t.rebuild ? { name: t.name, rows: null, rebuild: true } : { name: t.name, rows: state.get(t.name).rows, file: `d1/${t.name}.jsonl` })),
  };
}

/** An object's bytes into r2/blobs/<sha256>, streamed; answers the sha256 and size, or null when it vanished. */
async function saveObject(bucket, key, dir, n) {
  const object = await bucket.get(key);
  if (!object) return null;
  const tmp = path.join(dir, "r2", "blobs", `.incoming-${n}`);
  const out = createWriteStream(tmp);
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of object.body) {
    hash.update(chunk);
    bytes += chunk.length;
    await write(out, chunk);
  }
  await closed(out);
  const sha256 = hash.digest("hex");
  await rename(tmp, path.join(dir, blobPath(sha256)));
  return { sha256, bytes };
}

/** Every object of the bucket, its bytes by content and its key and metadata in r2/objects.jsonl. */
async function exportR2(bucket, dir) {
  await mkdir(path.join(dir, "r2", "blobs"), { recursive: true });
  const index = createWriteStream(path.join(dir, "r2", "objects.jsonl"));
  let objects = 0;
  let bytes = 0;
  let vanished = 0;
  let n = 0;
  let cursor;
  do {
    const page = await bucket.list({ limit: 1000, include: ["httpMetadata", "customMetadata"], ...(cursor ? { cursor } : {}) });
    for (let i = 0; i < page.objects.length; i += OBJECT_CONCURRENCY) {
      const slice = page.objects.slice(i, i + OBJECT_CONCURRENCY);
      const saved = await Promise.all(slice.map((o) => saveObject(bucket, o.key, dir, n++)));
      for (const [j, o] of slice.entries()) {
        const got = saved[j];
        // Deleted between the listing and the read (a retention sweep, an erasure): not in the backup, as if listed later.
        if (!got) {
          vanished++;
          continue;
        }
        objects++;
        bytes += got.bytes;
        const line = { key: o.key, size: got.bytes, sha256: got.sha256, etag: o.etag, uploaded: o.uploaded.toISOString(), httpMetadata: o.httpMetadata ?? {}, customMetadata: o.customMetadata ?? {} };
        await write(index, `${JSON.stringify(line)}\n`);
      }
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  await closed(index);
  return { objects, bytes, vanished };
}

/** Requests without a final job (no job yet, or processing): what a restore must start again or report. */
async function inFlight(db) {
  const { results } = await db
    .prepare("SELECT r.id FROM requests r LEFT JOIN jobs j ON j.request_id = r.id WHERE r.erased_at IS NULL AND (j.status IS NULL OR j.status = 'processing') ORDER BY r.id")
    .all();
  return results.map((r) => r.id);
}

function commit() {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/** The named files of dir (relative, with / separators), each with its size and sha256. */
async function digests(dir, names) {
  const files = {};
  for (const name of names.sort()) files[name] = await fileDigest(path.join(dir, name));
  return files;
}

/**
 * Backs up the local platform's state (`persistTo`) or an environment (`env`) into a new folder under `out`.
 * @param {{ persistTo?: string, env?: "staging" | "production", out?: string, log?: (line: string) => void }} opts
 * @returns {Promise<{ dir: string, manifest: Record<string, any> }>}
 */
export async function backup(opts = {}) {
  const log = opts.log ?? ((line) => console.log(line));
  const started = new Date();
  const persistTo = opts.env ? undefined : path.resolve(root, opts.persistTo ?? ".wrangler/state");
  const name = `${started.toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}-${opts.env ?? "local"}`;
  const outDir = path.resolve(root, opts.out ?? "backups");
  const dir = path.join(outDir, name);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const stores = await openStores({ persistTo, env: opts.env });
  try {
    const t0 = performance.now();
    const d1 = await exportD1(stores.db, partial);
    const d1Ms = performance.now() - t0;
    const flight = await inFlight(stores.db).catch(() => []);
    const t1 = performance.now();
    const r2 = await exportR2(stores.bucket, partial);
    const r2Ms = performance.now() - t1;
    const { results: migrations } = await stores.db.prepare("SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1").all();
    const names = [
      "d1/schema.json",
      ...d1.tables.filter((t) => t.file).map((t) => t.file),
      "r2/objects.jsonl",
      ...new Set((await readJsonLines(path.join(partial, "r2", "objects.jsonl"))).map((o) => blobPath(o.sha256))),
    ];
    const files = await digests(partial, names);
    const finished = new Date();
    const manifest = {
      format: FORMAT,
      name,
      createdAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      timings: { d1Ms: Math.round(d1Ms), r2Ms: Math.round(r2Ms) },
      source: stores.source,
      platform: { commit: commit(), lastMigration: migrations[0]?.name ?? null },
      d1: { database: stores.source.database, schema: "d1/schema.json", ...d1 },
      r2: { bucket: stores.source.bucket, index: "r2/objects.jsonl", ...r2 },
      inFlight: flight,
      bytes: Object.values(files).reduce((sum, f) => sum + f.bytes, 0),
      files,
    };
    await writeFile(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
    await rename(partial, dir);
    const rows = d1.tables.reduce((sum, t) => sum + (t.rows ?? 0), 0);
    log(
      `Backed up ${stores.source.kind === "local" ? `the local platform (${persistTo})` : opts.env} to ${path.relative(process.cwd(), dir) || dir}: ` +
        `${d1.tables.length} tables, ${rows} rows${d1.consistent ? " (one transaction)" : ` (${d1.rounds} rounds: not one snapshot)`}; ` +
        `${r2.objects} objects, ${r2.bytes} bytes; ${flight.length} requests in flight; ${manifest.durationMs} ms.`,
    );
    return { dir, manifest };
  } finally {
    await stores.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const env = value("--env");
  if (env !== undefined && env !== "staging" && env !== "production") {
    console.error("usage: npm run backup -- [--persist-to dir] [--out dir]\n       npm run backup -- --env staging|production [--out dir]");
    process.exit(2);
  }
  try {
    await backup({ env, persistTo: value("--persist-to"), out: value("--out") });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
