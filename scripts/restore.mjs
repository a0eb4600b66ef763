// `npm run restore -- <backup folder> [--persist-to dir]`: a fresh local platform state brought back to a backup
// (README, "Backups and disaster recovery"). Start the platform on it afterwards (`npm run dev` uses .wrangler/state).
// `--env staging|production` restores into that environment's new, empty database and bucket instead.
//
// The folder is checked against its manifest first, and nothing is written unless it is whole. The target must be
// a directory holding no platform state: a restore never writes over a live platform. Running the same restore
// again is harmless: a target this backup was restored into is answered as done, and one whose restore was
// interrupted is cleared (it holds nothing but that restore's own writes) and restored again.
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { BackupError, blobPath, openStores, readJsonLines, root, verifyBackup } from "./backup-store.mjs";

/** The restore's own record in the target directory: which backup, and whether it finished. */
export const RESTORED = "restored.json";
/** Statements per D1 batch while loading rows. */
const BATCH = 50;
/** D1 binds at most this many parameters a statement. */
const MAX_PARAMETERS = 100;
/** Tries of one batch: a local D1 behind wrangler's proxy may drop the connection of a batch on a loaded machine. */
const TRIES = 3;
/** Objects written at once. */
const OBJECT_CONCURRENCY = 4;

/** A JSON value from the backup as D1 binds it: tagged bytes back to bytes. */
const bindable = (v) => (v && typeof v === "object" && "$bytes" in v ? new Uint8Array(Buffer.from(v.$bytes, "base64")) : v);
const quoted = (name) => `"${String(name).replace(/"/g, '""')}"`;

/** Whether `stateDir` holds anything a platform wrote (its v3 resources), and what it says it is. */
async function targetState(stateDir) {
  const marker = await readFile(path.join(stateDir, RESTORED), "utf8").then(JSON.parse, () => null);
  const v3 = path.join(stateDir, "v3");
  const used = existsSync(v3) && (await readdir(v3)).length > 0;
  return { marker, used };
}

/**
 * Runs statements in batches, each a transaction. A batch whose connection dropped is tried again: rolled back, it
 * runs anew; committed before its answer was lost, its rows are there already, which the row inserts allow for
 * (INSERT OR IGNORE) and the count against the manifest checks.
 */
async function runBatches(db, statements) {
  for (let i = 0; i < statements.length; i += BATCH) {
    for (let attempt = 1; ; attempt++) {
      try {
        await db.batch(statements.slice(i, i + BATCH));
        break;
      } catch (err) {
        const dropped = err instanceof Error && /fetch failed|other side closed|EPIPE|ECONNRESET/i.test(`${err.message} ${String(err.cause)}`);
        if (!dropped || attempt >= TRIES) throw err;
        await new Promise((r) => setTimeout(r, 1_000 * attempt));
      }
    }
  }
}

/** Tables ordered so each comes after those its foreign keys name (D1 enforces foreign keys on every insert). */
async function parentsFirst(db, names) {
  const answers = await db.batch(names.map((n) => db.prepare(`PRAGMA foreign_key_list(${quoted(n)})`)));
  const parents = new Map(names.map((n, i) => [n, new Set(answers[i].results.map((fk) => fk.table).filter((t) => t !== n))]));
  const ordered = [];
  const visit = (n, path = new Set()) => {
    if (ordered.includes(n) || path.has(n)) return;
    path.add(n);
    for (const p of parents.get(n) ?? []) visit(p, path);
    ordered.push(n);
  };
  for (const n of names) visit(n);
  return ordered;
}

/**
 * The database as the backup holds it, in SQLite's own dump order: tables, their rows, then indexes, the FTS
 * tables (filled, or rebuilt from their content table) and last the triggers, so no trigger fires on a restored row
 * (the audit triggers would otherwise append every role change and security event to the audit trail again).
 */
