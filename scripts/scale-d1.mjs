// A D1 table at 10 million rows, simulated (docs/SCALE.md, issue #20): the requests and jobs tables built from the
// project's own migrations in SQLite (node:sqlite, the engine under D1), filled with N requests (each with its job),
// and the platform's hot queries timed on them, as the routes send them: the real drizzle expressions run against the
// file through a D1-shaped wrapper, so the SQL, its parameters and the row mapping are the platform's, not copies.
//
//  - the dashboard's first page and a page 5,000 requests deep (identity's `dashboardRoutes`, the real route, for a
//    user with 10,000 requests and for one with 20);
//  - a status read: the request by id, then its job by request id (intake's GET /requests/:id makes these two reads);
//  - a submission's write: the request row and its outbox row in one batch, as `createRequest` writes them.
//
// The same at 100,000 rows, so the difference is the table's size alone. D1's file is SQLite, but D1 in the cloud adds
// its own network hop and storage layer: what this measures is how the engine's work grows with the table (index
// depth, pages touched), and how big the file gets, which is what D1's size limit is judged on.
//
// Runnable alone: `npx node scripts/scale-d1.mjs [rows…]` (default 100000 10000000); the files stay in .tmp/scale-d1/
// and are reused when they hold the rows asked for (delete the folder to build them again).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { importWorkerCode } from "../local/worker-code.mjs";
import { random, summary } from "./bench-stats.mjs";
import { root } from "./platform.mjs";

const DIR = path.join(root, ".tmp", "scale-d1");
const HEAVY = 10_000;
const LIGHT = 20;
/** Accounts the other signed-in requests spread over; half of all requests are sent signed out (no user). */
const ACCOUNTS = 100_000;
const TEXTS = [
  "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.",
  "Please build an online shop for handmade ceramics: about forty products, card payments, shipping within the EU, and a small blog for studio news.",
  "Our logistics company wants a portal where customers track shipments, download invoices and open support tickets; it must talk to our existing ERP over its REST API and keep an audit log of every change.",
];
const STEPS = JSON.stringify([{ kind: "nlp", status: "succeeded" }, { kind: "prototype", status: "succeeded" }]);
const RESULT = JSON.stringify({ summary: "A booking website for three clinics with email reminders and a staff dashboard.", category: "web", prototype: "results/…/prototype.md" });

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** The platform's id format (shared/src/ids.ts), from a seeded generator so every build is the same. */
function idAt(prefix, at, rand) {
  let time = "";
  let t = at;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(rand() * 32)];
  return `${prefix}_${time}${tail}`;
}

function loadCode() {
  return importWorkerCode(
    [
      'export { database, schema } from "./shared/src/db.ts";',
      'export { outboxInsert } from "./shared/src/outbox.ts";',
      'export { createEvent } from "./shared/src/events.ts";',
      'export { newId } from "./shared/src/ids.ts";',
      'export { dashboardRoutes } from "./workers/identity/src/routes/dashboard.ts";',
      'export { USER_ID_HEADER, USER_ROLE_HEADER } from "./shared/src/auth.ts";',
      'export { eq } from "drizzle-orm";',
    ].join("\n"),
    path.join(DIR, "code.mjs"),
  );
}

/** A D1Database over a node:sqlite file: what drizzle's D1 driver calls (prepare, bind, all, raw, first, run, batch). */
function d1Over(db) {
  const prepared = new Map();
  const statement = (sql) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const sent = [];
  const bound = (sql, params) => ({
    bind: (...p) => bound(sql, p),
    all: async () => {
      sent.push({ sql, params });
      return { results: statement(sql).all(...params), success: true, meta: {} };
    },
    raw: async () => {
      sent.push({ sql, params });
      const s = statement(sql);
      s.setReturnArrays(true);
      try {
        return s.all(...params);
      } finally {
        s.setReturnArrays(false);
      }
    },
    first: async (column) => {
      const row = statement(sql).get(...params);
      return row === undefined ? null : column ? row[column] : row;
    },
    run: async () => {
      const r = statement(sql).run(...params);
      return { results: [], success: true, meta: { changes: Number(r.changes), last_row_id: Number(r.lastInsertRowid) } };
    },
  });
  return {
    /** The statements sent through `all` and `raw` (the reads), newest last: for their plans. */
    sent,
    prepare: (sql) => bound(sql, []),
    // D1 runs a batch as one transaction.
    batch: async (statements) => {
      db.exec("BEGIN");
      try {
        const out = [];
        for (const s of statements) out.push(await s.all());
        db.exec("COMMIT");
        return out;
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      }
    },
    exec: async (sql) => {
      db.exec(sql);
      return { count: 1, duration: 0 };
    },
  };
}

