// What one request costs the platform, by kind (docs/SCALE.md, issue #20): a text request, a document request (text + a
// one-page PDF) and a voice request (text + a spoken WAV), and the reads a client makes (a sign-in, the dashboard's
// first page, a status read), each driven alone through a whole local platform with the runtime's own tracing on, and
// everything every worker did from its submission until the platform fell quiet read back from the trace store:
// invocations by trigger (HTTP, RPC, queue, alarm) and their CPU time where the runtime reports it, D1 queries with the
// rows D1 says they read and wrote, Durable Object storage rows, R2 operations and bytes, queue sends and messages,
// outbound fetches and calls between workers.
//
// Why the trace store: workerd's spans carry D1's own `rows_read` / `rows_written`, the R2 operation and its size, each
// queue send, each fetch and each binding call, the numbers Cloudflare bills and limits on, for every invocation of
// every worker, without touching the platform's code. (It is off in every other run: it costs the workers' one thread
// a share of its time, so the latency and CPU figures of this run are the dearer side.) The status reads this script
// makes to see that a request ended, and the crons that fire meanwhile, are left out by their root span.
//
// Runnable alone: `npx node scripts/scale-costs.mjs` (ports and state are options).
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { writePdf } from "../shared/test/ai-fixtures/pdf.ts";
import { wavClip } from "../shared/test/ai-fixtures/speech.ts";
import { root, startPlatform } from "./platform.mjs";

const DEFAULTS = { apiPort: 25797, sitePort: 25798, localPort: 25799, inspectorBase: 25240, stateDir: path.join(root, ".tmp", "scale-costs-state") };
const TEXT = "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.";
const FINAL = new Set(["completed", "failed", "cancelled"]);
/** How long the platform must do nothing (no new span) before a request's work is taken as done. */
const QUIET_MS = 6_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The trace store's SQLite file under the state folder (a Durable Object's storage of wrangler's collector). */
function traceFile(stateDir) {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".sqlite") && p.includes("observability")) found.push(p);
    }
  };
  walk(stateDir);
  return found.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

function attrs(blob) {
  if (!blob) return {};
  try {
    return JSON.parse(typeof blob === "string" ? blob : Buffer.from(blob).toString("utf8"));
  } catch {
    return {};
  }
}