async function restoreD1(db, dir, manifest) {
  const { entries, sequences } = JSON.parse(await readFile(path.join(dir, manifest.d1.schema), "utf8"));
  const tables = new Map(manifest.d1.tables.map((t) => [t.name, t]));
  const isVirtual = (e) => /^CREATE\s+VIRTUAL\s+TABLE/i.test(e.sql);
  const load = async (name, virtual = false) => {
    const table = tables.get(name);
    if (!table?.file || !table.rows) return;
    const [header, ...rows] = await readJsonLines(path.join(dir, table.file));
    // Several rows a statement, as many as D1's 100 bound parameters allow: a statement costs more than its rows.
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / header.columns.length));
    const tuple = `(${header.columns.map(() => "?").join(", ")})`;
    // An FTS table takes no conflict clause it could honour; its rows have no key to collide on anyway.
    const into = `INSERT ${virtual ? "" : "OR IGNORE "}INTO ${quoted(name)} (${header.columns.map(quoted).join(", ")}) VALUES `;
    const statements = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      const some = rows.slice(i, i + perStatement);
      statements.push(db.prepare(into + some.map(() => tuple).join(", ")).bind(...some.flat().map(bindable)));
    }
    await runBatches(db, statements);
  };
  const plain = entries.filter((e) => e.type === "table" && !isVirtual(e));
  // Each kind of statement in one batch: a round trip each, not one per table (D1 runs DDL in batches too).
  await runBatches(db, plain.map((e) => db.prepare(e.sql)));
  for (const name of await parentsFirst(db, plain.map((e) => e.name))) await load(name);
  // AUTOINCREMENT's counters: rows deleted since (retention) must not let an id come back. Should a D1 refuse writes
  // to SQLite's own table, the counters follow the restored rows' largest ids, which the next inserts pass anyway.
  if (sequences.length) await runBatches(db, sequences.map((s) => db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = ?").bind(s.seq, s.name))).catch(() => undefined);
  await runBatches(db, entries.filter((x) => x.type === "index").map((e) => db.prepare(e.sql)));
  const virtual = entries.filter((x) => x.type === "table" && isVirtual(x));
  await runBatches(db, virtual.map((e) => db.prepare(e.sql)));
  for (const e of virtual) {
    if (tables.get(e.name)?.rebuild) await db.prepare(`INSERT INTO ${quoted(e.name)} (${quoted(e.name)}) VALUES ('rebuild')`).run();
    else await load(e.name, true);
  }
  await runBatches(db, entries.filter((x) => x.type === "view" || x.type === "trigger").map((e) => db.prepare(e.sql)));
}

async function restoreR2(bucket, dir, manifest) {
  const objects = await readJsonLines(path.join(dir, manifest.r2.index));
  for (let i = 0; i < objects.length; i += OBJECT_CONCURRENCY) {
    await Promise.all(
      objects.slice(i, i + OBJECT_CONCURRENCY).map(async (o) => {
        const bytes = await readFile(path.join(dir, blobPath(o.sha256)));
        const httpMetadata = { ...o.httpMetadata, ...(o.httpMetadata.cacheExpiry ? { cacheExpiry: new Date(o.httpMetadata.cacheExpiry) } : {}) };
        // R2 checks the bytes against the sha256 as it stores them.
        await bucket.put(o.key, bytes, { httpMetadata, customMetadata: o.customMetadata, sha256: o.sha256 });
      }),
    );
  }
}

/**
 * Requests whose job had not finished when the backup was taken. Their job objects' state is not in any backup (the
 * D1 mirror is), so each is started again from the beginning: its `request.created` is marked unsent in the outbox and
 * the orchestrator's record of having handled it is dropped, so intake's outbox cron sends it again and the job runs
 * anew. Every other consumer (notify's "received" message, logging) still has the event as handled and ignores it.
 */
async function restartInFlight(db, requestIds) {
  if (!requestIds.length) return [];
  const restarted = [];
  for (let i = 0; i < requestIds.length; i += 90) {
    const ids = requestIds.slice(i, i + 90);
    const marks = ids.map(() => "?").join(", ");
    const { results } = await db
      .prepare(`SELECT id, json_extract(body, '$.data.requestId') AS requestId FROM event_outbox WHERE type = 'request.created' AND json_extract(body, '$.data.requestId') IN (${marks})`)
      .bind(...ids)
      .all();
    if (!results.length) continue;
    const events = results.map((r) => r.id);
    const eventMarks = events.map(() => "?").join(", ");
    await db.batch([
      db.prepare(`DELETE FROM processed_events WHERE consumer = 'orchestrator' AND event_id IN (${eventMarks})`).bind(...events),
      db.prepare(`UPDATE event_outbox SET sent_at = NULL, attempts = 0, last_error = NULL WHERE id IN (${eventMarks})`).bind(...events),
    ]);
    restarted.push(...results.map((r) => r.requestId));
  }
  return restarted;
}

/** What the restored stores hold, to compare with the manifest. */
async function counts(db, bucket, manifest) {
  const copied = manifest.d1.tables.filter((t) => t.file);
  const answers = await db.batch(copied.map((t) => db.prepare(`SELECT count(*) AS n FROM ${quoted(t.name)}`)));
  const rows = Object.fromEntries(copied.map((t, i) => [t.name, answers[i].results[0].n]));
  let objects = 0;
  let bytes = 0;
  let cursor;
  do {
    const page = await bucket.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    objects += page.objects.length;
    bytes += page.objects.reduce((sum, o) => sum + o.size, 0);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { rows, objects, bytes };
}

/** Writes the backup into opened stores, checks the counts, starts again what was in flight. */
async function restoreInto(stores, dir, manifest) {
  const t0 = performance.now();
  await restoreD1(stores.db, dir, manifest);
  const d1Ms = performance.now() - t0;
  const t1 = performance.now();
  await restoreR2(stores.bucket, dir, manifest);
  const r2Ms = performance.now() - t1;
  const found = await counts(stores.db, stores.bucket, manifest);
  const wrong = manifest.d1.tables.filter((t) => t.file && found.rows[t.name] !== t.rows).map((t) => `${t.name}: ${found.rows[t.name]} rows, the backup has ${t.rows}`);
  if (found.objects !== manifest.r2.objects) wrong.push(`R2: ${found.objects} objects, the backup has ${manifest.r2.objects}`);
  if (wrong.length) throw new BackupError(`the restored stores differ from the backup: ${wrong.join("; ")}`);
  // After the count: starting a job again drops one row the backup holds.
  const restarted = await restartInFlight(stores.db, manifest.inFlight ?? []);
  return {
    timings: { d1Ms: Math.round(d1Ms), r2Ms: Math.round(r2Ms) },
    rows: Object.values(found.rows).reduce((sum, n) => sum + n, 0),
    objects: found.objects,
    bytes: found.bytes,
    // Started again from the beginning; any other request of the backup had a final job.
    restarted,
    notRestarted: (manifest.inFlight ?? []).filter((id) => !restarted.includes(id)),
  };
}

function report(log, manifest, where, done) {
  log(
    `Restored ${manifest.name} into ${where}: ${done.rows} rows, ${done.objects} objects (${done.bytes} bytes) in ${done.timings.totalMs} ms.` +
      (done.restarted.length ? `\n${done.restarted.length} requests were in flight at the backup; their jobs start again from the beginning once the platform runs: ${done.restarted.join(", ")}` : "") +
      (done.notRestarted.length ? `\nIn flight but without their request.created event (not restarted; see them in ops): ${done.notRestarted.join(", ")}` : ""),
  );
}

/**
 * An environment's new database and bucket, through remote bindings: only when both are empty (no table, no object),
 * so nothing live is ever written over. Not resumable: an interrupted restore needs them emptied or made anew.
 */
async function restoreRemote(dir, manifest, env, log, started, verifyMs) {
  const stores = await openStores({ env });
  try {
    const { results } = await stores.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all();
    const objects = await stores.bucket.list({ limit: 1 });
    if (results[0].n > 0 || objects.objects.length > 0) {
      throw new BackupError(`${env}'s database ${stores.source.database} or bucket ${stores.source.bucket} is not empty: a restore writes only into a new database and bucket (README, "Backups and disaster recovery").`);
    }
    const done = await restoreInto(stores, dir, manifest);
    done.timings = { verifyMs: Math.round(verifyMs), ...done.timings, totalMs: Math.round(performance.now() - started) };
    report(log, manifest, env, done);
    return { backup: manifest.name, env, status: "complete", ...done };
  } finally {
    await stores.dispose();
  }
}

/**
 * Restores the backup in `from` into the fresh state directory `persistTo`, or into an environment's new, empty
 * database and bucket (`env`).
 * @param {{ from: string, persistTo?: string, env?: "staging" | "production", log?: (line: string) => void }} opts
 */
export async function restore(opts) {
  const log = opts.log ?? ((line) => console.log(line));
  const dir = path.resolve(opts.from);
  const started = performance.now();
  const manifest = await verifyBackup(dir);
  const verifyMs = performance.now() - started;
  if (opts.env) return restoreRemote(dir, manifest, opts.env, log, started, verifyMs);

  const stateDir = path.resolve(root, opts.persistTo ?? ".wrangler/state");
  const { marker, used } = await targetState(stateDir);
  if (marker?.backup === manifest.name && marker.status === "complete") {
    log(`${stateDir} was already restored from ${manifest.name} at ${marker.finishedAt}: nothing to do.`);
    return { ...marker, alreadyDone: true };
  }
  if (used && marker?.backup === manifest.name && marker.status === "started") {
    log(`An earlier restore of ${manifest.name} into ${stateDir} did not finish: clearing what it wrote and starting again.`);
    await rm(path.join(stateDir, "v3"), { recursive: true, force: true });
  } else if (used || marker) {
    throw new BackupError(
      `${stateDir} already holds a platform's state${marker ? ` (restored from ${marker.backup})` : ""}: a restore writes only into a fresh directory. ` +
        "Stop the platform and move that directory aside, or restore with --persist-to <a new directory>.",
    );
  }
  await mkdir(stateDir, { recursive: true });
  const record = { backup: manifest.name, source: manifest.source, createdAt: manifest.createdAt, status: "started", startedAt: new Date().toISOString() };
  await writeFile(path.join(stateDir, RESTORED), `${JSON.stringify(record, null, 1)}\n`);

  const stores = await openStores({ persistTo: stateDir });
  try {
    const restored = await restoreInto(stores, dir, manifest);
    const done = { ...record, status: "complete", finishedAt: new Date().toISOString(), ...restored };
    done.timings = { verifyMs: Math.round(verifyMs), ...restored.timings, totalMs: Math.round(performance.now() - started) };
    await writeFile(path.join(stateDir, RESTORED), `${JSON.stringify(done, null, 1)}\n`);
    report(log, manifest, stateDir, done);
    return done;
  } finally {
    await stores.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const from = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--persist-to" && args[i - 1] !== "--env");
  const env = value("--env");
  if (!from || (env !== undefined && env !== "staging" && env !== "production")) {
    console.error(
      "usage: npm run restore -- <backup folder> [--persist-to dir]       a local state directory holding no platform state\n" +
        "       npm run restore -- <backup folder> --env staging|production  an environment's new, empty database and bucket",
    );
    process.exit(2);
  }
  try {
    await restore({ from, persistTo: value("--persist-to"), env });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