/** Every migration of the project, in order, as `wrangler d1 migrations apply` runs them. */
function migrate(db) {
  const dir = path.join(root, "migrations");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    for (const statement of readFileSync(path.join(dir, file), "utf8").split("--> statement-breakpoint")) if (statement.trim()) db.exec(statement);
  }
}

/**
 * Builds (or reuses) a file with `rows` requests and a job each, one request a `gapMs` going back from `now`; the
 * heavy and the light user's requests spread evenly through them. Indexes are dropped while filling and made again
 * after (same definitions, from the migrations), which only makes the build faster.
 */
function build(rows, now, log) {
  const file = path.join(DIR, `requests-${rows}.sqlite`);
  if (existsSync(file)) {
    const db = new DatabaseSync(file);
    const have = db.prepare("SELECT count(*) AS n FROM requests").get().n;
    if (have === rows) return { db, file, builtMs: null };
    db.close();
    rmSync(file, { force: true });
  }
  for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
  const started = performance.now();
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  migrate(db);
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('requests', 'jobs') AND sql IS NOT NULL").all();
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  const rand = random(rows);
  const insertRequest = db.prepare("INSERT INTO requests (id, channel, name, email, text, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const insertJob = db.prepare("INSERT INTO jobs (request_id, status, steps, result, created_at, updated_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const gapMs = Math.max(1, Math.floor((365 * 86_400_000) / rows));
  const heavyEvery = Math.floor(rows / HEAVY);
  const lightEvery = Math.floor(rows / LIGHT);
  db.exec("BEGIN");
  // Oldest first, so ids (time-sorted) arrive in order, as they do in the platform.
  for (let i = rows - 1; i >= 0; i--) {
    const at = now - (i + 1) * gapMs;
    const id = idAt("req", at, rand);
    const createdAt = new Date(at).toISOString();
    const account = i % heavyEvery === 0 ? "usr_heavy" : i % lightEvery === 1 ? "usr_light" : rand() < 0.5 ? null : `usr_${Math.floor(rand() * ACCOUNTS)}`;
    insertRequest.run(id, i % 7 === 0 ? "email" : "web", "Scale Client", `client${Math.floor(rand() * ACCOUNTS)}@example.com`, TEXTS[i % 3], account, createdAt);
    const failed = i % 20 === 0;
    insertJob.run(id, failed ? "failed" : "completed", STEPS, failed ? null : RESULT, createdAt, createdAt, failed ? null : createdAt);
    if (i % 200_000 === 0) {
      db.exec("COMMIT");
      if (i) log(`    ${rows - i} of ${rows} rows…`);
      db.exec("BEGIN");
    }
  }
  db.exec("COMMIT");
  for (const { sql } of indexes) db.exec(sql);
  db.exec("ANALYZE");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return { db, file, builtMs: performance.now() - started };
}

const round = (n) => Math.round(n * 1000) / 1000;
const times = (xs) => {
  const s = summary(xs);
  return { n: s.n, p50: round(s.p50), p99: round(s.p99), max: round(s.max) };
};

async function measure(code, db, rows, log) {
  const d1 = d1Over(db);
  const orm = code.database(d1);
  const { requests, jobs } = code.schema;
  const ids = db.prepare("SELECT id FROM requests WHERE rowid % ? = 0 LIMIT 2000").all(Math.max(1, Math.floor(rows / 2000))).map((r) => r.id);
  const headers = (userId) => ({ [code.USER_ID_HEADER]: userId, [code.USER_ROLE_HEADER]: "client" });

  async function page(userId, cursor) {
    const res = await code.dashboardRoutes.request(cursor ? `/?cursor=${encodeURIComponent(cursor)}` : "/", { headers: headers(userId) }, { DB: d1 });
    if (res.status !== 200) throw new Error(`the dashboard answered ${res.status}`);
    return res.json();
  }
  // The cursor 5,000 deep, reached as the site reaches it: page after page.
  let deepCursor = null;
  for (let walked = 0; walked < 5_000; walked += 20) deepCursor = (await page("usr_heavy", deepCursor)).nextCursor;

  const inserted = [];
  const timed = async (n, fn) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn(i);
      out.push(performance.now() - t);
    }
    return times(out);
  };
  // Warm the statements and the pages the first reads touch, as a running database has.
  await timed(20, () => page("usr_heavy", null));
  const firstPage = d1.sent.at(-1);
  await page("usr_heavy", deepCursor);
  const deepPage = d1.sent.at(-1);
  const figures = {
    rows,
    dashboardFirstHeavy: await timed(200, () => page("usr_heavy", null)),
    dashboardDeepHeavy: await timed(200, () => page("usr_heavy", deepCursor)),
    dashboardFirstLight: await timed(200, () => page("usr_light", null)),
    statusRead: await timed(ids.length, async (i) => {
      const row = await orm.select().from(requests).where(code.eq(requests.id, ids[i])).get();
      if (!row) throw new Error(`no request ${ids[i]}`);
      await orm.select().from(jobs).where(code.eq(jobs.requestId, ids[i])).get();
    }),
    insert: await timed(500, async (i) => {
      const id = code.newId("req");
      inserted.push(id);
      const contact = { name: "Scale Client", email: `new${i}@example.com` };
      const event = code.createEvent("request.created", { requestId: id, channel: "web", contact, text: TEXTS[i % 3], files: [] }, { correlationId: id, source: "intake" });
      await orm.batch([orm.insert(requests).values({ id, channel: "web", name: contact.name, email: contact.email, text: TEXTS[i % 3], userId: "usr_heavy" }), code.outboxInsert(orm, event)]);
    }),
  };
  // What SQLite does for each, so a slower figure can be read against the plan.
  const plan = (sql, ...params) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => r.detail);
  figures.plans = {
    dashboard: plan(firstPage.sql, ...firstPage.params),
    dashboardDeep: plan(deepPage.sql, ...deepPage.params),
    statusRequest: plan("SELECT * FROM requests WHERE id = ?", ids[0]),
    statusJob: plan("SELECT * FROM jobs WHERE request_id = ?", ids[0]),
  };
  // The file keeps its N rows, so the next run can reuse it.
  const remove = db.prepare("DELETE FROM requests WHERE id = ?");
  db.exec("BEGIN");
  for (const id of inserted) remove.run(id);
  db.exec("DELETE FROM event_outbox; COMMIT");
  log(`    ${rows} rows measured`);
  return figures;
}

