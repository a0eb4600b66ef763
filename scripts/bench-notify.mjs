// The notifications benchmark (issue #16): 1,000 notification events through the channels' stand-ins with WhatsApp
// failing 20% of sends, as `npm run bench` reports it: messages delivered per second, the time from each event to its
// `delivered`, and from the stand-ins' own store that every event was delivered exactly once across its ladder.
//
// How the events are made: 1,000 submissions through the gateway (POST /api/requests), each from a client address of
// its own (the submission limit is per address) with its own WhatsApp number and email address, on the whole platform
// of `npm run dev` (its own ports and state). Each request's `request.created` travels the real path (intake's outbox,
// the notify queue, the ladder's plan, the Pacer, the Cloud API stand-in, its status webhooks back through the
// gateway), which a message put on the notify queue by hand would skip half of. The recipient gave WhatsApp and email
// and stated no order, so the ladder is WhatsApp, then email. The WhatsApp stand-in answers 20% of sends with a 5xx
// (`failRate`); notify retries those after its backoff, and falls back to email only when a send fails for good
// (refused with a 4xx, or out of retries), so the fallback count is printed beside the retries.
// The requests' jobs run too (JOB_SLOTS 1, one at a time) and some reach `ready`: those messages are other events,
// counted apart; the figures are of the 1,000 "received" messages.
//
// Where the numbers come from: an event's time is its envelope's `occurredAt` (the request.created row of intake's
// event outbox in D1); a message's acceptance and `delivered` are the stand-in's own timestamps (it stores every
// status it reports, to the millisecond; WhatsApp's webhook timestamps are whole seconds); the messages are counted
// per recipient in the stand-ins' store (local/store.mjs, the file the local services write), so a send the platform
// lost track of still counts. notify's rows (attempts, step) give the retries and say whether the platform's status
// agrees with the stand-in's. Throughput is the delivered events over the span from the first event to the last
// `delivered`; the stand-in reports `delivered` DEFAULT_TIMING.deliveredMs after it accepts a message, so the time
// to acceptance is printed too.
// `wrangler dev` restarts the workers when a source file changes, and the local queues' messages go with the old
// process: a run during which someone edited workers/ or shared/ says it is not valid.
// Exported for `npm run bench`; runnable alone: `npx node scripts/bench-notify.mjs` (BENCH_NOTIFY_EVENTS for fewer
// events; BENCH_NOTIFY_ATTEMPTS=1 makes every refusal fail for good, so each falls back to email down the ladder).
import { execFileSync } from "node:child_process";
import { rmSync, watch } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { openOutbox } from "../local/store.mjs";
import { DEFAULT_TIMING } from "../local/webhooks.mjs";
import { wranglerBin } from "./bench-workers.mjs";
import { root, startPlatform } from "./platform.mjs";

