// JobSlots under a thousand concurrent starts (docs/SCALE.md, issue #20): the orchestrator's JobSlots, the one object
// every job asks for a slot and gives it back to, in workerd under `wrangler dev` (bench/slots: the real class behind a
// bare worker, a stand-in job object that only hears it was admitted).
//
//  1. one start at a time (200 in a row): what an acquire costs with nobody else asking;
//  2. START concurrent starts at once with SLOTS slots (production's JOB_SLOTS): each one's time, the throughput, and
//     the line it leaves (SLOTS admitted, the rest in line in order, nobody lost or doubled);
//  3. jobs ending: RELEASES holders give their slots back one after another, each release admitting the first in line
//     and telling its job (in the background): releases a second, the time until every admitted job heard, and how
//     many times the jobs were told in all (once each is enough).
//
// One start alone is timed twice: by the client (the HTTP hop through wrangler's proxy, the worker, the call) and inside
// the worker around the call to the object (`rpcMs`), which is the object's queue and work; the burst and the drain are
// made and timed inside workerd.
// Runnable alone: `npx node scripts/scale-slots.mjs` (SCALE_SLOTS_STARTS, SCALE_SLOTS, SCALE_SLOTS_RELEASES for other sizes).
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { summary } from "./bench-stats.mjs";
import { localTracesEnv, root } from "./platform.mjs";
import { stopWorkers, wranglerBin } from "./bench-workers.mjs";

const round = (n) => Math.round(n * 10) / 10;
const times = (xs) => {
  const s = summary(xs);
  return { n: s.n, p50: round(s.p50), p99: round(s.p99), max: round(s.max) };
};

