// The ops benchmark (issue #18), as `npm run bench` reports it:
//  - what recording metrics and redacting log lines cost a submission, in CPU ms: two whole platforms side by side
//    (startPlatform, each its own workerd, stand-ins and state), one as it always runs and one with
//    BENCH_OBSERVABILITY=off (shared/src/metrics.ts: a switch for this benchmark alone, honoured in development only,
//    that turns off the metric points and the logger's redaction). They take turns: a round submits N text requests
//    to one platform (POST /api/requests through its gateway, each from a new `cf-connecting-ip`), then waits until
//    its workerd has been idle for 3 s (the whole pipeline done: job, tasks, emails and their delivery reports, the log
//    lines and points through the logs queue into D1); the round's CPU is that workerd's utime + stime from
//    /proc/<pid>/stat across the round, divided by N. Each round's requests are then checked `completed` through their
//    status URLs, outside the measured window. The figure is the median over the pairs of (on − off), each pair's
//    difference printed too, since the machine's speed drifts. Beside it, the same work alone in Node: every log line
//    and metric point the "on" platform stored, written again through the shared Logger with the switch on and off,
//    in turns (its lines come back from D1 already redacted, which costs the regular expressions the same scan).
//  - log search over 1,000,000 log lines: the "on" platform's own lines, grouped by the story they tell (a submission
//    with the HTTP request it came in on, a delivery report's webhook), replayed with fresh ids (in the columns, the
//    message and the fields) over the last two weeks until there are 1,000,000, written into the local D1's SQLite
//    file before the workers start (the trigram index built by FTS5's own 'rebuild', the index its insert trigger would
//    have written line by line). Then gateway + identity + logging in their own workerd, an ops account signed in
//    (scripts/create-admin.mjs's dev admin), and GET /api/ops/logs timed for a mix of query kinds in turns: worker +
//    level, warn and up, an hour's range, no filter over two weeks, a correlation id, text (the most common word of
//    the messages, and a notification's id), and the cursor's next page; p50/p99 per kind (nearest rank).
//  - the overview: metric_rollup seeded for the same two weeks as the "on" platform's own roll-up would hold at the
//    same rate of submissions (its rows per submission, drawn per minute), then GET /api/ops/overview?range=hour|day|week
//    in turns, p50/p99; and the plan SQLite makes for the roll-up's query.
// Ports 28880–28890 (the on platform 28880–28884, the off one 28885–28889, the ops workers 28890, inspector 29890).
// Exported for `npm run bench`; runnable alone: `npx node scripts/bench-ops.mjs` prints the figures as JSON.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { importWorkerCode } from "../local/worker-code.mjs";
import { clientAddresses, median, random, summary } from "./bench-stats.mjs";
import { startWorkers, stopWorkers, wranglerBin } from "./bench-workers.mjs";
import { seedDevAdmin } from "./create-admin.mjs";
import { checkNode, root, startPlatform } from "./platform.mjs";

const PLATFORMS = {
  on: { apiPort: 28880, sitePort: 28881, localPort: 28882, inspectorBase: 28883, vars: {} },
  off: { apiPort: 28885, sitePort: 28886, localPort: 28887, inspectorBase: 28888, vars: { BENCH_OBSERVABILITY: "off" } },
};
const OPS_PORT = 28890;
const DAY_MS = 86_400_000;
/** A round ends once its workerd used no more than this CPU over QUIET_MS: the logs queue waits up to 1 s for a batch. */
const QUIET_MS = 3_000;
const QUIET_TICKS = 2;

const ms = (v) => `${v.toFixed(2)} ms`;
/** A new client address per request, from a range the other parts do not use. */
const nextIp = clientAddresses(248, 8);

// ------------------------------------------------------------------------------------------- CPU of a workerd

const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

function procs() {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.push({ pid: Number(name), comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ppid: Number(fields[1]), cmdline: readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0") });
    } catch {
      // A process that ended while the table was read.
    }
  }
  return out;
}