/** The local D1's SQLite file (the platform's one database, which every worker binds). */
function d1File(stateDir) {
  const dir = path.join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 file in ${dir}`);
  return path.join(dir, file);
}

/** Rows and bytes (tables with their indexes) of every table of the local D1, read-only beside the running platform. */
function d1Tables(stateDir) {
  const db = new DatabaseSync(d1File(stateDir), { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%'").all().map((r) => r.name);
    const bytes = new Map(db.prepare("SELECT coalesce(i.tbl_name, s.name) AS name, sum(s.pgsize) AS bytes FROM dbstat s LEFT JOIN sqlite_master i ON i.name = s.name GROUP BY 1").all().map((r) => [r.name, r.bytes]));
    return Object.fromEntries(tables.map((t) => [t, { rows: db.prepare(`SELECT count(*) AS n FROM "${t}"`).get().n, bytes: bytes.get(t) ?? 0 }]));
  } finally {
    db.close();
  }
}

/** What each table gained between two snapshots: rows, and bytes at the table's own average row size (with indexes). */
function grown(before, after) {
  const out = {};
  for (const [t, a] of Object.entries(after)) {
    const rows = a.rows - (before[t]?.rows ?? 0);
    if (rows > 0) out[t] = { rows, bytes: Math.round((rows * a.bytes) / Math.max(1, a.rows)) };
  }
  return out;
}

/** Every span that began in [from, to], with its attributes, from the store (opened read-only: the collector writes). */
function spansBetween(file, from, to) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    // The store keeps attributes as SQLite's binary JSON (jsonb); json() gives them back as text.
    return db.prepare("SELECT trace_id, span_id, parent_id, service, name, kind, start_ms, duration_ms, json(attributes) AS attributes FROM spans WHERE start_ms >= ? AND start_ms <= ?").all(from, to)
      .map((s) => ({ ...s, attributes: attrs(s.attributes) }));
  } finally {
    db.close();
  }
}

function latestSpan(file) {
  if (!file) return 0;
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare("SELECT max(start_ms + coalesce(duration_ms, 0)) AS t FROM spans").get().t ?? 0;
  } finally {
    db.close();
  }
}

/** Waits until no span has begun or ended for QUIET_MS. */
async function quiet(stateDir, limitMs = 300_000) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const file = traceFile(stateDir);
    const last = latestSpan(file);
    if (file && Date.now() - last > QUIET_MS) return;
    await sleep(1_000);
  }
  throw new Error(`the platform did not fall quiet in ${limitMs} ms`);
}

const num = (v) => (typeof v === "number" ? v : typeof v === "string" && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : 0);

/** The spans of one request's window, summed into what the load model needs. */
export function costOf(spans, { statusReads = false } = {}) {
  // Leave out whole traces begun by a cron, or by this script's own status reads (unless they are what is measured).
  const excluded = new Set(
    spans.filter((s) => !s.parent_id && (s.name === "scheduled" || (!statusReads && s.attributes["http.request.method"] === "GET" && /\/api\/requests\/[^/]+\?token=/.test(String(s.attributes["url.full"] ?? "")))))
      .map((s) => s.trace_id),
  );
  const mine = spans.filter((s) => !excluded.has(s.trace_id));
  const out = {
    invocations: {},
    cpuMs: 0,
    wallMs: 0,
    cpuMsByService: {},
    d1: { queries: 0, rowsRead: 0, rowsWritten: 0, sqlMs: 0 },
    durableObjectSql: { statements: 0, rowsRead: 0, rowsWritten: 0 },
    r2: {},
    queueSends: {},
    spansByName: {},
  };
  for (const s of mine) {
    const a = s.attributes;
    const key = `${s.kind}:${s.name}`;
    out.spansByName[key] = (out.spansByName[key] ?? 0) + 1;
    if (a["faas.trigger"]) {
      const trigger = `${s.service ?? "?"} ${a["faas.trigger"]}${a["cloudflare.queue.name"] ? ` ${a["cloudflare.queue.name"]}` : ""}`;
      out.invocations[trigger] = (out.invocations[trigger] ?? 0) + 1;
      out.cpuMs += num(a.cpu_time_ms);
      out.wallMs += num(a.wall_time_ms);
      out.cpuMsByService[s.service ?? "?"] = (out.cpuMsByService[s.service ?? "?"] ?? 0) + num(a.cpu_time_ms);
    }
    if ("cloudflare.d1.response.rows_read" in a || s.kind === "d1") {
      out.d1.queries++;
      out.d1.rowsRead += num(a["cloudflare.d1.response.rows_read"]);
      out.d1.rowsWritten += num(a["cloudflare.d1.response.rows_written"]);
      out.d1.sqlMs += num(a["cloudflare.d1.response.sql_duration_ms"]);
    }
    if ("cloudflare.durable_object.response.rows_read" in a) {
      out.durableObjectSql.statements++;
      out.durableObjectSql.rowsRead += num(a["cloudflare.durable_object.response.rows_read"]);
      out.durableObjectSql.rowsWritten += num(a["cloudflare.durable_object.response.rows_written"]);
    }
    if (a["cloudflare.r2.operation"]) {
      const op = String(a["cloudflare.r2.operation"]);
      const r = (out.r2[op] ??= { n: 0, bytes: 0 });
      r.n++;
      r.bytes += num(a["cloudflare.r2.request.size"]) + num(a["cloudflare.r2.response.size"]);
    }
    if (/queue/i.test(s.name) && !a["faas.trigger"]) {
      const q = String(a["cloudflare.binding.name"] ?? s.name);
      const r = (out.queueSends[q] ??= { sends: 0, messages: 0 });
      r.sends++;
      r.messages += num(a["cloudflare.queue.batch_size"]) || num(a["messaging.batch.message_count"]) || 1;
    }
  }
  // The most calls out of one invocation (its direct child spans: fetches, D1, R2, queue sends, binding calls), against
  // the subrequests an invocation may make.
  const children = new Map();
  for (const s of mine) if (s.parent_id) children.set(s.parent_id, (children.get(s.parent_id) ?? 0) + 1);
  const invocationIds = new Set(mine.filter((s) => s.attributes["faas.trigger"]).map((s) => s.span_id));
  out.maxCallsInOneInvocation = Math.max(0, ...[...children].filter(([id]) => invocationIds.has(id)).map(([, n]) => n));
  out.d1.sqlMs = Math.round(out.d1.sqlMs * 100) / 100;
  out.cpuMs = Math.round(out.cpuMs * 10) / 10;
  out.attributeNames = [...new Set(mine.flatMap((s) => Object.keys(s.attributes)))].sort();
  return out;
}

/** @param {{ apiPort?: number, sitePort?: number, localPort?: number, inspectorBase?: number, stateDir?: string, log?: (line: string) => void }} [opts] */
export async function scaleCosts(opts = {}) {
  const { apiPort, sitePort, localPort, inspectorBase, stateDir } = { ...DEFAULTS, ...opts };
  const log = opts.log ?? console.log;
  rmSync(stateDir, { recursive: true, force: true });
  const fixtures = mkdtempSync(path.join(os.tmpdir(), "scale-costs-"));
  const pdf = writePdf([[{ text: "Clinic booking brief", size: 24 }, { text: "Three clinics, one booking site, reminders by email, a dashboard for staff.", size: 11 }]], { title: "Clinic booking brief", author: "Scale Client", created: new Date("2026-01-05T09:00:00Z") });
  const wav = Buffer.from(wavClip(fixtures, "voice-note", "rms", "Please build a booking website for our three clinics with email reminders.").base64, "base64");
  log("  costs: starting a platform with the runtime's tracing on…");
  // wrangler reads X_LOCAL_OBSERVABILITY from its own environment, which the platform's `vars` reach.
  const platform = await startPlatform({ stateDir, apiPort, sitePort, localPort, inspectorBase, quiet: true, chatPieceDelayMs: 0, vars: { X_LOCAL_OBSERVABILITY: "true" } });
  const api = platform.apiUrl;
  const kinds = {
    text: () => ({ headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Scale Client", email: "scale@example.com", text: TEXT }) }),
    document: () => {
      const form = new FormData();
      form.append("name", "Scale Client");
      form.append("email", "scale@example.com");
      form.append("text", TEXT);
      form.append("files", new File([pdf], "brief.pdf", { type: "application/pdf" }));
      return { body: form };
    },
    voice: () => {
      const form = new FormData();
      form.append("name", "Scale Client");
      form.append("email", "scale@example.com");
      form.append("text", TEXT);
      form.append("files", new File([wav], "voice-note.wav", { type: "audio/wav" }));
      return { body: form };
    },
  };
  const out = { fileBytes: { document: pdf.byteLength, voice: wav.byteLength }, kinds: {} };
  try {
    // A first request warms every worker (bundles, isolates, the stand-ins' code), so the three measured are alike.
    let n = 0;
    const submit = async (kind) => {
      n++;
      const res = await fetch(`${api}/api/requests`, { method: "POST", ...kinds[kind](), headers: { ...kinds[kind]().headers, "cf-connecting-ip": `10.64.0.${n}` } });
      if (res.status !== 202) throw new Error(`${kind} submission answered ${res.status}: ${await res.text()}`);
      const { statusUrl } = await res.json();
      for (;;) {
        const view = await (await fetch(`${api}${statusUrl}`, { headers: { "cf-connecting-ip": `10.64.1.${n}` } })).json();
        if (FINAL.has(view.status)) return { status: view.status, statusUrl };
        await sleep(500);
      }
    };
    /** One window: what the platform did from `act` until it fell quiet. */
    const measure = async (kind, act, opts) => {
      await quiet(stateDir);
      const tablesBefore = d1Tables(stateDir);
      const from = Date.now();
      const status = await act();
      await quiet(stateDir);
      const to = Date.now();
      const cost = costOf(spansBetween(traceFile(stateDir), from, to), opts);
      const d1Grown = grown(tablesBefore, d1Tables(stateDir));
      out.kinds[kind] = { status, from, to, windowMs: to - from, ...cost, d1Grown, d1BytesAdded: Object.values(d1Grown).reduce((sum, g) => sum + g.bytes, 0) };
      log(`    ${kind}: ${status}, ${Object.values(cost.invocations).reduce((sum, v) => sum + v, 0)} invocations, ${cost.d1.queries} D1 queries`);
    };
    const { statusUrl } = await submit("text");
    let last = statusUrl;
    for (const kind of Object.keys(kinds)) {
      await measure(kind, async () => {
        const done = await submit(kind);
        last = done.statusUrl;
        return done.status;
      });
    }
    // The reads a client makes: a sign-in, the dashboard's first page, a status read of a finished request.
    const email = `scale-${Date.now()}@example.com`;
    const password = "a long scale passphrase nobody guesses";
    const json = { "content-type": "application/json", "cf-connecting-ip": "10.64.2.1" };
    const registered = await fetch(`${api}/api/users`, { method: "POST", headers: json, body: JSON.stringify({ email, name: "Scale Client", password }) });
    if (registered.status !== 202) throw new Error(`registration answered ${registered.status}`);
    let token = "";
    await measure("signIn", async () => {
      const res = await fetch(`${api}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
      token = (await res.json()).accessToken;
      return res.status;
    });
    await measure("dashboard", async () => (await fetch(`${api}/api/me/requests`, { headers: { "cf-connecting-ip": "10.64.2.1", authorization: `Bearer ${token}` } })).status);
    await measure("status", async () => (await fetch(`${api}${last}`, { headers: { "cf-connecting-ip": "10.64.2.1" } })).status, { statusReads: true });
  } finally {
    await platform.stop();
    rmSync(fixtures, { recursive: true, force: true });
  }
  return out;
}

