// `npm run chaos` (issue 20): the whole platform under faults, then a count from the stores that nothing was lost or
// sent twice. `npm test` runs the small version (`--small`: 100 requests, one restart).
//
// What it does: starts the platform of `npm run dev` on its own ports and state (--api-port, --site-port,
// --local-port, --inspector-base, --state-dir), with 20% of AI task attempts failing (AI_FAULT_RATE, reported to the
// job as a provider outage) and 2% of the event consumers' D1 writes refused (D1_FAULT_RATE, shared/src/db.ts), and
// submits REQUESTS requests through the gateway — text, a PDF brief (docai) and a voice note (asr), in turn; some
// with a WhatsApp number, some by an integrator whose webhook endpoint is subscribed to every request event. Meanwhile
// it breaks things for stretches: the model server failing or answering 429 (its /v1/standin/controls), the email,
// WhatsApp and Telegram stand-ins failing or answering 429 (/outbox/controls), the integrator's endpoint failing, and
// it kills `wrangler dev` (SIGKILL, every worker at once) and starts it again on the same state, twice (once with
// --small). A client whose submission met a fault or a dead gateway sends it again with the same Idempotency-Key, as
// any client would; a request counts as accepted once answered 202.
//
// Then every fault is healed and it waits for the platform to drain, and counts from the stores themselves: the D1
// file in the state directory (node:sqlite, read-only), the channels' stand-in store (what they were sent), the
// webhook receiver's log (what it got), and each task's result through the ops route (R2):
//   - every accepted request is in D1 and its job final: completed, completed with per-task errors, or failed with
//     a reason;
//   - every succeeded task's result can be read;
//   - every event that must notify did: a ladder and a message for each request's "received" and its "ready" or
//     "failed", and each integrator event reached the receiver;
//   - nothing was sent twice: one message per event and channel at the stand-ins, one accepted delivery per
//     webhook-id at the receiver;
//   - every dead letter is accounted for (its queue and body) and redrivable (redriven once through the ops route).
// What the local simulator alone loses is counted apart: a local queue keeps its messages in
// the process's memory, so a message that was sent and not yet consumed when `wrangler dev` was killed is gone,
// where Cloudflare Queues keep it (written to disk in several places before the send returns). The crons run locally
// too (scripts/local-cron.mjs), so what they recover is the platform's to recover: an event left unsent in an outbox
// (the outbox relay), a request whose request.created was lost (intake's reconciliation sweep, here after 90 s), a
// webhook delivery whose queued attempt was lost (notify's sweep). What is left to the simulator is what no mechanism
// recovers from a lost message, and only when the stores show it: a notify event consumed by no one, or a
// notification's retry, in a killed queue.
// It prints a table and exits 1 on any loss or double the platform is answerable for.
import { mkdirSync, rmSync, readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openOutbox } from "../local/store.mjs";
import { devAdmin } from "./create-admin.mjs";
import { checkNode, root, startPlatform } from "./platform.mjs";

checkNode();
const { DatabaseSync } = await import("node:sqlite");
const { writePdf } = await import("../shared/test/ai-fixtures/pdf.ts");
const { wavClip } = await import("../shared/test/ai-fixtures/speech.ts");