/** @param {{ sizes?: number[], log?: (line: string) => void }} [opts] */
export async function scaleD1({ sizes = [100_000, 10_000_000], log = console.log } = {}) {
  mkdirSync(DIR, { recursive: true });
  const code = await loadCode();
  const now = Date.parse("2026-12-01T00:00:00Z");
  const out = [];
  for (const rows of sizes) {
    log(`  D1 at ${rows} rows: building…`);
    const { db, file, builtMs } = build(rows, now, log);
    try {
      const figures = await measure(code, db, rows, log);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      let bytesByObject;
      try {
        const pages = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name IN ('requests', 'jobs', 'requests_user', 'requests_email', 'requests_idempotency_key', 'sqlite_autoindex_requests_1', 'sqlite_autoindex_jobs_1') GROUP BY name").all();
        bytesByObject = Object.fromEntries(pages.map((p) => [p.name, p.bytes]));
      } catch {
        // A SQLite built without the dbstat table: the file's size alone.
      }
      out.push({ ...figures, fileBytes: statSync(file).size, bytesByObject, builtMs: builtMs && Math.round(builtMs) });
    } finally {
      db.close();
    }
  }
  return out;
}

/** Prints the figures as a table. */
export function printScaleD1(results, log = console.log) {
  log("\nD1 at scale (SQLite in Node on this machine; p50 / p99 ms):");
  const header = ["measure", ...results.map((r) => `${r.rows.toLocaleString("en")} rows`)];
  log(`  ${header.join(" | ")}`);
  const row = (label, key) => log(`  ${label} | ${results.map((r) => `${r[key].p50} / ${r[key].p99}`).join(" | ")}`);
  row("dashboard, first page, user with 10,000 requests", "dashboardFirstHeavy");
  row("dashboard, 5,000 deep, same user", "dashboardDeepHeavy");
  row("dashboard, first page, user with 20 requests", "dashboardFirstLight");
  row("status read (request by id + its job)", "statusRead");
  row("submission's write (request + outbox row, one batch)", "insert");
  log(`  file size | ${results.map((r) => `${(r.fileBytes / 1e9).toFixed(2)} GB (${Math.round(r.fileBytes / r.rows)} bytes a request)`).join(" | ")}`);
  for (const r of results) if (r.bytesByObject) log(`  ${r.rows} rows by table and index (bytes): ${JSON.stringify(r.bytesByObject)}`);
  log(`  plans at ${results.at(-1).rows} rows: ${JSON.stringify(results.at(-1).plans, null, 2)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const results = await scaleD1(sizes.length ? { sizes } : {});
  printScaleD1(results);
  console.log(JSON.stringify(results, null, 2));
}