/** Ports no other part of the benchmark uses (platform 28787–28790, floor 28800, path 28810, accounts 28820/28830). */
const PORTS = { apiPort: 28840, sitePort: 28841, localPort: 28842, inspectorBase: 29240 };
const TEXT = "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.";
/** The kinds of request message, by the template each stand-in stores (WhatsApp: the approved template's name). */
const KIND_OF = {
  statex_request_received: "received",
  "request-received": "received",
  statex_request_ready: "ready",
  "request-ready": "ready",
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Nearest rank. */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const round = (n) => Math.round(n * 10) / 10;

/** Submission `i`'s client: its own address, WhatsApp number and mailbox, so its messages are told apart by recipient. */
const client = (i) => ({
  ip: `10.88.${(i >> 8) & 255}.${i & 255}`,
  waId: `4915${String(i).padStart(8, "0")}`,
  email: `bench-notify-${i}@example.com`,
});

async function submit(apiUrl, i) {
  const c = client(i);
  for (let tries = 1; ; tries++) {
    const res = await fetch(`${apiUrl}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": c.ip },
      body: JSON.stringify({ name: `Bench Client ${i}`, email: c.email, whatsapp: `+${c.waId}`, text: TEXT }),
    }).catch((err) => ({ ok: false, status: 0, text: async () => String(err) }));
    if (res.status === 202) return (await res.json()).id;
    // A dropped connection under load is not the submission's fault; anything else is.
    if (res.status !== 0 || tries >= 3) throw new Error(`submission ${i} answered ${res.status}: ${await res.text()}`);
  }
}

/**
 * What the stand-ins stored for the bench's recipients, per kind ("received", "ready") and recipient: each message
 * with its channel and times; `other` counts what belongs to neither.
 */
function readStore(dataDir, recipients) {
  const kinds = { received: new Map(), ready: new Map() };
  let other = 0;
  for (const m of openOutbox(dataDir).list({ limit: Number.MAX_SAFE_INTEGER })) {
    const template = m.channel === "whatsapp" ? m.extra?.template?.name : m.tags?.find((t) => t.name === "template")?.value;
    const who = recipients.get(m.to[0]);
    const byRecipient = kinds[KIND_OF[template]];
    if (who === undefined || !byRecipient) {
      other++;
      continue;
    }
    const delivered = m.statuses?.find((s) => s.status === "delivered")?.time;
    const list = byRecipient.get(who) ?? [];
    list.push({ channel: m.channel, id: m.providerMessageId ?? m.id, acceptedAt: Date.parse(m.time), deliveredAt: delivered ? Date.parse(delivered) : undefined });
    byRecipient.set(who, list);
  }
  return { ...kinds, other };
}

const deliveredOf = (messages = []) => messages.filter((m) => m.deliveredAt !== undefined).sort((a, b) => a.deliveredAt - b.deliveredAt);

/** The rows of each of `queries` on the platform's local D1 (read once the platform has stopped). */
function d1(stateDir, queries) {
  const out = execFileSync(process.execPath, [wranglerBin, "d1", "execute", "statex", "--local", "-c", "workers/intake/wrangler.toml", "--persist-to", stateDir, "--json", "--command", queries.join(";\n")], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out).map((r) => r.results);
}

/**
 * `maxAttempts` sets notify's MAX_DELIVERY_ATTEMPTS for the run (its own configuration, 9, when not given): at 1 every
 * refused send fails for good, so each refusal falls back to email, which puts the ladder itself under the load.
 * `drainMs` is how long it waits, after the last submission's answer, for every event to be delivered.
 * @param {{ stateDir?: string, events?: number, failRate?: number, maxAttempts?: number, drainMs?: number, log?: (line: string) => void }} [opts]
 */
export async function benchNotify({
  stateDir = path.join(root, ".tmp", "bench-notify-state"),
  events = Number(process.env.BENCH_NOTIFY_EVENTS ?? 1000),
  failRate = 0.2,
  maxAttempts = process.env.BENCH_NOTIFY_ATTEMPTS ? Number(process.env.BENCH_NOTIFY_ATTEMPTS) : undefined,
  drainMs = 120_000,
  log = console.log,
} = {}) {
  rmSync(stateDir, { recursive: true, force: true });
  log(`\nnotifications: starting a platform of their own for ${events} events…`);
  // The chat stand-in keeps its usual pace, as under `npm run dev`: the jobs are the background here, not the subject.
  const vars = maxAttempts === undefined ? {} : { MAX_DELIVERY_ATTEMPTS: String(maxAttempts) };
  const platform = await startPlatform({ stateDir, ...PORTS, quiet: true, vars });
  const dataDir = path.join(stateDir, "local-services");
  const recipients = new Map();
  for (let i = 0; i < events; i++) {
    const c = client(i);
    recipients.set(c.waId, i).set(c.email, i);
  }
  let requestIds;
  let store;
  let waitedMs;
  let submitMs;
  const loadAtStart = os.loadavg()[0];
  // A change that restarts the workers loses the local queues' messages for no fault of notify's (see the top).
  const changed = new Set();
  const watchers = ["workers", "shared"].map((dir) =>
    watch(path.join(root, dir), { recursive: true }, (_event, file) => {
      if (file && !/(^|\/)(node_modules|\.wrangler|test)(\/|$)/.test(file)) changed.add(path.join(dir, file));
    }),
  );
  try {
    const control = await fetch(`${platform.localUrl}/outbox/controls/whatsapp`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "normal", failRate }),
    });
    if (!control.ok) throw new Error(`the WhatsApp stand-in's controls answered ${control.status}`);

    const t0 = Date.now();
    // 16 clients at a time, each taking every 16th submission.
    requestIds = new Array(events);
    await Promise.all(Array.from({ length: 16 }, async (_, lane) => {
      for (let i = lane; i < events; i += 16) requestIds[i] = await submit(platform.apiUrl, i);
    }));
    submitMs = Date.now() - t0;
    log(`  ${events} submissions answered 202 in ${submitMs} ms`);
    // Until every event has a delivered message, or the time is up (a send refused 6 times in a row waits ~2 minutes).
    const deadline = Date.now() + drainMs;
    for (;;) {
      store = readStore(dataDir, recipients);
      const done = [...store.received.values()].filter((list) => deliveredOf(list).length).length;
      if (done >= events || Date.now() > deadline) break;
      await sleep(500);
    }
    waitedMs = Date.now() - t0;
    // A doubled send would come after the first delivery: look again a little later.
    await sleep(3_000);
    store = readStore(dataDir, recipients);
  } finally {
    for (const w of watchers) w.close();
    await platform.stop();
  }

  // One wrangler call for every query (each call costs seconds): the events' times, notify's rows of the "received"
  // messages, the WhatsApp statuses that found no message (one that came before notify stored the provider's id for
  // its message is answered 200 and dropped), and the Pacer's "wait for the next slot" deferrals through the queue.
  // The last two are counted from the audit log, whose lines still in its queue when the platform stopped are not.
  const [eventRows, rows, ladderRows, unknownRows, [deferrals]] = d1(stateDir, [
    "SELECT json_extract(body, '$.data.requestId') AS requestId, json_extract(body, '$.occurredAt') AS at FROM event_outbox WHERE type = 'request.created'",
    "SELECT request_id AS requestId, channel, status, attempts, step, provider_message_id AS providerMessageId, created_at AS createdAt FROM notifications WHERE template = 'request-received'",
    "SELECT request_id AS requestId, json_array_length(rungs) AS rungs FROM notification_ladders WHERE template = 'request-received'",
    "SELECT json_extract(fields, '$.status') AS status, count(*) AS n FROM logs WHERE service = 'notify' AND msg = 'whatsapp status for an unknown message' GROUP BY 1",
    "SELECT count(*) AS all_, coalesce(sum(json_extract(fields, '$.type') = 'request.created'), 0) AS received FROM logs WHERE service = 'notify' AND msg = 'event handling deferred' AND json_extract(fields, '$.error.message') LIKE '%at its rate limit%'",
  ]);
  const created = new Map(eventRows.map((r) => [r.requestId, Date.parse(r.at)]));
  const unknownStatuses = Object.fromEntries(unknownRows.map((r) => [r.status, r.n]));
  const rowByMessage = new Map(rows.map((r) => [`${r.channel}:${r.providerMessageId}`, r]));
  const rowsOf = Map.groupBy(rows, (r) => r.requestId);
  const rungsOf = new Map(ladderRows.map((r) => [r.requestId, r.rungs]));

  // An event with no delivered message is still on its way (notify has not taken it up, or its message waits for a
  // retry, its delivery report or the ladder's next step) or failed on every channel of its ladder: only that is lost.
  const counts = { events, delivered: 0, exactlyOnce: 0, doubled: 0, byFallback: 0, sentTwiceOnAChannel: 0, undelivered: { notTakenUp: 0, onTheWay: 0, failed: 0 } };
  const toDelivered = [];
  const toAccepted = [];
  const toPickedUp = [];
  const deliveredAt = [];
  // When notify first took up each event: its first step's row is written then.
  const pickedUp = new Map();
  for (const r of rows) if (r.step === 0) pickedUp.set(r.requestId, Date.parse(r.createdAt));
  let first = Infinity;
  let platformBehind = 0;
  for (let i = 0; i < events; i++) {
    const at = created.get(requestIds[i]);
    if (at === undefined) throw new Error(`no request.created event in D1 for ${requestIds[i]}`);
    first = Math.min(first, at);
    if (pickedUp.has(requestIds[i])) toPickedUp.push(pickedUp.get(requestIds[i]) - at);
    const messages = store.received.get(i) ?? [];
    const delivered = deliveredOf(messages);
    if (new Set(messages.map((m) => m.channel)).size < messages.length) counts.sentTwiceOnAChannel++;
    if (!delivered.length) {
      const own = rowsOf.get(requestIds[i]) ?? [];
      if (!own.length) counts.undelivered.notTakenUp++;
      else if (own.length >= (rungsOf.get(requestIds[i]) ?? 0) && own.every((r) => r.status === "failed" || r.status === "skipped")) counts.undelivered.failed++;
      else counts.undelivered.onTheWay++;
      continue;
    }
    if (delivered.length > 1) counts.doubled++;
    else counts.exactlyOnce++;
    counts.delivered++;
    const [m] = delivered;
    if (m.channel !== "whatsapp") counts.byFallback++;
    toDelivered.push(m.deliveredAt - at);
    toAccepted.push(m.acceptedAt - at);
    deliveredAt.push(m.deliveredAt);
    const row = rowByMessage.get(`${m.channel}:${m.id}`);
    if (!row || (row.status !== "delivered" && row.status !== "read")) platformBehind++;
  }
  toDelivered.sort((a, b) => a - b);
  toAccepted.sort((a, b) => a - b);
  toPickedUp.sort((a, b) => a - b);
  deliveredAt.sort((a, b) => a - b);
  const last = deliveredAt.at(-1) ?? first;
  const ready = [...store.ready.values()].map(deliveredOf).filter((d) => d.length);
  // A person told "ready" before "received": the two messages of one request on the same number share its pace.
  const readyFirst = [...store.ready].filter(([i, list]) => {
    const [readyAt] = deliveredOf(list);
    const [receivedAt] = deliveredOf(store.received.get(i));
    return readyAt && (!receivedAt || readyAt.deliveredAt < receivedAt.deliveredAt);
  }).length;
  const whatsappRows = rows.filter((r) => r.channel === "whatsapp");
  // A row's attempts count the sends tried (not the Pacer's waits); each but the one the stand-in took was refused.
  const tries = whatsappRows.reduce((n, r) => n + r.attempts, 0);
  const refused = tries - whatsappRows.filter((r) => ["sent", "delivered", "read"].includes(r.status)).length;
  const spanMs = last - first;
  return {
    ...counts,
    failRate,
    messagesPerSecond: counts.delivered ? round(counts.delivered / (spanMs / 1_000)) : 0,
    spanMs,
    // How long from the first event until 95% of the events were delivered: the bulk, without the tail of retries.
    p95DeliveredAfterMs: deliveredAt.length ? percentile(deliveredAt, 95) - first : NaN,
    submitMs,
    waitedMs,
    drainMs,
    // The benchmark shares the machine: what else ran shows in the load (one workerd thread runs every worker).
    machine: { cpus: os.availableParallelism(), loadAtStart: round(loadAtStart), loadAtEnd: round(os.loadavg()[0]) },
    eventToDeliveredMs: { p50: percentile(toDelivered, 50), p95: percentile(toDelivered, 95), max: toDelivered.at(-1) },
    eventToPickedUpMs: { p50: percentile(toPickedUp, 50), p95: percentile(toPickedUp, 95), max: toPickedUp.at(-1) },
    eventToAcceptedMs: { p50: percentile(toAccepted, 50), p95: percentile(toAccepted, 95), max: toAccepted.at(-1) },
    standInDeliveredAfterMs: DEFAULT_TIMING.deliveredMs,
    whatsapp: { tries, refused, refusedPercent: tries ? round((refused / tries) * 100) : 0, mostTries: Math.max(0, ...whatsappRows.map((r) => r.attempts)) },
    rowsPastFirstStep: rows.filter((r) => r.step > 0).length,
    platformBehind,
    unknownStatuses,
    pacerDeferrals: { all: deferrals?.all_ ?? 0, received: deferrals?.received ?? 0 },
    ready: { delivered: ready.length, doubled: ready.filter((d) => d.length > 1).length, beforeReceived: readyFirst },
    maxAttempts: maxAttempts ?? "notify's own",
    otherMessages: store.other,
    sourcesChanged: [...changed].sort(),
  };
}

/** Prints the figures as `npm run bench` shows them. */
export function printNotify(f, log = console.log) {
  if (f.sourcesChanged.length) {
    log(`\nnotifications: NOT VALID, sources changed during the run and wrangler dev reloads the workers on a change, losing the local queues' ` +
      `messages (${f.sourcesChanged.slice(0, 5).join(", ")}${f.sourcesChanged.length > 5 ? ", …" : ""}); the figures follow all the same.`);
  }
  log(`\nnotifications (${f.events} "received" events through the gateway; WhatsApp then email; the WhatsApp stand-in failing ${f.failRate * 100}% of sends with a 5xx; ` +
    `MAX_DELIVERY_ATTEMPTS ${f.maxAttempts}):`);
  log(`  machine: ${f.machine.cpus} CPUs, load average ${f.machine.loadAtStart} at the start and ${f.machine.loadAtEnd} at the end; ` +
    `the ${f.events} submissions took ${(f.submitMs / 1_000).toFixed(1)} s`);
  log(`  delivered: ${f.delivered} of ${f.events} events, ${f.messagesPerSecond} messages/s (first event to last delivered: ${(f.spanMs / 1_000).toFixed(1)} s; ` +
    `to 95% of them: ${(f.p95DeliveredAfterMs / 1_000).toFixed(1)} s)`);
  log(`  event → delivered (the stand-in's time): p50 ${f.eventToDeliveredMs.p50} ms, p95 ${f.eventToDeliveredMs.p95} ms, max ${f.eventToDeliveredMs.max} ms` +
    ` (the stand-in reports delivery ${f.standInDeliveredAfterMs} ms after it accepts)`);
  log(`  event → taken up by notify (its first row): p50 ${f.eventToPickedUpMs.p50} ms, p95 ${f.eventToPickedUpMs.p95} ms, max ${f.eventToPickedUpMs.max} ms`);
  log(`  event → accepted by the stand-in: p50 ${f.eventToAcceptedMs.p50} ms, p95 ${f.eventToAcceptedMs.p95} ms, max ${f.eventToAcceptedMs.max} ms`);
  const u = f.undelivered;
  log(`  counted in the stand-ins' store: exactly once ${f.exactlyOnce}, doubled ${f.doubled} (across the ladder's channels), sent twice on one channel ${f.sentTwiceOnAChannel}; ` +
    `lost ${u.failed} (failed on every channel)`);
  if (u.notTakenUp + u.onTheWay) log(`  NOT delivered ${f.drainMs / 1_000} s after the last submission: ${u.notTakenUp + u.onTheWay} (not yet taken up by notify ${u.notTakenUp}, waiting for a retry, a report or the next step ${u.onTheWay})`);
  log(`  by fallback (delivered by email): ${f.byFallback}; notify rows past the first step: ${f.rowsPastFirstStep}`);
  log(`  WhatsApp sends: ${f.whatsapp.tries} tries, ${f.whatsapp.refused} refused (${f.whatsapp.refusedPercent}%), at most ${f.whatsapp.mostTries} tries for one message`);
  log(`  the Pacer's deferrals through the queue: ${f.pacerDeferrals.all} (${f.pacerDeferrals.received} of "received" messages)`);
  const unknown = Object.entries(f.unknownStatuses).map(([status, n]) => `${n} ${status}`).join(", ") || "none";
  log(`  delivered by the stand-in, not yet in notify's rows when the platform stopped: ${f.platformBehind} (a row left \`sent\` is sent again by email when its window ends)`);
  log(`  WhatsApp statuses that found no message (they came before notify stored its id, and were answered 200): ${unknown}`);
  log(`  meanwhile the jobs' "ready" messages (other events): ${f.ready.delivered} delivered, ${f.ready.doubled} doubled, ${f.ready.beforeReceived} before the request's "received"; ` +
    `other messages in the store: ${f.otherMessages}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await benchNotify();
  printNotify(figures);
  console.log(JSON.stringify(figures, null, 2));
}
