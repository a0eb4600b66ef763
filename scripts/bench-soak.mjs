// The soak (issue #20), as `npm run bench` reports it: 200 concurrent clients for 60 s mixing submissions, status
// reads, sign-ins and dashboard reads against the whole platform; every answer counted by kind and status, the 429s
// the limits promise apart from every other error; the resident memory of the platform's workerd processes sampled
// every few seconds; and afterwards every accepted request followed until it reached a final state.
//
// Who the clients are: ACCOUNTS accounts registered through the gateway before the run, each client signed in as one
// of them. Most clients call from a network of their own, as people at home or on a phone do; OFFICE clients share one
// address, as an office behind one NAT does. The per-network limits (30 submissions and sign-ins a minute, 600 other
// calls) hold that office back, so its 429s are the limits working; 429s are counted apart (the office's and any to a
// client on its own network), and any other status that is not the route's success is an error.
//
// Each client loops for the whole run, one call at a time with no pause: a status read of one of its own requests
// (the statusUrl with its token, as the site polls it), the dashboard's first page, a sign-in, or a submission, drawn
// by WEIGHTS. Memory: the VmRSS of the platform's two workerd processes (the one serving the workers on the API port and
// the one behind the site), from /proc, every SAMPLE_MS; the first BENCH_SOAK_WARMUP_S (120 s) of the same load are warm-up, and "flat" is judged on
// the samples after it (their least-squares slope, and the end against the warm-up's last sample).
//
// Exported for `npm run bench`; runnable alone: `npx node scripts/bench-soak.mjs` (BENCH_SOAK_CLIENTS and
// BENCH_SOAK_SECONDS for another size, BENCH_SOAK_MIX for another mix, e.g. `status=60,dashboard=40` (a status read
// with no request of its own yet submits one), BENCH_SOAK_DRAIN_S for how long to follow the accepted requests afterwards; the
// ports and state are options, so `npm run bench` passes its own).
import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { percentile } from "./bench-stats.mjs";
import { root, startPlatform } from "./platform.mjs";

/** The ports and state of a run alone; `npm run bench` passes its own. */
const DEFAULTS = { apiPort: 25787, sitePort: 25788, localPort: 25790, inspectorBase: 25230, stateDir: path.join(root, ".tmp", "soak-state") };
const ACCOUNTS = 20;
/** Clients behind the one office address. */
const OFFICE = 20;
const OFFICE_IP = "10.61.0.1";
/** How often each kind of call is drawn: mostly reads, as a dashboard's visitors make. */
const WEIGHTS = process.env.BENCH_SOAK_MIX
  ? Object.fromEntries(process.env.BENCH_SOAK_MIX.split(",").map((part) => part.split("=")).map(([k, v]) => [k.trim(), Number(v)]))
  : { status: 45, dashboard: 30, signIn: 10, submit: 15 };
const SAMPLE_MS = 5_000;
const PASSWORD = "a long soak passphrase nobody guesses";
const TEXTS = [
  "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.",
  "Please build an online shop for handmade ceramics: about forty products, card payments and shipping within the EU.",
  "Our logistics company wants a portal where customers track shipments, download invoices and open support tickets.",
];
const FINAL = new Set(["completed", "failed", "cancelled"]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (n) => Math.round(n * 10) / 10;

/** The pid of the process listening on 127.0.0.1:`port`, from /proc/net/tcp and each process's open sockets. */
function listenerPid(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; 0A is LISTEN; the inode is the tenth field.
      if (f[1]?.endsWith(`:${hex}`) && f[3] === "0A") inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (!inodes.size) return undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
      } catch {}
    }
  }
  return undefined;
}

/**
 * The platform's workerd processes, found by the ports they serve (the workers' on apiPort, the site's on sitePort):
 * the machine runs other people's platforms too, so neither the process name nor the process tree tells them apart.
 */
function workerdProcesses(ports, known) {
  const out = [];
  for (const [role, port] of Object.entries(ports)) {
    let pid = known.get(role);
    if (pid === undefined || rssMb(pid) === undefined) {
      pid = listenerPid(port);
      if (pid !== undefined) known.set(role, pid);
    }
    if (pid !== undefined) out.push({ pid, role });
  }
  return out;
}

/** VmRSS in MB, or undefined once the process is gone. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** Least-squares slope of (t ms, mb) in MB a minute. */
function slopePerMinute(points) {
  if (points.length < 2) return 0;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mm = points.reduce((s, p) => s + p.mb, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.mb - mm), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den ? (num / den) * 60_000 : 0;
}