const { values: args } = parseArgs({
  options: {
    small: { type: "boolean", default: false },
    requests: { type: "string" },
    restarts: { type: "string" },
    "api-port": { type: "string", default: "24787" },
    "site-port": { type: "string", default: "24788" },
    "local-port": { type: "string", default: "24790" },
    "inspector-base": { type: "string", default: "24230" },
    "state-dir": { type: "string", default: ".tmp/chaos-state" },
    "drain-minutes": { type: "string" },
    "ai-fault-rate": { type: "string", default: "0.2" },
    "d1-fault-rate": { type: "string", default: "0.02" },
    // Counts a platform that a run left running on these ports and state (a run cut short): the kills' times as ISO
    // dates, comma-separated, as the run's log printed them.
    "count-only": { type: "boolean", default: false },
    kills: { type: "string", default: "" },
  },
});
const REQUESTS = Number(args.requests ?? (args.small ? 100 : 1000));
const RESTARTS = Number(args.restarts ?? (args.small ? 1 : 2));
const DRAIN_MS = Number(args["drain-minutes"] ?? (args.small ? 6 : 40)) * 60_000;
const LANES = 6;
const stateDir = path.resolve(root, args["state-dir"]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stamp = () => new Date().toISOString().slice(11, 19);
const log = (line) => console.log(`[chaos ${stamp()}] ${line}`);

const TEXT = "We run three physiotherapy clinics and book by phone. We need an online booking website with reminders by email.";
const BRIEF = writePdf(
  [[{ text: "Project brief", size: 18 }, { text: "Patients book online and get a reminder the day before.", size: 11 }]],
  { title: "Project brief", author: "Chaos Client", created: new Date("2026-11-01T00:00:00Z") },
);

/** The state directory's D1 database (every worker binds the same one), read-only while the platform runs. */
function d1File() {
  const dir = path.join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}`);
  return path.join(dir, file);
}

function query(sql, ...params) {
  const db = new DatabaseSync(d1File(), { readOnly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

async function json(url, init, what) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

const put = (url, body) => fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.ok);

/** A signed-in session that signs in again when its access token is old, or a restart cost a sign-in. */
function session(apiUrl, credentials, ip) {
  let current;
  return async () => {
    if (!current || Date.now() - current.at > 4 * 60_000) {
      for (let tries = 1; ; tries++) {
        try {
          const { accessToken } = await json(`${apiUrl}/api/sessions`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify(credentials) }, "sign-in");
          current = { at: Date.now(), headers: { authorization: `Bearer ${accessToken}` } };
          break;
        } catch (err) {
          if (tries >= 30) throw err;
          await sleep(2_000);
        }
      }
    }
    return current.headers;
  };
}

/** What request `i` is: its kind (text, file, voice), whether it gives WhatsApp, whether the integrator sends it. */
const shapeOf = (i) => ({ kind: ["text", "file", "voice"][i % 3], whatsapp: i % 4 === 1, integrator: i % 5 === 0 });

function bodyOf(i, voice) {
  const shape = shapeOf(i);
  const fields = { name: `Chaos Client ${i}`, email: `chaos-${i}@example.com`, text: `${TEXT} (request ${i})` };
  if (shape.whatsapp) fields.whatsapp = `+4917${String(i).padStart(8, "0")}`;
  if (shape.kind === "text") return { body: JSON.stringify(fields), type: "application/json" };
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (shape.kind === "file") form.append("files", new File([BRIEF], "brief.pdf", { type: "application/pdf" }));
  else form.append("files", new File([voice], "voice-note.wav", { type: "audio/wav" }));
  return { body: form };
}

/**
 * Submits request `i` until it is answered 202 (accepted) or a 4xx that is no fault of the run's (refused): a dead
 * gateway (a restart), a 5xx (a refused D1 write) or a 429 is sent again with the same Idempotency-Key.
 */
async function submit(ctx, i) {
  const shape = shapeOf(i);
  for (let tries = 1; ; tries++) {
    const { body, type } = bodyOf(i, ctx.voice);
    const headers = { "cf-connecting-ip": `10.66.${(i >> 8) & 255}.${i & 255}`, "idempotency-key": `${ctx.runId}-${i}` };
    if (type) headers["content-type"] = type;
    if (shape.integrator) Object.assign(headers, await ctx.integrator());
    let status = 0;
    let answer = "";
    try {
      const res = await fetch(`${ctx.apiUrl}/api/requests`, { method: "POST", headers, body, signal: AbortSignal.timeout(60_000) });
      answer = await res.text();
      // Only an answer read whole counts: a kill may cut one off after its status.
      status = res.status;
    } catch (err) {
      answer = err.cause?.code ?? err.message;
    }
    if (status === 202) return { i, id: JSON.parse(answer).id, tries, at: Date.now() };
    if (status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429) return { i, refused: `${status} ${answer.slice(0, 200)}`, tries };
    if (tries >= 200) return { i, refused: `gave up after ${tries} tries: ${status} ${answer.slice(0, 200)}`, tries };
    ctx.resent++;
    await sleep(Math.min(5_000, 250 * tries));
  }
}

/**
 * The fault stretches, one after another while the submissions run, each followed by a healthy pause: the model
 * server, then each channel, failing (5xx) or throttling (429), and the integrator's endpoint failing.
 */
const STRETCHES = [
  { what: "model server failing", on: (c) => put(`${c.localUrl}/v1/standin/controls`, { mode: "fail" }), off: (c) => put(`${c.localUrl}/v1/standin/controls`, { mode: "normal" }) },
  { what: "email failing", on: (c) => put(`${c.localUrl}/outbox/controls/email`, { mode: "fail" }), off: (c) => put(`${c.localUrl}/outbox/controls/email`, { mode: "normal" }) },
  { what: "WhatsApp answering 429", on: (c) => put(`${c.localUrl}/outbox/controls/whatsapp`, { mode: "429", retryAfter: 3 }), off: (c) => put(`${c.localUrl}/outbox/controls/whatsapp`, { mode: "normal" }) },
  { what: "the integrator's endpoint failing", on: (c) => put(`${c.localUrl}/webhook-receiver/${c.receiver}/controls`, { fail: 20, status: 503 }), off: (c) => put(`${c.localUrl}/webhook-receiver/${c.receiver}/controls`, { fail: 0 }) },
  { what: "model server answering 429", on: (c) => put(`${c.localUrl}/v1/standin/controls`, { mode: "429", retryAfter: 2 }), off: (c) => put(`${c.localUrl}/v1/standin/controls`, { mode: "normal" }) },
  { what: "email answering 429", on: (c) => put(`${c.localUrl}/outbox/controls/email`, { mode: "429", retryAfter: 3 }), off: (c) => put(`${c.localUrl}/outbox/controls/email`, { mode: "normal" }) },
  { what: "WhatsApp failing", on: (c) => put(`${c.localUrl}/outbox/controls/whatsapp`, { mode: "fail" }), off: (c) => put(`${c.localUrl}/outbox/controls/whatsapp`, { mode: "normal" }) },
  { what: "Telegram failing", on: (c) => put(`${c.localUrl}/outbox/controls/telegram`, { mode: "fail" }), off: (c) => put(`${c.localUrl}/outbox/controls/telegram`, { mode: "normal" }) },
];
const STRETCH_MS = 12_000;
const PAUSE_MS = 8_000;

async function healAll(c) {
  await put(`${c.localUrl}/v1/standin/controls`, { mode: "normal" });
  for (const channel of ["email", "whatsapp", "telegram"]) await put(`${c.localUrl}/outbox/controls/${channel}`, { mode: "normal", failRate: 0 });
  await put(`${c.localUrl}/webhook-receiver/${c.receiver}/controls`, { fail: 0 });
}

/** Runs the stretches in turn until `done()`; what it did, with times. */
async function faults(c, done) {
  const did = [];
  for (let n = 0; !done(); n++) {
    const s = STRETCHES[n % STRETCHES.length];
    await s.on(c);
    did.push({ what: s.what, at: Date.now() });
    const until = Date.now() + STRETCH_MS;
    while (Date.now() < until && !done()) await sleep(500);
    await s.off(c);
    const pause = Date.now() + PAUSE_MS;
    while (Date.now() < pause && !done()) await sleep(500);
  }
  return did;
}

/** Every accepted request's state, from D1: its job, its events and who consumed them, its notifications. */
function readStores(accepted) {
  const ids = new Set(accepted.map((a) => a.id));
  const inList = (rows, key = "request_id") => new Map(rows.filter((r) => ids.has(r[key])).map((r) => [r[key], r]));
  const requests = new Set(query("SELECT id FROM requests").map((r) => r.id));
  const jobs = inList(query("SELECT request_id, status, steps, error, created_at, updated_at, completed_at FROM jobs"));
  const created = new Map(
    query("SELECT id, json_extract(body, '$.data.requestId') AS request_id, created_at, sent_at FROM event_outbox WHERE type = 'request.created'").map((r) => [r.request_id, r]),
  );
  const processed = new Set(query("SELECT consumer || ':' || event_id AS k FROM processed_events WHERE consumer IN ('orchestrator', 'notify')").map((r) => r.k));
  const ladders = Map.groupBy(query("SELECT event_id, request_id, kind, created_at FROM notification_ladders WHERE request_id IS NOT NULL"), (r) => r.request_id);
  const notifications = Map.groupBy(
    query("SELECT id, event_id, request_id, channel, kind, status, step, attempts, error, created_at, updated_at FROM notifications WHERE request_id IS NOT NULL"),
    (r) => r.request_id,
  );
  const deliveries = Map.groupBy(query("SELECT id, event_type, request_id, status, attempts, last_error, updated_at FROM webhook_deliveries"), (r) => r.request_id);
  // The jobs intake's reconciliation sweep started (src/lost-jobs.ts logs each), as far as the log lines reached D1.
  const swept = new Set(query("SELECT DISTINCT request_id FROM logs WHERE service = 'intake' AND msg LIKE 'lost job started%'").map((r) => r.request_id).filter((id) => ids.has(id)));
  return { requests, jobs, created, processed, ladders, notifications, deliveries, swept };
}

const FINAL = new Set(["completed", "failed", "cancelled"]);
/** A notification's statuses that mean the provider took it (or ops will, for LinkedIn). */
const TAKEN = new Set(["sent", "delivered", "read", "manual"]);

/**
 * How much is still on its way: jobs not final, messages queued, webhook deliveries pending. A queued message a kill
 * left behind is not waited for (nothing will move it): the count puts it apart, as the simulator's. A job or a
 * webhook delivery is waited for: the crons' sweeps move those again.
 */
function stillOpen(accepted, kills) {
  const s = readStores(accepted);
  let open = 0;
  for (const a of accepted) {
    const job = s.jobs.get(a.id);
    if (!job || !FINAL.has(job.status)) open++;
    for (const n of s.notifications.get(a.id) ?? []) if (n.status === "queued" && !killAfter(kills, Date.parse(n.updated_at ?? n.created_at))) open++;
    for (const d of s.deliveries.get(a.id) ?? []) if (d.status === "pending") open++;
  }
  return open;
}

/** The time of the kill that came first after `at` (ms), or undefined. */
const killAfter = (kills, at) => kills.find((k) => k >= at);

async function main() {
  const t0 = Date.now();
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(path.join(root, ".tmp", "chaos-fixtures"), { recursive: true });
  const voice = readFileSync(path.join(root, ".tmp", "chaos-fixtures", wavClip(path.join(root, ".tmp", "chaos-fixtures"), "voice-note", "slt", "Please build a dashboard that shows our monthly sales.").name));

  log(`${REQUESTS} requests, ${RESTARTS} restart(s) of wrangler dev, AI attempts failing ${Number(args["ai-fault-rate"]) * 100}%, D1 writes in consumers refused ${Number(args["d1-fault-rate"]) * 100}%; state in ${path.relative(root, stateDir)}`);
  const platform = await startPlatform({
    stateDir,
    apiPort: Number(args["api-port"]),
    sitePort: Number(args["site-port"]),
    localPort: Number(args["local-port"]),
    inspectorBase: Number(args["inspector-base"]),
    quiet: true,
    restartable: true,
    chatPieceDelayMs: 0,
    vars: {
      AI_FAULT_RATE: args["ai-fault-rate"],
      D1_FAULT_RATE: args["d1-fault-rate"],
      // A few jobs at once, so one job's retry backoff does not hold the whole line.
      JOB_SLOTS: "8",
      // A task message lost with a killed local queue is dispatched again when its job's alarm finds it overdue in
      // the queue: two minutes here rather than ten, as only the few running jobs' tasks are ever queued (one minute
      // was too short on a loaded machine: tasks merely waiting their turn ran out of attempts).
      TASK_QUEUE_TIMEOUT_MS: "120000",
      // A request whose request.created died with a killed queue is started by intake's cron sweep once this old.
      LOST_JOB_AFTER_MS: "90000",
    },
  });
  const apiUrl = platform.apiUrl;
  const receiver = `chaos-${Date.now()}`;
  const c = { apiUrl, localUrl: platform.localUrl, receiver };
  const kills = [];
  let exitCode = 1;
  // Interrupted, the platform goes with the run rather than staying behind on its ports.
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => void platform.stop().finally(() => process.exit(130)));
  // wrangler dev reloads the workers when a source file changes, which loses the local queues' messages as a kill
  // does: such reloads (others editing this checkout) are named beside the restarts the run made.
  const changed = new Set();
  const reloads = [];
  const watchers = ["workers", "shared"].map((dir) =>
    watch(path.join(root, dir), { recursive: true }, (_event, file) => {
      if (!file || /(^|\/)(node_modules|\.wrangler|test)(\/|$)/.test(file)) return;
      changed.add(path.join(dir, file));
      if (!reloads.length || Date.now() - reloads.at(-1) > 2_000) reloads.push(Date.now());
    }).on("error", () => undefined),
  );
  try {
    // The integrator: an account with one endpoint subscribed to every request event.
    const email = `chaos-integrator-${Date.now()}@example.com`;
    const password = `a long enough chaos passphrase ${Date.now()}`;
    const ip = "10.65.0.1";
    await json(`${apiUrl}/api/users`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify({ email, name: "Chaos Integrator", password }) }, "registration");
    const integrator = session(apiUrl, { email, password }, ip);
    await json(`${apiUrl}/api/me/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip, ...(await integrator()) },
      body: JSON.stringify({ url: `${platform.localUrl}/webhook-receiver/${receiver}`, events: ["request.processing", "request.completed", "request.failed", "request.cancelled"] }),
    }, "subscribing");

    const ctx = { apiUrl, voice, integrator, runId: `chaos-${Date.now()}`, resent: 0 };
    const results = new Array(REQUESTS);
    let submitted = 0;
    let submitting = true;
    const restartAt = Array.from({ length: RESTARTS }, (_, k) => Math.floor(((k + 1) * REQUESTS) / (RESTARTS + 1)));
    const faultRun = faults(c, () => !submitting);
    // Awaited only once the submissions are done: a failure before then must not end the process unhandled.
    const restarts = (async () => {
      for (const at of restartAt) {
        while (submitted < at) await sleep(200);
        log(`killing wrangler dev after ${submitted} submissions`);
        kills.push(Date.now());
        const began = Date.now();
        // A restart that does not come back in time is tried again: the run goes on either way and counts what it can.
        for (let tries = 1; ; tries++) {
          try {
            await platform.restartWorkers();
            break;
          } catch (err) {
            log(`wrangler dev did not come back (${err.message}); killing and starting it again`);
            if (tries >= 3) throw err;
          }
        }
        log(`wrangler dev is back after ${((Date.now() - began) / 1000).toFixed(1)} s`);
      }
    })().then(() => undefined, (err) => err);
    let next = 0;
    await Promise.all(Array.from({ length: LANES }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        results[i] = await submit(ctx, i);
        if (++submitted % 100 === 0) log(`${submitted} submitted`);
      }
    }));
    const restartFailed = await restarts;
    submitting = false;
    if (restartFailed) throw restartFailed;
    const stretches = await faultRun;
    await healAll(c);
    const submitMs = Date.now() - t0;
    const accepted = results.filter((r) => r.id);
    const refused = results.filter((r) => r.refused);
    log(`${accepted.length} accepted, ${refused.length} refused, ${ctx.resent} submissions sent again; waiting for the platform to drain (at most ${DRAIN_MS / 60_000} min)`);

    const drainUntil = Date.now() + DRAIN_MS;
    let open = Infinity;
    let lastLog = 0;
    // `kill -USR2 <pid>` ends the wait early and counts what the stores hold now (a run that must stop by a time).
    let countNow = false;
    process.once("SIGUSR2", () => {
      countNow = true;
      log("asked to count now");
    });
    while (Date.now() < drainUntil && !countNow) {
      open = stillOpen(accepted, [...kills, ...reloads]);
      if (open === 0) break;
      if (Date.now() - lastLog > 30_000) {
        log(`${open} jobs, messages or deliveries still open`);
        lastLog = Date.now();
      }
      await sleep(5_000);
    }
    // A doubled send would come after the first: look again a little later.
    await sleep(open === 0 ? 8_000 : 0);
    const drainedMs = Date.now() - t0;

    const counts = await count({ platform, accepted, refused, kills: [...kills, ...reloads].sort((a, b) => a - b), receiver, integratorIds: new Set(accepted.filter((a) => shapeOf(a.i).integrator).map((a) => a.id)) });
    counts.figures = {
      requests: REQUESTS,
      restarts: kills.length,
      reloads: reloads.length,
      resent: ctx.resent,
      stretches: stretches.map((s) => s.what),
      submitSeconds: Math.round(submitMs / 1000),
      totalSeconds: Math.round(drainedMs / 1000),
      stillOpenAtEnd: open,
      machine: { cpus: os.availableParallelism(), load: os.loadavg()[0].toFixed(1) },
    };
    print(counts);
    exitCode = counts.platformLosses + counts.doubles > 0 ? 1 : 0;
  } finally {
    for (const w of watchers) w.close();
    await platform.stop();
  }
  if (changed.size) log(`sources changed during the run, so wrangler dev reloaded the workers besides the restarts: ${[...changed].slice(0, 8).join(", ")}`);
  return exitCode;
}