/** The workerd processes `wrangler dev --port <apiPort>` runs (its proxy's and the workers'). */
function workerdsOf(apiPort) {
  const all = procs();
  const wrangler = all.find((p) => p.cmdline.some((a) => a.endsWith("wrangler.js")) && p.cmdline.includes("dev") && p.cmdline[p.cmdline.indexOf("--port") + 1] === String(apiPort));
  if (!wrangler) throw new Error(`no wrangler dev on port ${apiPort}`);
  const below = new Set([wrangler.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) if (!below.has(p.pid) && below.has(p.ppid)) (below.add(p.pid), (grew = true));
  }
  const workerds = all.filter((p) => below.has(p.pid) && p.comm === "workerd").map((p) => p.pid);
  if (!workerds.length) throw new Error(`wrangler dev on port ${apiPort} runs no workerd`);
  return workerds;
}

/** CPU ticks (user + system, every thread) the processes used so far. */
function cpuTicks(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/**
 * Resolves once the processes used at most QUIET_TICKS over the last QUIET_MS (or after `limitMs`, saying so).
 * `pids` is asked again at every look: wrangler restarts the workers' workerd when it reloads them (seen soon after
 * the start, and whenever a source file changes under it), and a look at a process that ended starts the window again.
 */
async function quiet(pids, limitMs = 180_000) {
  const started = Date.now();
  let samples = [];
  let watched = "";
  for (;;) {
    const now = pids();
    if (now.join() !== watched) (samples = [], (watched = now.join()));
    try {
      samples.push({ at: Date.now(), ticks: cpuTicks(now) });
      const last = samples.at(-1);
      const windowStart = samples.find((s) => s.at >= last.at - QUIET_MS) ?? last;
      if (last.at - windowStart.at >= QUIET_MS - 200 && last.ticks - windowStart.ticks <= QUIET_TICKS) return true;
    } catch {
      samples = [];
      watched = "";
    }
    if (Date.now() - started > limitMs) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ------------------------------------------------------------------------------ cost of metrics + redaction

const TEXTS = [
  "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.",
  "Please build an online shop for handmade ceramics: about forty products, card payments, shipping within the EU, and a small blog for studio news.",
  "Our logistics company wants a portal where customers track shipments, download invoices and open support tickets; it must talk to our existing ERP over its REST API.",
];

async function submit(apiUrl, i) {
  const body = JSON.stringify({ name: "Bench Ops", email: `bench-ops-${i}@example.com`, text: `${TEXTS[i % TEXTS.length]} (submission ${i})` });
  const res = await fetch(`${apiUrl}/api/requests`, { method: "POST", body, headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() } });
  const answer = await res.json();
  if (res.status !== 202) throw new Error(`a submission answered ${res.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Every submission `completed` (status URLs, one GET each while they are, else again after a pause). */
async function allCompleted(apiUrl, submitted, limitMs = 120_000) {
  const deadline = Date.now() + limitMs;
  for (const { id, statusUrl } of submitted) {
    for (;;) {
      let view;
      try {
        view = await (await fetch(`${apiUrl}${statusUrl}`, { headers: { "cf-connecting-ip": nextIp() } })).json();
      } catch (err) {
        // wrangler restarting the workers (a source file changed under it) refuses connections for a moment.
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (view.status === "completed") break;
      if (view.status === "failed") throw new Error(`${id} failed: ${JSON.stringify(view.error)}`);
      if (Date.now() > deadline) throw new Error(`${id} was ${view.status}, not completed, ${limitMs} ms after its round`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

let submissions = 0;
/**
 * One round on a platform: N submissions, until its workerd is idle; CPU ms and wall time, then the check. A round
 * whose workerd was restarted meanwhile (its CPU counted from zero again) is taken again.
 */
async function round(p, n) {
  for (let attempt = 1; ; attempt++) {
    if (!(await quiet(p.pids))) throw new Error(`the ${p.name} platform never went idle before its round`);
    const pids = p.pids();
    const cpu0 = cpuTicks(pids);
    const started = performance.now();
    const submitted = [];
    for (let i = 0; i < n; i++) submitted.push(await submit(p.apiUrl, submissions++));
    const wentIdle = await quiet(() => pids);
    let cpuMs;
    try {
      cpuMs = (cpuTicks(pids) - cpu0) * TICK_MS;
    } catch {
      cpuMs = null;
    }
    const wallMs = performance.now() - started - QUIET_MS;
    await allCompleted(p.apiUrl, submitted);
    p.submitted += n;
    if (cpuMs !== null && p.pids().join() === pids.join()) return { cpuMs, perSubmission: cpuMs / n, wallMs, wentIdle };
    if (attempt === 3) throw new Error(`the ${p.name} platform's workerd was restarted during three rounds in a row`);
  }
}

/** The local D1's SQLite file in a `--persist-to` folder. */
function d1File(state) {
  const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.join(", ") || "none"}`);
  return path.join(dir, files[0]);
}

function stored(state) {
  const db = new DatabaseSync(d1File(state), { readOnly: true });
  try {
    const one = (sql) => Object.values(db.prepare(sql).get())[0] ?? 0;
    return {
      lines: one("SELECT count(*) FROM logs"),
      redactedLines: one("SELECT count(*) FROM logs WHERE msg LIKE '%[redacted%' OR fields LIKE '%[redacted%'"),
      points: one("SELECT coalesce(sum(count), 0) FROM metric_rollup"),
      rollupRows: one("SELECT count(*) FROM metric_rollup"),
    };
  } finally {
    db.close();
  }
}

/** The "on" platform's lines and roll-up rows, as the seeds' templates and the Node timing's input. */
function recorded(state) {
  const db = new DatabaseSync(d1File(state), { readOnly: true });
  try {
    return {
      lines: db.prepare("SELECT ts, level, service, correlation_id, request_id, msg, fields FROM logs ORDER BY id").all(),
      rollup: db.prepare("SELECT metric, d1, d2, d3, le, count, sum, extra FROM metric_rollup").all(),
    };
  } finally {
    db.close();
  }
}

/** A roll-up row back as the point it counted (its mean value), to be recorded again through the Logger. */
function pointOf(r) {
  const value = r.sum / r.count;
  const extra = r.extra / r.count;
  switch (r.metric) {
    case "http":
      return { metric: "http", route: r.d1, status: Number(r.d2), service: r.d3, durationMs: value };
    case "task":
      return { metric: "task", kind: r.d1, provider: r.d2, outcome: r.d3, durationMs: value, tokens: extra };
    case "request":
      return { metric: "request", channel: r.d1 };
    case "job":
      return { metric: "job", outcome: r.d1, ...(value ? { durationMs: value } : {}) };
    case "notification":
      return { metric: "notification", channel: r.d1, outcome: r.d2 };
    default:
      return { metric: "queue", queue: r.d1, outcome: r.d2, attempts: Math.round(extra) };
  }
}

/**
 * The same lines and points through the shared Logger in Node, switch on and off in turns: what redacting and
 * recording cost per submission without workerd, queues or D1 around them.
 */
function inNode(code, { lines, rollup }, perSubmissionOf, turns = 15) {
  const parsed = lines.map((l) => ({ service: l.service, msg: l.msg, fields: l.fields === null ? undefined : JSON.parse(l.fields) }));
  const points = rollup.flatMap((r) => Array.from({ length: r.count }, () => pointOf(r)));
  const envs = { on: { LOG_CONSOLE: "error", ENVIRONMENT: "development" }, off: { LOG_CONSOLE: "error", ENVIRONMENT: "development", BENCH_OBSERVABILITY: "off" } };
  const run = (env) => {
    const started = performance.now();
    // A logger per 40 lines and per 100 points: about a request's worth each, as the workers make them.
    for (let i = 0; i < parsed.length; i += 40) {
      const log = new code.Logger(env, "gateway", "req_01JX00000000000000000000AB");
      for (const l of parsed.slice(i, i + 40)) log.info(l.msg, l.fields);
      log.drain();
    }
    for (let i = 0; i < points.length; i += 100) {
      const log = new code.Logger(env, "gateway", "req_01JX00000000000000000000AB");
      for (const p of points.slice(i, i + 100)) log.metric(p);
    }
    return performance.now() - started;
  };
  for (let i = 0; i < 3; i++) (run(envs.on), run(envs.off)); // warm-up
  const diffs = [];
  const on = [];
  const off = [];
  for (let i = 0; i < turns; i++) {
    const a = run(envs.on);
    const b = run(envs.off);
    on.push(a);
    off.push(b);
    diffs.push(a - b);
  }
  return { lines: parsed.length, points: points.length, onMs: perSubmissionOf(median(on)), offMs: perSubmissionOf(median(off)), perSubmissionMs: perSubmissionOf(median(diffs)) };
}

async function costPerSubmission(state, { perRound, pairs, log }) {
  const platforms = {};
  try {
    for (const [name, opts] of Object.entries(PLATFORMS)) {
      log(`ops: starting the "${name}" platform…`);
      const started = await startPlatform({ stateDir: path.join(state, name), quiet: true, chatPieceDelayMs: 0, ...opts });
      platforms[name] = { ...started, name, pids: () => workerdsOf(opts.apiPort), submitted: 0 };
    }
    log(`ops: metrics + redaction on vs off, ${pairs} pairs of ${perRound} submissions…`);
    // A round each not counted: the first submissions bundle the stand-in's code and warm every isolate.
    for (const p of Object.values(platforms)) await round(p, perRound);
    const turns = [];
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 ? ["off", "on"] : ["on", "off"];
      const turn = {};
      for (const name of order) turn[name] = await round(platforms[name], perRound);
      turns.push({ ...turn, diff: turn.on.perSubmission - turn.off.perSubmission });
      log(`  pair ${i + 1}: on ${ms(turn.on.perSubmission)}, off ${ms(turn.off.perSubmission)} CPU a submission`);
    }
    return { turns, submitted: { on: platforms.on.submitted, off: platforms.off.submitted }, workerds: { on: platforms.on.pids().length, off: platforms.off.pids().length } };
  } finally {
    for (const p of Object.values(platforms)) await p.stop();
  }
}

// ------------------------------------------------------------------------------------ the seeds (SQLite file)

/** The ids a line may carry (in its columns, message or fields): `req_…`, `ntf_…` and the like, and uuids. */
const ID = /\b(?:[a-z]{3}_[0-9A-Za-z]{20,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;

/** A fresh id of the same kind: a request's time-sorted, at the copy's time; others random, of the same length. */
function freshId(code, id, at) {
  if (id.startsWith("req_")) return code.newId("req", at);
  if (id.includes("-")) return crypto.randomUUID();
  const hex = /^[a-z]{3}_[0-9a-f]+$/.test(id);
  const alphabet = hex ? "0123456789abcdef" : "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const bytes = crypto.getRandomValues(new Uint8Array(id.length - 4));
  return `${id.slice(0, 4)}${[...bytes].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

/**
 * The recorded lines as stories: a submission's lines (its `req_…` and the HTTP request it came in on), and every
 * other correlation id's (a status check, a cron run) on its own, each with its lines' offsets from its first.
 */
function storiesOf(lines) {
  const rootOf = new Map();
  for (const l of lines) if (l.correlation_id?.startsWith("req_") && l.request_id) rootOf.set(l.request_id, l.correlation_id);
  const stories = new Map();
  for (const l of lines) {
    const key = l.correlation_id ? (rootOf.get(l.correlation_id) ?? l.correlation_id) : `none-${l.ts}`;
    if (!stories.has(key)) stories.set(key, []);
    stories.get(key).push(l);
  }
  return [...stories.values()].map((ls) => {
    const t0 = Date.parse(ls[0].ts);
    const ids = [...new Set(ls.flatMap((l) => [l.correlation_id, l.request_id, l.msg, l.fields].flatMap((text) => text?.match(ID) ?? [])))];
    return { submission: ls.some((l) => l.correlation_id?.startsWith("req_")), ids, lines: ls.map((l) => ({ ...l, offset: Date.parse(l.ts) - t0 })) };
  });
}

/** Writes into a D1 file while no workerd has it open: one transaction, statements prepared once. */
function seedFile(file, write) {
  const db = new DatabaseSync(file);
  try {
    db.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -400000;");
    db.exec("BEGIN");
    write(db);
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

/**
 * `total` log lines over the `days` before `now`: the stories replayed in their recorded proportions, each copy with
 * fresh ids wherever they appear (the line's ids, its message and fields), spread evenly with jitter. Returns what a
 * query needs to find: a submission's id from the middle of the range, and the seeded submissions per minute.
 */
function seedLogs(db, code, stories, { total, days, now }) {
  const order = [];
  for (let n = 0, k = 0; n < total; k++) {
    const s = stories[k % stories.length];
    order.push(k % stories.length);
    n += s.lines.length;
  }
  const next = random(18);
  const from = now - days * DAY_MS;
  const span = days * DAY_MS - 60_000;
  const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'logs_search_insert'").get().sql;
  // FTS5 builds the trigram index from the table in one pass ('rebuild'), the same index the insert trigger would
  // have written a line at a time, many times faster.
  db.exec("DROP TRIGGER logs_search_insert");
  const insert = db.prepare("INSERT INTO logs (ts, level, service, correlation_id, request_id, msg, fields) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const perMinute = new Map();
  let written = 0;
  let probe = null;
  for (let k = 0; k < order.length && written < total; k++) {
    const story = stories[order[k]];
    const at = Math.round(from + ((k + next()) * span) / order.length);
    const fresh = new Map(story.ids.map((id) => [id, freshId(code, id, at)]));
    const swap = (text) => {
      if (text === null) return null;
      let out = text;
      for (const [old, replacement] of fresh) if (out.includes(old)) out = out.split(old).join(replacement);
      return out;
    };
    for (const l of story.lines) {
      if (written >= total) break;
      insert.run(new Date(at + l.offset).toISOString(), l.level, l.service, swap(l.correlation_id), swap(l.request_id), swap(l.msg), swap(l.fields));
      written++;
    }
    if (story.submission) {
      const minute = Math.floor(at / 60_000) * 60_000;
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
      // A request from the middle of the range, and a notification of it, for ops looking one up by its id.
      const notification = [...fresh.values()].find((id) => id.startsWith("ntf_"));
      if (!probe && notification && at > now - days * DAY_MS * 0.5) probe = { request: [...fresh.values()].find((id) => id.startsWith("req_")), notification };
    }
  }
  db.exec("INSERT INTO logs_search (logs_search) VALUES ('rebuild')");
  db.exec(trigger);
  return { written, probe, perMinute };
}

/**
 * The roll-up for the same minutes: per minute, the recorded points per submission times that minute's submissions,
 * each point drawn from the recorded rows by their counts, summed into the rows the logging worker would upsert.
 */
function seedRollup(db, recordedRows, submitted, perMinute) {
  // The recorded rows summed over their minutes: one per metric, dimensions and value bucket.
  const byKey = new Map();
  for (const r of recordedRows) {
    const key = JSON.stringify([r.metric, r.d1, r.d2, r.d3, r.le]);
    const at = byKey.get(key) ?? { ...r, count: 0, sum: 0, extra: 0 };
    at.count += r.count;
    at.sum += r.sum;
    at.extra += r.extra;
    byKey.set(key, at);
  }
  const rollup = [...byKey.values()];
  const total = rollup.reduce((a, r) => a + r.count, 0);
  const perSubmission = total / submitted;
  const cdf = [];
  let acc = 0;
  for (const r of rollup) cdf.push((acc += r.count / total));
  const next = random(19);
  const draw = () => {
    const x = next();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return rollup[lo];
  };
  const insert = db.prepare("INSERT INTO metric_rollup (minute, metric, d1, d2, d3, le, count, sum, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  let rows = 0;
  let points = 0;
  for (const [minute, n] of perMinute) {
    const rowsOfMinute = new Map();
    const count = Math.round(n * perSubmission + next() - 0.5);
    for (let i = 0; i < count; i++) {
      const r = draw();
      const at = rowsOfMinute.get(r) ?? { count: 0, sum: 0, extra: 0 };
      at.count++;
      at.sum += Math.round(r.sum / r.count);
      at.extra += Math.round(r.extra / r.count);
      rowsOfMinute.set(r, at);
    }
    const iso = new Date(minute).toISOString();
    for (const [r, v] of rowsOfMinute) insert.run(iso, r.metric, r.d1, r.d2, r.d3, r.le, v.count, v.sum, v.extra);
    rows += rowsOfMinute.size;
    points += count;
  }
  return { rows, points, perSubmission };
}

// --------------------------------------------------------------------------------------- the ops workers

async function signIn(apiUrl, admin) {
  const res = await fetch(`${apiUrl}/api/sessions`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() }, body: JSON.stringify({ email: admin.email, password: admin.password }) });
  const answer = await res.json();
  if (res.status !== 201) throw new Error(`the ops sign-in answered ${res.status}: ${JSON.stringify(answer)}`);
  return { token: answer.accessToken, at: Date.now() };
}

/** A GET as ops; a new sign-in every 10 minutes, inside the access token's 15. */
function opsClient(apiUrl, admin) {
  let session = null;
  return async (p) => {
    if (!session || Date.now() - session.at > 10 * 60_000) session = await signIn(apiUrl, admin);
    const started = performance.now();
    const res = await fetch(`${apiUrl}${p}`, { headers: { authorization: `Bearer ${session.token}`, "cf-connecting-ip": nextIp() } });
    const body = await res.json();
    const elapsed = performance.now() - started;
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${JSON.stringify(body)}`);
    return { body, ms: elapsed };
  };
}

/** Each of `paths` (name → path) timed `turns` times, one of each a turn, after 2 turns not counted. */
async function inTurns(get, paths, turns) {
  const times = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (let i = 0; i < turns + 2; i++) {
    for (const [name, p] of Object.entries(paths)) {
      const { ms: t } = await get(p);
      if (i >= 2) times[name].push(t);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, summary(t)]));
}

/** The word of the seeded messages most lines carry, for a text search that matches much. */
function commonWord(stories) {
  const count = new Map();
  for (const s of stories) for (const l of s.lines) for (const w of new Set(l.msg.toLowerCase().match(/[a-z]{5,}/g) ?? [])) count.set(w, (count.get(w) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0][0];
}

/** EXPLAIN QUERY PLAN of the overview's roll-up query for the week, on the seeded file. */
function rollupPlan(file, now) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const size = 21_600_000;
    const end = Math.floor(now / size) * size + size;
    const from = end - 28 * size;
    const sql = `SELECT metric, d1, d2, d3, le, CAST((CAST(strftime('%s', substr(minute, 1, 19)) AS INTEGER) - ?1) / ?2 AS INTEGER) AS b,
        SUM(count) AS count, SUM(sum) AS sum, SUM(extra) AS extra
      FROM metric_rollup WHERE metric IN ('http', 'task', 'request', 'job', 'notification', 'queue') AND minute >= ?3 AND minute < ?4
      GROUP BY metric, d1, d2, d3, le, b`;
    const params = [from / 1000, 21_600, new Date(from).toISOString(), new Date(end).toISOString()];
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => r.detail);
    const started = performance.now();
    const rows = db.prepare(sql).all(...params).length;
    return { plan, rows, sqliteMs: performance.now() - started };
  } finally {
    db.close();
  }
}

async function searchAndOverview(state, recordedRows, submittedOn, { lines, days, turns, log }) {
  const code = await importWorkerCode('export { newId } from "./shared/src/ids.ts";', path.join(state, "code", "ops-ids.mjs"));
  const stories = storiesOf(recordedRows.lines);
  const d1 = (args) => execFileSync(process.execPath, [wranglerBin, "d1", ...args, "--local", "-c", "workers/logging/wrangler.toml", "--persist-to", state], { cwd: root, stdio: "pipe" });
  d1(["migrations", "apply", "statex"]);
  const file = d1File(state);
  const now = Date.now();
  log(`ops: seeding ${lines.toLocaleString("en")} log lines over ${days} days (${stories.length} recorded stories, ${stories.filter((s) => s.submission).length} of them submissions) and the roll-up…`);
  const seedStarted = performance.now();
  let seeded;
  let rollup;
  seedFile(file, (db) => {
    seeded = seedLogs(db, code, stories, { total: lines, days, now });
    rollup = seedRollup(db, recordedRows.rollup, submittedOn, seeded.perMinute);
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const sizeMb = statSync(file).size / 1e6;
  const plan = rollupPlan(file, now);
  const admin = await seedDevAdmin({ persistTo: state });

  const apiUrl = `http://127.0.0.1:${OPS_PORT}`;
  log("ops: gateway + identity + logging…");
  const api = await startWorkers(state, ["wrangler.toml", "workers/identity/wrangler.toml", "workers/logging/wrangler.toml"], OPS_PORT, async () => (await fetch(`${apiUrl}/api/.well-known/jwks.json`)).ok);
  try {
    const get = opsClient(apiUrl, admin);
    const iso = (t) => new Date(t).toISOString();
    const services = Object.entries(Object.groupBy(recordedRows.lines, (l) => l.service)).sort((a, b) => b[1].length - a[1].length).map(([s]) => s);
    const common = commonWord(stories);
    const twoWeeks = `from=${encodeURIComponent(iso(now - (days + 1) * DAY_MS))}`;
    const first = await get(`/api/ops/logs?worker=${services[0]}&level=info`);
    if (!first.body.next) throw new Error(`the first page of ${services[0]}'s lines has no next page`);
    const queries = {
      "worker + level (info and up), last 24 h": `/api/ops/logs?worker=${services[0]}&level=info`,
      "level warn and up, two weeks": `/api/ops/logs?level=warn&${twoWeeks}`,
      "the next page (cursor)": `/api/ops/logs?worker=${services[0]}&level=info&cursor=${encodeURIComponent(first.body.next)}`,
      "an hour three days ago": `/api/ops/logs?from=${encodeURIComponent(iso(now - 3 * DAY_MS))}&to=${encodeURIComponent(iso(now - 3 * DAY_MS + 3_600_000))}`,
      "no filter, two weeks": `/api/ops/logs?${twoWeeks}`,
      "a correlation id, two weeks": `/api/ops/logs?correlationId=${seeded.probe.request}&${twoWeeks}`,
      [`text "${common}" (common), last 24 h`]: `/api/ops/logs?q=${common}`,
      [`text "${common}" (common), two weeks`]: `/api/ops/logs?q=${common}&${twoWeeks}`,
      "text: a notification's id, two weeks": `/api/ops/logs?q=${seeded.probe.notification}&${twoWeeks}`,
    };
    const found = {};
    for (const [name, p] of Object.entries(queries)) {
      const { body } = await get(p);
      found[name] = { lines: body.lines.length, more: Boolean(body.next) };
    }
    for (const kind of ["a correlation id, two weeks", "text: a notification's id, two weeks"]) if (!found[kind].lines) throw new Error(`${kind} (${JSON.stringify(seeded.probe)}) found no lines`);
    log(`ops: log search, ${Object.keys(queries).length} kinds of query in turns…`);
    const search = await inTurns(get, queries, turns);

    log("ops: the overview, hour / day / week in turns…");
    const ranges = Object.fromEntries(["hour", "day", "week"].map((r) => [r, `/api/ops/overview?range=${r}`]));
    const totals = {};
    for (const [r, p] of Object.entries(ranges)) {
      const { body } = await get(p);
      if (body.source !== "d1" || !body.requests.totals.created) throw new Error(`the ${r}'s overview shows no requests: ${JSON.stringify(body.requests)}`);
      totals[r] = { created: body.requests.totals.created, completed: body.requests.totals.completed, gatewayRequests: body.http.totals.requests };
    }
    const overview = await inTurns(get, ranges, turns);
    return {
      seed: { lines: seeded.written, days, seconds: seedSeconds, sizeMb, stories: stories.length, submissionsPerDay: [...seeded.perMinute.values()].reduce((a, b) => a + b, 0) / days, rollupRows: rollup.rows, rollupPoints: rollup.points, pointsPerSubmission: rollup.perSubmission },
      search: Object.entries(search).map(([kind, s]) => ({ kind, ...s, ...found[kind] })),
      overview: Object.entries(overview).map(([range, s]) => ({ range, ...s, ...totals[range] })),
      rollupQuery: plan,
    };
  } finally {
    await stopWorkers(api);
  }
}

// ------------------------------------------------------------------------------------------------ the whole

/**
 * Runs every ops measure and returns the figures. `stateDir` is the benchmark's; this part uses its own `ops` folder
 * in it (about 1.5 GB with the million lines, removed at the end unless BENCH_KEEP_STATE=1).
 */
export async function benchOps({
  stateDir = path.join(root, ".tmp", "bench-state"),
  perRound = Number(process.env.BENCH_OPS_ROUND ?? 20),
  pairs = Number(process.env.BENCH_PAIRS ?? 5),
  lines = Number(process.env.BENCH_OPS_LINES ?? 1_000_000),
  days = 14,
  turns = Number(process.env.BENCH_OPS_TURNS ?? 30),
  log = console.log,
} = {}) {
  checkNode();
  const state = path.join(stateDir, "ops");
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const load = () => os.loadavg().map((v) => Number(v.toFixed(2)));
  const loadBefore = load();
  try {
    const cost = await costPerSubmission(state, { perRound, pairs, log });
    const on = stored(path.join(state, "on"));
    const off = stored(path.join(state, "off"));
    const rows = recorded(path.join(state, "on"));
    const code = await importWorkerCode('export { Logger } from "./shared/src/logger.ts";', path.join(state, "code", "ops-logger.mjs"));
    const node = inNode(code, rows, (total) => total / cost.submitted.on);
    const loadMid = load();
    const ops = await searchAndOverview(path.join(state, "search"), rows, cost.submitted.on, { lines, days, turns, log });
    return {
      cpu: {
        perRound,
        pairs,
        on: median(cost.turns.map((t) => t.on.perSubmission)),
        off: median(cost.turns.map((t) => t.off.perSubmission)),
        perSubmissionMs: median(cost.turns.map((t) => t.diff)),
        turnsDiff: cost.turns.map((t) => t.diff),
        turnsWallMs: cost.turns.map((t) => ({ on: t.on.wallMs / perRound, off: t.off.wallMs / perRound })),
        allIdle: cost.turns.every((t) => t.on.wentIdle && t.off.wentIdle),
        workerds: cost.workerds,
        submitted: cost.submitted,
        stored: { on, off, linesPerSubmission: on.lines / cost.submitted.on, pointsPerSubmission: on.points / cost.submitted.on },
        node,
      },
      ...ops,
      load: { before: loadBefore, between: loadMid, after: load() },
    };
  } finally {
    if (process.env.BENCH_KEEP_STATE !== "1") rmSync(state, { recursive: true, force: true });
  }
}

/** The figures as the README's table reads them. */
export function printOps(f, log = console.log) {
  const c = f.cpu;
  log(`\nops: what metrics + redaction cost a submission (two whole platforms, on and off in turns, ${c.pairs} pairs of ${c.perRound}; workerd CPU, user + system):`);
  log(`  on ${ms(c.on)}, off ${ms(c.off)} a submission; on − off ${ms(c.perSubmissionMs)} (each pair: ${c.turnsDiff.map((v) => v.toFixed(2)).join(" ")})${c.allIdle ? "" : " (some round never went idle)"}`);
  log(`  stored per submission with it on: ${c.stored.linesPerSubmission.toFixed(1)} log lines (${c.stored.on.redactedLines} of ${c.stored.on.lines} with something redacted; off: ${c.stored.off.redactedLines} of ${c.stored.off.lines}), ` +
    `${c.stored.pointsPerSubmission.toFixed(1)} metric points (off: ${c.stored.off.points})`);
  log(`  the same lines and points through the Logger alone in Node: on ${ms(c.node.onMs)}, off ${ms(c.node.offMs)}, on − off ${ms(c.node.perSubmissionMs)} a submission`);
  const s = f.seed;
  log(`\nops: log search over ${s.lines.toLocaleString("en")} lines (${s.days} days, ${Math.round(s.submissionsPerDay)} submissions a day; seeded in ${s.seconds.toFixed(0)} s, D1 ${s.sizeMb.toFixed(0)} MB), ${f.search[0].n} of each in turns:`);
  for (const q of f.search) log(`  ${q.kind.padEnd(44)} p50 ${ms(q.p50)}, p99 ${ms(q.p99)} (${q.lines} lines${q.more ? ", more" : ""})`);
  log(`\nops: the overview (${s.rollupRows.toLocaleString("en")} roll-up rows, ${s.pointsPerSubmission.toFixed(1)} points a submission), ${f.overview[0].n} of each in turns:`);
  for (const o of f.overview) log(`  range=${o.range.padEnd(5)} p50 ${ms(o.p50)}, p99 ${ms(o.p99)} (${o.created} requests, ${o.gatewayRequests} gateway requests)`);
  log(`  the week's roll-up query alone in SQLite (Node): ${ms(f.rollupQuery.sqliteMs)}, ${f.rollupQuery.rows} groups; plan: ${f.rollupQuery.plan.join("; ")}`);
  log(`  load average (1, 5, 15 min): before ${f.load.before.join(" ")}, between ${f.load.between.join(" ")}, after ${f.load.after.join(" ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await benchOps();
  printOps(figures);
  console.log(JSON.stringify(figures, null, 2));
}
