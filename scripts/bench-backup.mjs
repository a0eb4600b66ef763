// How backup and restore scale: a local state grown to a size the drill's few requests never reach (log lines in
// D1, files in R2), then backed up and restored, with the rate of each. Run alone: `node scripts/bench-backup.mjs
// [--rows 5000] [--objects 50] [--object-kib 256]`; the README's runbook extrapolates from what it prints.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { openStores, root } from "./backup-store.mjs";
import { backup } from "./backup.mjs";
import { restore } from "./restore.mjs";

const args = process.argv.slice(2);
const value = (flag, fallback) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
const ROWS = value("--rows", 5_000);
const OBJECTS = value("--objects", 50);
const OBJECT_BYTES = value("--object-kib", 256) * 1024;

const work = path.join(root, ".tmp", "backup-bench");
await rm(work, { recursive: true, force: true });
const source = path.join(work, "source");
execFileSync(process.execPath, [path.join(root, "node_modules", "wrangler", "bin", "wrangler.js"), "d1", "migrations", "apply", "statex", "--local", "-c", "workers/intake/wrangler.toml", "--persist-to", source], {
  cwd: root,
  stdio: "ignore",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});

const stores = await openStores({ persistTo: source });
try {
  const insert = stores.db.prepare("INSERT INTO logs (ts, level, service, correlation_id, msg, fields) VALUES (?, 'info', 'intake', ?, ?, ?)");
  // Small batches: each line also goes into the trigram index by trigger, and a local D1 drops a batch that runs long.
  for (let i = 0; i < ROWS; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(ROWS, i + 100); j++) {
      batch.push(insert.bind(new Date(Date.UTC(2026, 11, 1) + j * 1000).toISOString(), `req_${String(j).padStart(26, "0")}`, `request received ${j}`, JSON.stringify({ bytes: j * 7, channel: "web" })));
    }
    await stores.db.batch(batch);
  }
  for (let i = 0; i < OBJECTS; i++) await stores.bucket.put(`requests/req_${String(i).padStart(26, "0")}/file-${i}.bin`, randomBytes(OBJECT_BYTES), { customMetadata: { name: `file-${i}.bin` } });
} finally {
  await stores.dispose();
}

const { dir, manifest } = await backup({ persistTo: source, out: path.join(work, "backups"), log: () => {} });
const restored = await restore({ from: dir, persistTo: path.join(work, "restored"), log: () => {} });
const rows = manifest.d1.tables.reduce((sum, t) => sum + (t.rows ?? 0), 0);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const rate = (n, ms) => Math.round((n * 1000) / ms);
console.log(`backup:  ${manifest.durationMs} ms in all; D1 ${rows} rows in ${manifest.timings.d1Ms} ms (${rate(rows, manifest.timings.d1Ms)} rows/s, ${manifest.d1.rounds} rounds); ` +
  `R2 ${manifest.r2.objects} objects, ${mib(manifest.r2.bytes)} MiB in ${manifest.timings.r2Ms} ms (${mib(rate(manifest.r2.bytes, manifest.timings.r2Ms))} MiB/s); folder ${mib(manifest.bytes)} MiB`);
console.log(`restore: ${restored.timings.totalMs} ms in all; verify ${restored.timings.verifyMs} ms; D1 in ${restored.timings.d1Ms} ms (${rate(rows, restored.timings.d1Ms)} rows/s); ` +
  `R2 in ${restored.timings.r2Ms} ms (${mib(rate(manifest.r2.bytes, restored.timings.r2Ms))} MiB/s)`);
await rm(work, { recursive: true, force: true });