async function call(url, init) {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, text };
  } catch (err) {
    return { status: 0, ms: performance.now() - started, text: String(err.cause?.code ?? err.name ?? err) };
  }
}

/**
 * @param {{ apiPort?: number, sitePort?: number, localPort?: number, inspectorBase?: number, stateDir?: string,
 *   clients?: number, seconds?: number, drainMs?: number, log?: (line: string) => void }} [opts]
 */
export async function benchSoak(opts = {}) {
  const { apiPort, sitePort, localPort, inspectorBase, stateDir } = { ...DEFAULTS, ...opts };
  const clients = opts.clients ?? Number(process.env.BENCH_SOAK_CLIENTS ?? 200);
  const seconds = opts.seconds ?? Number(process.env.BENCH_SOAK_SECONDS ?? 60);
  // The same load before the measured seconds, until the workers' process has grown to its working size: on 2 cores
  // it grows for its first ~10,000 requests (its isolates' heaps, miniflare's services) and then stays there, cycle
  // after cycle, so memory measured from a shorter warm-up shows that growth rather than a leak.
  const warmupMs = (opts.warmupSeconds ?? Number(process.env.BENCH_SOAK_WARMUP_S ?? 120)) * 1_000;
  const drainMs = opts.drainMs ?? Number(process.env.BENCH_SOAK_DRAIN_S ?? 1_800) * 1_000;
  const log = opts.log ?? console.log;
  rmSync(stateDir, { recursive: true, force: true });
  log(`\nsoak: starting a platform of its own for ${clients} clients over ${seconds} s after a ${warmupMs / 1_000} s warm-up…`);
  // The stand-in chat model streams without pauses, as in the benchmark's other platform rounds: the soak measures
  // the platform, and the stand-in's pacing would only stretch the drain.
  const platform = await startPlatform({ stateDir, apiPort, sitePort, localPort, inspectorBase, quiet: true, chatPieceDelayMs: 0 });
  const api = platform.apiUrl;
  const machine = { cpus: os.availableParallelism(), loadAtStart: round(os.loadavg()[0]) };
  const samples = [];
  const results = [];
  const accepted = [];
  const failureSamples = {};
  let sampler;
  let drain;
  try {
    // The accounts, each registered from a network of its own (registration is limited per network).
    const accounts = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = `soak-${i}-${Date.now()}@example.com`;
      const res = await call(`${api}/api/users`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": `10.60.0.${i + 1}` }, body: JSON.stringify({ email, name: `Soak Client ${i}`, password: PASSWORD }) });
      if (res.status !== 202) throw new Error(`registering ${email} answered ${res.status}: ${res.text}`);
      accounts.push(email);
    }

    const startedAt = performance.now();
    const t0 = Date.now();
    const known = new Map();
    const sample = () => {
      const at = Date.now() - t0;
      for (const p of workerdProcesses({ workers: apiPort, site: sitePort }, known)) {
        const mb = rssMb(p.pid);
        if (mb !== undefined) samples.push({ t: at, pid: p.pid, role: p.role, mb });
      }
    };
    sample();
    sampler = setInterval(sample, SAMPLE_MS);
    const until = startedAt + warmupMs + seconds * 1_000;
    const kinds = Object.entries(WEIGHTS);
    const total = kinds.reduce((s, [, w]) => s + w, 0);
    const draw = () => {
      let r = Math.random() * total;
      for (const [kind, w] of kinds) if ((r -= w) < 0) return kind;
      return kinds[0][0];
    };

    await Promise.all(Array.from({ length: clients }, async (_, i) => {
      const office = i < OFFICE;
      const ip = office ? OFFICE_IP : `10.62.${(i >> 8) & 255}.${i & 255}`;
      const email = accounts[i % ACCOUNTS];
      const json = { "content-type": "application/json", "cf-connecting-ip": ip };
      let token;
      const mine = [];
      const record = (kind, res, ok) => {
        results.push({ kind, office, at: performance.now() - startedAt, ms: res.ms, status: res.status, ok });
        // The first answer of each failing kind and status, to say what went wrong.
        const key = `${kind} ${res.status}`;
        if (!ok && !failureSamples[key]) failureSamples[key] = res.text.slice(0, 300);
      };
      const signIn = async () => {
        const res = await call(`${api}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password: PASSWORD }) });
        record("signIn", res, res.status === 201);
        if (res.status === 201) token = JSON.parse(res.text).accessToken;
      };
      await signIn();
      while (performance.now() < until) {
        let kind = draw();
        if (kind === "status" && !mine.length) kind = "submit";
        if (kind === "dashboard" && !token) kind = "signIn";
        if (kind === "signIn") await signIn();
        else if (kind === "submit") {
          const headers = token ? { ...json, authorization: `Bearer ${token}` } : json;
          const res = await call(`${api}/api/requests`, { method: "POST", headers, body: JSON.stringify({ name: `Soak Client ${i}`, email, text: TEXTS[i % TEXTS.length] }) });
          record("submit", res, res.status === 202);
          if (res.status === 202) {
            const { id, statusUrl } = JSON.parse(res.text);
            mine.push(statusUrl);
            accepted.push({ id, statusUrl });
          }
        } else if (kind === "status") {
          const res = await call(`${api}${mine[Math.floor(Math.random() * mine.length)]}`, { headers: { "cf-connecting-ip": ip } });
          record("status", res, res.status === 200);
        } else {
          const res = await call(`${api}/api/me/requests`, { headers: { "cf-connecting-ip": ip, authorization: `Bearer ${token}` } });
          record("dashboard", res, res.status === 200);
        }
      }
    }));
    const loadElapsedMs = performance.now() - startedAt;
    const loadEndT = Date.now() - t0;

    // Afterwards: every accepted request followed to a final state, from addresses of their own (the reads are ours,
    // not a client's, and must not be refused by a client's limit).
    const drainStarted = Date.now();
    const states = new Map();
    let n = 0;
    for (;;) {
      const open = accepted.filter((a) => !FINAL.has(states.get(a.id)));
      for (let i = 0; i < open.length; i += 16) {
        await Promise.all(open.slice(i, i + 16).map(async (a) => {
          n++;
          const res = await call(`${api}${a.statusUrl}`, { headers: { "cf-connecting-ip": `10.63.${(n >> 8) & 255}.${n & 255}` } });
          if (res.status === 200) states.set(a.id, JSON.parse(res.text).status);
        }));
      }
      if (accepted.every((a) => FINAL.has(states.get(a.id))) || Date.now() - drainStarted > drainMs) break;
      await sleep(5_000);
    }
    clearInterval(sampler);
    sample();
    const byState = {};
    for (const a of accepted) {
      const s = states.get(a.id) ?? "unknown";
      byState[s] = (byState[s] ?? 0) + 1;
    }
    drain = { ms: Date.now() - drainStarted, byState, endT: Date.now() - t0 };
    machine.loadAtEnd = round(os.loadavg()[0]);
    return { ...summarise({ clients, seconds, warmupMs, results, samples, accepted: accepted.length, drain, loadElapsedMs, loadEndT, machine }), failureSamples };
  } finally {
    clearInterval(sampler);
    await platform.stop();
  }
}

function summarise({ clients, seconds, warmupMs, results: all, samples, accepted, drain, loadElapsedMs: totalMs, loadEndT, machine }) {
  // Rates and times are the measured seconds'; errors and 429s count the warm-up's too.
  const results = all.filter((r) => r.at >= warmupMs);
  const loadElapsedMs = totalMs - warmupMs;
  const kinds = {};
  for (const kind of Object.keys(WEIGHTS)) {
    const mine = results.filter((r) => r.kind === kind);
    const ok = mine.filter((r) => r.ok).map((r) => r.ms).sort((a, b) => a - b);
    const statuses = {};
    for (const r of mine.filter((r) => !r.ok)) {
      const key = `${r.status || "network"}${r.status === 429 && r.office ? " (office)" : ""}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    kinds[kind] = {
      requests: mine.length,
      ok: ok.length,
      perSecond: round(mine.length / (loadElapsedMs / 1_000)),
      p50: round(percentile(ok, 50) ?? 0),
      p95: round(percentile(ok, 95) ?? 0),
      p99: round(percentile(ok, 99) ?? 0),
      failures: statuses,
    };
  }
  // A 429 is a limit doing its job (the office's are expected; one to a client on its own network is counted apart, as
  // it says the mix asked more of one network than the limits allow); anything else that is not the route's success
  // is an error.
  const promised = all.filter((r) => !r.ok && r.status === 429 && r.office).length;
  const ownNetwork429 = all.filter((r) => !r.ok && r.status === 429 && !r.office).length;
  const errors = all.filter((r) => !r.ok && r.status !== 429);
  const errorsByStatus = {};
  for (const r of errors) errorsByStatus[r.status || "network"] = (errorsByStatus[r.status || "network"] ?? 0) + 1;

  const roles = [...new Set(samples.map((s) => `${s.role}:${s.pid}`))];
  const memory = roles.map((key) => {
    const [role, pid] = key.split(":");
    const series = samples.filter((s) => s.pid === Number(pid)).map(({ t, mb }) => ({ t, mb }));
    const afterWarmup = series.filter((s) => s.t >= warmupMs && s.t <= loadEndT + SAMPLE_MS);
    const warm = afterWarmup[0] ?? series[0];
    const loadEnd = afterWarmup.at(-1) ?? series.at(-1);
    return {
      role,
      pid: Number(pid),
      series,
      start: series[0]?.mb,
      warmedUp: warm?.mb,
      loadEnd: loadEnd?.mb,
      afterDrain: series.at(-1)?.mb,
      peak: Math.max(...series.map((s) => s.mb)),
      slopeMbPerMinute: round(slopePerMinute(afterWarmup)),
    };
  });
  return {
    clients,
    office: OFFICE,
    seconds,
    weights: WEIGHTS,
    elapsedS: round(loadElapsedMs / 1_000),
    requests: results.length,
    perSecond: round(results.length / (loadElapsedMs / 1_000)),
    kinds,
    promised429: promised,
    ownNetwork429,
    errors: errors.length,
    errorsByStatus,
    memory,
    warmupMs,
    warmupRequests: all.length - results.length,
    accepted,
    drain,
    allFinal: Object.entries(drain.byState).every(([s]) => FINAL.has(s)),
    machine,
  };
}

/** Prints the figures as `npm run bench` shows them. */
export function printSoak(f, log = console.log) {
  log(`\nsoak (${f.clients} clients for ${f.elapsedS} s, ${f.office} of them behind one office address; mix ${Object.entries(f.weights).map(([k, w]) => `${k} ${w}%`).join(", ")}):`);
  log(`  machine: ${f.machine.cpus} CPUs, load average ${f.machine.loadAtStart} at the start and ${f.machine.loadAtEnd} at the end`);
  log(`  ${f.requests} requests in the measured ${f.elapsedS} s (after ${f.warmupRequests} in the ${f.warmupMs / 1_000} s warm-up), ${f.perSecond}/s; errors other than the limits' 429s (warm-up included): ${f.errors}${f.errors ? ` (${Object.entries(f.errorsByStatus).map(([s, n]) => `${s}: ${n}`).join(", ")})` : ""}; 429s (the limits): ${f.promised429} to the office, ${f.ownNetwork429} to clients on their own networks`);
  log("  kind      | requests | per s | p50 / p95 / p99 ms (answered)  | not answered with success");
  for (const [kind, k] of Object.entries(f.kinds)) {
    const failures = Object.entries(k.failures).map(([s, n]) => `${s}: ${n}`).join(", ") || "none";
    log(`  ${kind.padEnd(9)} | ${String(k.requests).padStart(8)} | ${String(k.perSecond).padStart(5)} | ${`${k.p50} / ${k.p95} / ${k.p99}`.padEnd(30)} | ${failures}`);
  }
  for (const m of f.memory) {
    log(`  workerd (${m.role}, pid ${m.pid}) RSS MB: start ${m.start}, after the ${f.warmupMs / 1_000} s warm-up ${m.warmedUp}, end of load ${m.loadEnd}, after the drain ${m.afterDrain}, peak ${m.peak}; ` +
      `slope after warm-up ${m.slopeMbPerMinute} MB/min`);
    log(`    series (s: MB): ${m.series.map((s) => `${Math.round(s.t / 1_000)}: ${s.mb}`).join(", ")}`);
  }
  log(`  afterwards: ${f.accepted} accepted requests, ${Object.entries(f.drain.byState).map(([s, n]) => `${s} ${n}`).join(", ")} after ${(f.drain.ms / 1_000).toFixed(1)} s` +
    `${f.allFinal ? " — every one reached a final state" : " — NOT every one reached a final state"}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await benchSoak();
  printSoak(figures);
  writeFileSync(path.join(root, ".tmp", "soak-results.json"), JSON.stringify(figures, null, 2));
  console.log("\nall figures: .tmp/soak-results.json");
}