async function start(state, port, inspectorPort) {
  rmSync(state, { recursive: true, force: true });
  const child = spawn(process.execPath, [wranglerBin, "dev", "-c", "bench/slots/wrangler.toml", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort),
    "--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: root, env: { ...process.env, WRANGLER_REGISTRY_PATH: path.join(state, "registry"), WRANGLER_SEND_METRICS: "false", ...localTracesEnv }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4_000)));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/view`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`bench/slots did not start:\n${stderr}`);
}

/**
 * @param {{ port?: number, inspectorPort?: number, stateDir?: string, starts?: number, slots?: number, releases?: number, log?: (line: string) => void }} [opts]
 */
export async function scaleSlots({
  port = 25795,
  inspectorPort = 25235,
  stateDir = path.join(root, ".tmp", "scale-slots-state"),
  starts = Number(process.env.SCALE_SLOTS_STARTS ?? 1_000),
  slots = Number(process.env.SCALE_SLOTS ?? 100),
  releases = Number(process.env.SCALE_SLOTS_RELEASES ?? 200),
  log = console.log,
} = {}) {
  log(`  JobSlots: ${starts} concurrent starts for ${slots} slots…`);
  const child = await start(stateDir, port, inspectorPort);
  const base = `http://127.0.0.1:${port}`;
  const told = async (prefix, n) => (await fetch(`${base}/told?prefix=${prefix}&n=${n}`)).json();
  const call = async (what, id, extra = "") => {
    const t = performance.now();
    const res = await fetch(`${base}/${what}?id=${id}${extra}`, { method: "POST" });
    if (!res.ok) throw new Error(`${what} ${id} answered ${res.status}: ${await res.text()}`);
    return { ...(await res.json()), ms: performance.now() - t };
  };
  try {
    // 1. Alone: each start asks and gives back at once, so the line is always empty.
    const alone = [];
    const aloneRpc = [];
    for (let i = 0; i < 220; i++) {
      const a = await call("acquire", `req_alone_${i}`, `&slots=${slots}`);
      await call("release", `req_alone_${i}`);
      if (i >= 20) {
        alone.push(a.ms);
        aloneRpc.push(a.rpcMs);
      }
    }

    // 2. All at once: the starts are made from inside workerd (one invocation, as many calls at once), so what is
    // timed is the object's queue and work, not a thousand HTTP connections through wrangler's proxy.
    const burst = await (await fetch(`${base}/burst?n=${starts}&slots=${slots}&prefix=req_burst`, { method: "POST" })).json();
    const ok = burst.calls.filter((c) => !c.error);
    const admitted = ok.filter((c) => c.admitted).length;
    const aheads = ok.filter((c) => !c.admitted).map((c) => c.ahead).sort((a, b) => a - b);
    const lineInOrder = aheads.every((a, i) => a === i);
    const view = await (await fetch(`${base}/view`)).json();
    const errors = burst.calls.filter((c) => c.error).map((c) => c.error);

    // 3. Drain: every holder gives its slot back, one release after another, as jobs end; each release admits the first
    // in line and tells its job.
    const drain = await (await fetch(`${base}/drain?limit=${releases}`, { method: "POST" })).json();
    // The releases answer before their jobs are told (that runs in the background): wait until every job admitted from
    // the line has heard, then count how many times they were told.
    const d0 = performance.now();
    let toldInDrain;
    for (;;) {
      toldInDrain = await told("req_burst", starts);
      if (toldInDrain.told >= drain.released || performance.now() - d0 > 600_000) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const allToldMs = Math.round(drain.wallMs + performance.now() - d0);
    await new Promise((r) => setTimeout(r, 5_000));
    toldInDrain = await told("req_burst", starts);
    const after = await (await fetch(`${base}/view`)).json();

    return {
      starts,
      slots,
      alone: { client: times(alone), rpc: times(aloneRpc) },
      burst: {
        rpc: times(ok.map((c) => c.ms)),
        wallMs: Math.round(burst.wallMs),
        perSecond: Math.round(ok.length / (burst.wallMs / 1_000)),
        admitted,
        waiting: view.waiting.length,
        lineInOrder,
        errors: errors.length,
        firstError: errors[0],
      },
      drain: {
        releases: drain.released,
        rounds: drain.rounds,
        rpc: times(drain.times),
        wallMs: Math.round(drain.wallMs),
        perSecond: Math.round(drain.released / (drain.wallMs / 1_000)),
        errors: drain.errors.length,
        leftRunning: after.running.length,
        leftWaiting: after.waiting.length,
        allToldMs,
        toldJobs: toldInDrain.told,
        // Each release admits one job from the line, which needs telling once.
        tellsNeeded: drain.released,
        tells: toldInDrain.total,
        toldMost: toldInDrain.most,
      },
    };
  } finally {
    await stopWorkers(child);
  }
}

/** Prints the figures. */
export function printScaleSlots(f, log = console.log) {
  log(`\nJobSlots (one object, workerd under wrangler dev; ${f.starts} starts for ${f.slots} slots; ms p50 / p99):`);
  log(`  one start at a time, over HTTP: ${f.alone.client.p50} / ${f.alone.client.p99}; the call to the object inside the worker ${f.alone.rpc.p50} / ${f.alone.rpc.p99}`);
  log(`  ${f.starts} at once (calls from inside workerd): ${f.burst.rpc.p50} / ${f.burst.rpc.p99}, all answered in ${f.burst.wallMs} ms (${f.burst.perSecond} starts/s); ` +
    `${f.burst.admitted} admitted, ${f.burst.waiting} in line${f.burst.lineInOrder ? ", each with its own place" : ", places NOT distinct"}; ${f.burst.errors} failed${f.burst.firstError ? ` (${f.burst.firstError})` : ""}`);
  log(`  jobs ending: ${f.drain.releases} releases one after another, ${f.drain.wallMs} ms (${f.drain.perSecond} releases/s, each admitting and telling the next); ` +
    `release ${f.drain.rpc.p50} / ${f.drain.rpc.p99}; ${f.drain.errors} failed; left ${f.drain.leftRunning} running, ${f.drain.leftWaiting} waiting; ` +
    `${f.drain.toldJobs} admitted jobs heard after ${f.drain.allToldMs} ms, told ${f.drain.tells} times for ${f.drain.tellsNeeded} admissions (one job at most ${f.drain.toldMost} times)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await scaleSlots();
  printScaleSlots(figures);
  console.log(JSON.stringify(figures, null, 2));
}