/** Prints the figures. */
export function printScaleCosts(f, log = console.log) {
  log("\nwhat one request costs, by kind (the runtime's spans, from submission until the platform fell quiet):");
  for (const [kind, c] of Object.entries(f.kinds)) {
    const invocations = Object.values(c.invocations).reduce((s, v) => s + v, 0);
    // workerd reports no CPU time to a local trace collector: say so rather than print zeros.
    const cpu = c.cpuMs ? `CPU ${c.cpuMs} ms (${Object.entries(c.cpuMsByService).map(([s, v]) => `${s} ${Math.round(v * 10) / 10}`).join(", ")})` : "CPU not reported locally";
    log(`  ${kind} (${c.status}): ${invocations} invocations, ${cpu}`);
    log(`    D1: ${c.d1.queries} queries, ${c.d1.rowsRead} rows read, ${c.d1.rowsWritten} rows written; Durable Object SQL: ${c.durableObjectSql.statements} statements, ${c.durableObjectSql.rowsRead} rows read, ${c.durableObjectSql.rowsWritten} written`);
    log(`    R2: ${Object.entries(c.r2).map(([op, r]) => `${op} ${r.n} (${r.bytes} bytes)`).join(", ") || "none"}; queue sends: ${Object.entries(c.queueSends).map(([q, r]) => `${q} ${r.sends}/${r.messages}`).join(", ") || "none"}`);
    log(`    D1 SQL time ${c.d1.sqlMs} ms; D1 grew by ${c.d1BytesAdded} bytes (${Object.entries(c.d1Grown).map(([t, g]) => `${t} +${g.rows}`).join(", ")}); the most calls out of one invocation: ${c.maxCallsInOneInvocation}`);
    log(`    invocations: ${Object.entries(c.invocations).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    log(`    spans: ${Object.entries(c.spansByName).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await scaleCosts();
  printScaleCosts(figures);
  console.log(JSON.stringify(figures, null, 2));
}
