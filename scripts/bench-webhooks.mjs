// The webhooks benchmark (issue #19), as `npm run bench` reports it: webhook deliveries per second to the local
// receiver, and the time from each request.completed to the receiver's answer.
//
// How the deliveries are made: one signed-in account subscribes ENDPOINTS endpoints (the most an account may hold),
// each a receiver of its own on the local services (local/services/webhook-receiver.mjs), to request.processing and
// request.completed, and submits REQUESTS requests through the gateway, each from a client address of its own (the
// submission limit is per address). Each request's job runs (JOB_SLOTS at a time) and its two events travel the real
// path: the orchestrator's outbox, the notify queue, one delivery per endpoint written in D1, one webhook.attempt
// message each, a signed POST over HTTP to the receiver, the attempt recorded. So every request makes
// 2 × ENDPOINTS deliveries.
//
// Where the numbers come from: the receiver keeps each POST with the time it got it (to the millisecond) and answers
// at once; the payload's `timestamp` is the event's `occurredAt` (the orchestrator's clock, the same machine). So
// "request.completed → answered" is the receiver's time less the event's, per delivery. Deliveries per second are all
// deliveries over the span from the first to the last the receiver got; the events come as fast as the jobs finish,
// so the rate of events is printed beside it.
// Exported for `npm run bench`; runnable alone: `node scripts/bench-webhooks.mjs` (BENCH_WEBHOOK_REQUESTS for fewer).
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root, startPlatform } from "./platform.mjs";

/** Ports no other part of the benchmark uses (notify's 28840–28842, ops' 28880–28888). */
const PORTS = { apiPort: 28850, sitePort: 28851, localPort: 28852, inspectorBase: 29250 };
const ENDPOINTS = 20;
const TEXT = "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Nearest rank. */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const round = (n) => Math.round(n * 10) / 10;

async function ok(res, what) {
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * @param {{ stateDir?: string, requests?: number, drainMs?: number, log?: (line: string) => void }} [opts]
 */
export async function benchWebhooks({
  stateDir = path.join(root, ".tmp", "bench-webhooks-state"),
  requests = Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 50),
  drainMs = 600_000,
  log = console.log,
} = {}) {
  rmSync(stateDir, { recursive: true, force: true });
  log(`\nwebhooks: starting a platform of their own for ${requests} requests to ${ENDPOINTS} endpoints…`);
  const platform = await startPlatform({ stateDir, ...PORTS, quiet: true });
  const api = platform.apiUrl;
  const network = { "cf-connecting-ip": "10.77.0.1" };
  const json = { "content-type": "application/json", ...network };
  const loadAtStart = os.loadavg()[0];
  const receivers = Array.from({ length: ENDPOINTS }, (_, i) => `${platform.localUrl}/webhook-receiver/bench-${i}`);
  let submitMs;
  let got = [];
  try {
    const email = `bench-webhooks-${Date.now()}@example.com`;
    const password = `a long enough bench passphrase ${Date.now()}`;
    await ok(await fetch(`${api}/api/users`, { method: "POST", headers: json, body: JSON.stringify({ email, name: "Bench Integrator", password }) }), "registration");
    const { accessToken } = await ok(await fetch(`${api}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) }), "sign-in");
    const auth = { authorization: `Bearer ${accessToken}` };
    for (const url of receivers) {
      await ok(await fetch(`${api}/api/me/webhooks`, { method: "POST", headers: { ...json, ...auth }, body: JSON.stringify({ url, events: ["request.processing", "request.completed"] }) }), "subscribing");
    }

    const t0 = Date.now();
    // 8 clients at a time, each from an address of its own per submission.
    await Promise.all(Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < requests; i += 8) {
        const ip = `10.77.${1 + (i >> 8)}.${i & 255}`;
        await ok(await fetch(`${api}/api/requests`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip, ...auth }, body: JSON.stringify({ name: "Bench Integrator", email, text: TEXT }) }), `submission ${i}`);
      }
    }));
    submitMs = Date.now() - t0;
    log(`  ${requests} submissions answered 202 in ${submitMs} ms`);
    const expected = requests * 2 * ENDPOINTS;
    const deadline = Date.now() + drainMs;
    for (;;) {
      try {
        got = (await Promise.all(receivers.map(async (url) => (await ok(await fetch(url), "the receiver")).received))).flat();
      } catch (err) {
        // A dropped keep-alive connection under load: read again on the next round.
        log(`  (reading the receivers failed: ${err.cause?.code ?? err.message}; again in a second)`);
      }
      if (got.length >= expected || Date.now() > deadline) break;
      await sleep(1_000);
    }
  } finally {
    await platform.stop();
  }

  const deliveries = got.map((r) => {
    const body = JSON.parse(r.body);
    return { id: r.headers["webhook-id"], type: body.type, requestId: body.data.requestId, eventAt: Date.parse(body.timestamp), at: Date.parse(r.at), answered: r.answered };
  });
  const completed = deliveries.filter((d) => d.type === "request.completed");
  const latency = completed.map((d) => d.at - d.eventAt).sort((a, b) => a - b);
  const times = deliveries.map((d) => d.at).sort((a, b) => a - b);
  const spanMs = times.length > 1 ? times.at(-1) - times[0] : 0;
  const events = new Set(deliveries.map((d) => `${d.type}:${d.requestId}`));
  const eventTimes = [...new Map(deliveries.map((d) => [`${d.type}:${d.requestId}`, d.eventAt])).values()].sort((a, b) => a - b);
  const ids = deliveries.map((d) => d.id);
  return {
    requests,
    endpoints: ENDPOINTS,
    expected: requests * 2 * ENDPOINTS,
    delivered: deliveries.length,
    // A webhook-id seen twice at one receiver is a delivery sent again (at least once, never lost).
    repeated: ids.length - new Set(ids).size,
    events: events.size,
    deliveriesPerSecond: spanMs ? round(deliveries.length / (spanMs / 1_000)) : 0,
    eventsPerSecond: eventTimes.length > 1 ? round(eventTimes.length / ((eventTimes.at(-1) - eventTimes[0]) / 1_000)) : 0,
    spanMs,
    submitMs,
    completedToAnsweredMs: { p50: percentile(latency, 50), p95: percentile(latency, 95), max: latency.at(-1) },
    machine: { cpus: os.availableParallelism(), loadAtStart: round(loadAtStart), loadAtEnd: round(os.loadavg()[0]) },
  };
}

/** Prints the figures as `npm run bench` shows them. */
export function printWebhooks(f, log = console.log) {
  log(`\nwebhooks (${f.requests} requests of one account, ${f.endpoints} endpoints each subscribed to request.processing and request.completed):`);
  log(`  machine: ${f.machine.cpus} CPUs, load average ${f.machine.loadAtStart} at the start and ${f.machine.loadAtEnd} at the end; the submissions took ${(f.submitMs / 1_000).toFixed(1)} s`);
  log(`  delivered: ${f.delivered} of ${f.expected} (${f.events} events), ${f.repeated} sent again; ${f.deliveriesPerSecond} deliveries/s to the receiver ` +
    `(first to last: ${(f.spanMs / 1_000).toFixed(1)} s; the events themselves came at ${f.eventsPerSecond}/s, as the jobs finished)`);
  log(`  request.completed → the receiver's answer: p50 ${f.completedToAnsweredMs.p50} ms, p95 ${f.completedToAnsweredMs.p95} ms, max ${f.completedToAnsweredMs.max} ms`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await benchWebhooks();
  printWebhooks(figures);
  console.log(JSON.stringify(figures, null, 2));
}