/** The counts from the stores, after the drain. */
async function count({ platform, accepted, refused, kills, receiver, integratorIds }) {
  const s = readStores(accepted);
  const admin = session(platform.apiUrl, devAdmin(), "10.65.0.2");
  const rows = [];
  const row = (what, n, kind = "info", detail = "") => rows.push({ what, n, kind, detail });
  const examples = {};
  const example = (key, id) => ((examples[key] ??= []).length < 5 ? examples[key].push(id) : undefined);
  let simulator = 0;
  let losses = 0;
  let doubles = 0;

  // Requests and jobs.
  const missing = accepted.filter((a) => !s.requests.has(a.id));
  let completed = 0;
  let partial = 0;
  let failedWithReason = 0;
  let failedNoReason = 0;
  let cancelled = 0;
  let notFinalPlatform = 0;
  let stillMoving = 0;
  const results = [];
  for (const a of accepted) {
    if (!s.requests.has(a.id)) continue;
    const job = s.jobs.get(a.id);
    if (job && FINAL.has(job.status)) {
      const steps = JSON.parse(job.steps);
      if (job.status === "completed") steps.some((t) => t.state === "failed") ? partial++ : completed++;
      else if (job.status === "cancelled") cancelled++;
      else if (job.error) failedWithReason++;
      else (failedNoReason++, example("failed without a reason", a.id));
      for (const t of steps) if (t.state === "succeeded") results.push({ requestId: a.id, taskId: t.id });
      continue;
    }
    // Not final: the platform's, unless still on its way — waiting for a job slot, moving within the last minutes, or
    // its request.created lost too recently for the reconciliation sweep (90 s, then the next minute's cron).
    const event = s.created.get(a.id);
    const sweepDue = event && Date.now() - Date.parse(event.created_at) < 90_000 + 2 * 60_000;
    if ((!job && event && (s.processed.has(`orchestrator:${event.id}`) || sweepDue)) || (job && Date.now() - Date.parse(job.updated_at) < 5 * 60_000)) {
      // A run counted before it drained.
      stillMoving++;
      example(`still ${job ? "running" : "in line"} when counted`, a.id);
    } else {
      notFinalPlatform++;
      example(`not final (${job ? job.status : "no job"})`, a.id);
    }
  }
  row("requests accepted (202)", accepted.length);
  row("submissions refused (a 4xx after every retry)", refused.length, refused.length ? "loss" : "ok", refused.slice(0, 3).map((r) => r.refused).join("; "));
  row("accepted requests missing from D1", missing.length, missing.length ? "loss" : "ok");
  row("jobs completed", completed);
  row("jobs completed with per-task errors", partial);
  row("jobs failed with a reason", failedWithReason);
  row("jobs cancelled", cancelled);
  row("jobs failed without a reason", failedNoReason, failedNoReason ? "loss" : "ok");
  row("requests still in line or running when counted", stillMoving, stillMoving ? "open" : "ok");
  row("requests not final and not moving (the platform's)", notFinalPlatform, notFinalPlatform ? "loss" : "ok");
  row("jobs started by the reconciliation sweep (request.created lost)", s.swept.size);
  for (const id of [...s.swept].slice(0, 5)) example("started by the reconciliation sweep", id);
  // A run must drain before it can say nothing was lost: what is still moving fails it too, named apart.
  losses += missing.length + failedNoReason + notFinalPlatform + stillMoving + refused.length;

  // Task results: each succeeded task's output through the ops route (R2).
  let resultsLost = 0;
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < results.length) {
      const r = results[next++];
      let res;
      for (let tries = 1; ; tries++) {
        // Each lane reads from an address of its own, and waits out the API's per-client limit when it meets it.
        res = await fetch(`${platform.apiUrl}/api/ops/jobs/${r.requestId}/tasks/${r.taskId}/result`, { headers: { ...(await admin()), "cf-connecting-ip": `10.65.1.${next % 200}` } });
        await res.arrayBuffer();
        if (res.status !== 429 || tries >= 10) break;
        await sleep(Number(res.headers.get("retry-after") ?? 5) * 1_000);
      }
      if (res.status !== 200) (resultsLost++, example(`task result ${res.status}`, `${r.requestId}/${r.taskId}`));
    }
  }));
  row("task results stored (succeeded tasks read back)", results.length - resultsLost);
  row("task results lost", resultsLost, resultsLost ? "loss" : "ok");
  losses += resultsLost;

  // Notifications: a ladder and a message taken by a provider for each request's "received" and its final word.
  const need = [];
  for (const a of accepted) {
    need.push({ id: a.id, kind: "received" });
    const job = s.jobs.get(a.id);
    if (job?.status === "completed") need.push({ id: a.id, kind: "ready", at: job.completed_at });
    if (job?.status === "failed") need.push({ id: a.id, kind: "failed", at: job.completed_at });
  }
  let taken = 0;
  let failedEverywhere = 0;
  let notifyLost = 0;
  let notifySimulator = 0;
  let onTheWay = 0;
  for (const n of need) {
    const ladder = (s.ladders.get(n.id) ?? []).find((l) => l.kind === n.kind);
    const messages = (s.notifications.get(n.id) ?? []).filter((m) => m.kind === n.kind);
    if (!ladder) {
      const event = n.kind === "received" ? s.created.get(n.id) : undefined;
      const at = n.kind === "received" ? event && Date.parse(event.created_at) : n.at && Date.parse(n.at);
      if (at && killAfter(kills, at) && !(event && s.processed.has(`notify:${event.id}`))) (notifySimulator++, example(`"${n.kind}" lost with a killed local queue`, n.id));
      else (notifyLost++, example(`"${n.kind}" never notified`, n.id));
      continue;
    }
    if (messages.some((m) => TAKEN.has(m.status))) {
      taken++;
      continue;
    }
    if (messages.length && messages.every((m) => m.status === "failed" || m.status === "skipped")) {
      failedEverywhere++;
      continue;
    }
    // Left half done: the simulator's when the last thing that happened to it came before a kill (its retry or next
    // step was a message in the killed queue), the platform's otherwise.
    const last = Math.max(Date.parse(ladder.created_at), ...messages.map((m) => Date.parse(m.updated_at ?? m.created_at)));
    const stuck = messages.some((m) => m.status === "queued") ? "still queued" : "has a ladder and no message taken";
    if (killAfter(kills, last)) (notifySimulator++, example(`"${n.kind}" ${stuck}, its retry in a killed local queue`, n.id));
    else if (stuck === "still queued") (onTheWay++, example(`"${n.kind}" still queued`, n.id));
    else (notifyLost++, example(`"${n.kind}" ${stuck}`, n.id));
  }
  row("notifications due (received, ready, failed)", need.length);
  row("notifications taken by a channel", taken);
  row("notifications failed on every channel (recorded, with the error)", failedEverywhere);
  row("notifications still queued at the end", onTheWay, onTheWay ? "loss" : "ok");
  row("notifications lost (the platform's)", notifyLost, notifyLost ? "loss" : "ok");
  row("notifications lost (the simulator's: event or retry in a killed local queue)", notifySimulator, "simulator");
  losses += notifyLost + onTheWay;
  simulator += notifySimulator;

  // Doubles at the stand-ins: one message per event (request and kind) and channel.
  const store = openOutbox(path.join(platform.stateDir, "local-services"));
  const seen = new Map();
  const recipients = new Set(accepted.flatMap((a) => [`chaos-${a.i}@example.com`, `4917${String(a.i).padStart(8, "0")}`]));
  let sent = 0;
  for (const m of store.list({ limit: Number.MAX_SAFE_INTEGER })) {
    const to = m.to?.[0];
    if (!recipients.has(to)) continue;
    const template = m.channel === "whatsapp" ? (m.extra?.template?.name ?? m.body.slice(0, 40)) : (m.tags?.find((t) => t.name === "template")?.value ?? m.subject);
    const key = `${m.channel}:${to}:${template}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    sent++;
  }
  const doubled = [...seen].filter(([, n]) => n > 1);
  for (const [key] of doubled.slice(0, 5)) example("sent twice", key);
  row("messages the channel stand-ins took", sent);
  row("messages sent twice for one event and channel", doubled.length, doubled.length ? "double" : "ok");
  doubles += doubled.length;

  // Webhooks: each integrator event reached the receiver, and no webhook-id was accepted twice.
  const got = (await json(`${platform.localUrl}/webhook-receiver/${receiver}`, {}, "the receiver")).received;
  const accepted2xx = new Map();
  const eventsGot = new Set();
  for (const r of got) {
    if (r.answered < 200 || r.answered >= 300) continue;
    const id = r.headers["webhook-id"];
    accepted2xx.set(id, (accepted2xx.get(id) ?? 0) + 1);
    const body = JSON.parse(r.body);
    eventsGot.add(`${body.type}:${body.data.requestId}`);
  }
  let webhooksDue = 0;
  let webhooksLost = 0;
  let webhooksSimulator = 0;
  for (const id of integratorIds) {
    const job = s.jobs.get(id);
    const due = [];
    if (job) due.push("request.processing");
    if (job?.status === "completed" || job?.status === "failed") due.push(`request.${job.status}`);
    for (const type of due) {
      webhooksDue++;
      if (eventsGot.has(`${type}:${id}`)) continue;
      const delivery = (s.deliveries.get(id) ?? []).find((d) => d.event_type === type);
      // The simulator's only when the event came (the job started, or finished) before a kill and no delivery was
      // written: the event died in the killed queue. A delivery still pending is the platform's: notify's cron sweep
      // attempts every one whose queued attempt was lost.
      const eventAt = Date.parse(type === "request.processing" ? job.created_at : job.completed_at ?? job.updated_at);
      const lostInQueue = !delivery && killAfter(kills, eventAt);
      if (lostInQueue) (webhooksSimulator++, example(`${type} webhook lost with a killed local queue`, id));
      else (webhooksLost++, example(`${type} webhook not received (${delivery ? delivery.status : "no delivery"})`, id));
    }
  }
  const webhookDoubles = [...accepted2xx].filter(([, n]) => n > 1);
  for (const [id] of webhookDoubles.slice(0, 5)) example("webhook accepted twice", id);
  row("webhook events due to the integrator", webhooksDue);
  row("webhook events received", webhooksDue - webhooksLost - webhooksSimulator);
  row("webhook events lost (the platform's)", webhooksLost, webhooksLost ? "loss" : "ok");
  row("webhook events lost (the simulator's)", webhooksSimulator, "simulator");
  row("webhooks accepted twice (one webhook-id)", webhookDoubles.length, webhookDoubles.length ? "double" : "ok");
  losses += webhooksLost;
  simulator += webhooksSimulator;
  doubles += webhookDoubles.length;

  // Dead letters: every one named with its queue and body, and redriven once through the ops route.
  const dead = query("SELECT id, queue, body, reason, redriven_at FROM dead_letters");
  const byQueue = Object.entries(Object.groupBy(dead, (d) => d.queue)).map(([q, list]) => `${q} ${list.length}`).join(", ");
  let unaccounted = 0;
  let redriven = 0;
  let notRedrivable = 0;
  for (const d of dead) {
    try {
      JSON.parse(d.body);
    } catch {
      unaccounted++;
    }
    if (d.redriven_at) continue;
    const res = await fetch(`${platform.apiUrl}/api/ops/dead-letters/${encodeURIComponent(d.id)}/redrive`, { method: "POST", headers: { ...(await admin()), "cf-connecting-ip": "10.65.0.2" } });
    await res.arrayBuffer();
    if (res.ok) redriven++;
    else (notRedrivable++, example(`dead letter not redrivable (${res.status})`, d.id));
  }
  row("dead letters", dead.length, "info", byQueue);
  row("dead letters without a readable body", unaccounted, unaccounted ? "loss" : "ok");
  row("dead letters redriven at the end", redriven);
  row("dead letters not redrivable", notRedrivable, notRedrivable ? "loss" : "ok");
  losses += unaccounted + notRedrivable;

  // The faults themselves, as the stores saw them.
  const [injected] = query(
    "SELECT sum(msg = 'fault injected: task delivery fails on purpose') AS marker, sum(service = 'ai' AND msg = 'task reported' AND json_extract(fields, '$.ok') = 0) AS failedReports FROM logs",
  );
  const d1Refused = query("SELECT count(*) AS n FROM logs WHERE fields LIKE '%fault injected: D1_FAULT_RATE%'")[0]?.n ?? 0;
  row("AI attempts reported failed (injected and real)", injected?.failedReports ?? 0);
  row("consumer D1 writes refused (in the log lines that reached D1)", d1Refused);
  return { rows, examples, platformLosses: losses, doubles, simulator };
}

function print({ rows, examples, figures, platformLosses, doubles, simulator }) {
  const lines = [];
  table({ rows, examples, figures, platformLosses, doubles, simulator }, (line) => {
    lines.push(line);
    console.log(line);
  });
  // The table stays on disk for the README and whoever reads the run later.
  writeFileSync(path.join(root, ".tmp", args.small ? "chaos-small-report.txt" : "chaos-report.txt"), `${lines.join("\n")}\n`);
}

function table({ rows, examples, figures, platformLosses, doubles, simulator }, emit) {
  const width = Math.max(...rows.map((r) => r.what.length));
  emit(`\nchaos run: ${figures.requests} requests, ${figures.restarts} restart(s) of wrangler dev (and ${figures.reloads} reload(s) by source changes), ${figures.resent} submissions sent again; ` +
    `submitted in ${figures.submitSeconds} s, drained in ${figures.totalSeconds} s in all (${figures.machine.cpus} CPUs, load ${figures.machine.load})`);
  emit(`fault stretches: ${[...new Set(figures.stretches)].join(", ")}`);
  emit(`\n| ${"what".padEnd(width)} | count | ${"".padEnd(9)} |`);
  emit(`| ${"-".repeat(width)} | ----- | --------- |`);
  for (const r of rows) emit(`| ${r.what.padEnd(width)} | ${String(r.n).padStart(5)} | ${r.kind.padEnd(9)} |${r.detail ? ` ${r.detail}` : ""}`);
  for (const [what, ids] of Object.entries(examples)) emit(`  e.g. ${what}: ${ids.join(", ")}`);
  emit(`\n${platformLosses ? `LOST ${platformLosses}` : "nothing lost"}, ${doubles ? `DOUBLED ${doubles}` : "nothing sent twice"}; ` +
    `the simulator alone lost ${simulator} (messages in a killed local queue's memory: Cloudflare Queues keep them)`);
}

/** Counts what a run left running (`--count-only`): its requests by their Idempotency-Keys, its receiver by the endpoint. */
async function countOnly() {
  const apiUrl = `http://127.0.0.1:${args["api-port"]}`;
  const localUrl = `http://127.0.0.1:${args["local-port"]}`;
  const accepted = query("SELECT id, idempotency_key AS k FROM requests WHERE idempotency_key LIKE 'chaos-%'").map((r) => ({ id: r.id, i: Number(r.k.split("-").at(-1)) }));
  const [endpoint] = query("SELECT url FROM webhook_endpoints WHERE url LIKE '%/webhook-receiver/chaos-%'");
  const kills = args.kills ? args.kills.split(",").map((k) => Date.parse(k)) : [];
  log(`counting ${accepted.length} requests left running, kills at ${args.kills || "none given"}`);
  const counts = await count({
    platform: { apiUrl, localUrl, stateDir },
    accepted,
    refused: [],
    kills,
    receiver: endpoint ? endpoint.url.split("/").at(-1) : "none",
    integratorIds: new Set(accepted.filter((a) => shapeOf(a.i).integrator).map((a) => a.id)),
  });
  counts.figures = { requests: accepted.length, restarts: kills.length, reloads: 0, resent: 0, stretches: [], submitSeconds: 0, totalSeconds: 0, stillOpenAtEnd: stillOpen(accepted, kills), machine: { cpus: os.availableParallelism(), load: os.loadavg()[0].toFixed(1) } };
  print(counts);
  return counts.platformLosses + counts.doubles > 0 ? 1 : 0;
}

process.exitCode = await (args["count-only"] ? countOnly() : main());
