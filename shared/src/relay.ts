/**
 * The two moments a worker relays its outbox: right after the write that made
 * the events (in the background, so the answer does not wait) and every minute
 * by cron, the safety net for whatever a crash or a failed send left behind.
 */
import { database, type Database } from "./db";
import type { Envelope, Service } from "./events";
import { Logger, type LoggerEnv, shipLines } from "./logger";
import { markSent, relayEvents, relayOutbox } from "./outbox";
import { publish, type PublisherEnv } from "./routing";

/** One written event waiting for the relay, with the logger of the request that wrote it. */
type Pending = { event: Envelope; log: Logger; bytes: number };

/**
 * The relay of one isolate (per env): events waiting to be sent, the request `waitUntil` that is sending them,
 * with since when (null when nobody is), and when its last round ended.
 */
type Relay = { pending: Pending[]; sender: { since: number } | null; lastRoundEnded: number };
const relays = new WeakMap<object, Relay>();

/** One round sends at most this much, so each queue takes it in one sendBatch (100 messages, 256 KB) and its ids fit one "mark sent" statement (D1 binds at most 100 parameters). */
const ROUND_EVENTS = 50;
const ROUND_BYTES = 200 * 1024;
/** A sender hands over after this many rounds, so no request's `waitUntil` is kept alive by a steady stream. */
const MAX_ROUNDS = 8;
/**
 * A sender that has not finished a round for this long is presumed cancelled (its `waitUntil` ended mid-send): the
 * next request takes over, and sends what it left, log lines included.
 */
const STALE_MS = 2_000;
/**
 * A round of one isolate begins at least this long after the last one ended. An event written after a quiet spell
 * goes out at once; one written while submissions keep coming waits for the rest of the gap and shares its round
 * with whatever arrives meanwhile. Each round costs a sendBatch per queue, a "mark sent" statement and a log
 * message whatever it holds, so a steady stream of submissions (one client after another) pays for those once per
 * gap rather than once per submission, for at most this much delay before its job starts.
 */
export const ROUND_GAP_MS = 25;
const encoder = new TextEncoder();

/**
 * Sends the events just written to the outbox after the response, then ships the request's log lines.
 *
 * Requests that finish while a send of this isolate is in flight do not start sends of their own: their events
 * (and log lines) join the next round of the one already running, so under load N submissions cost one
 * sendBatch per queue, one "mark sent" statement and one log message, not N of each. The events are already
 * committed in the outbox, so a round that never happens (the isolate dies) loses nothing: the cron relay sends
 * them. A lone request is its own round.
 */
export function relaySoon(ctx: Pick<ExecutionContext, "waitUntil">, db: Database, env: PublisherEnv, log: Logger, events: Envelope[]): void {
  if (!events.length) {
    ctx.waitUntil(log.flush());
    return;
  }
  let relay = relays.get(env);
  if (!relay) relays.set(env, (relay = { pending: [], sender: null, lastRoundEnded: 0 }));
  for (const event of events) relay.pending.push({ event, log, bytes: encoder.encode(JSON.stringify(event)).byteLength });
  const now = Date.now();
  if (relay.sender && now - relay.sender.since < STALE_MS) return;
  const sender = { since: now };
  relay.sender = sender;
  ctx.waitUntil(sendRounds(relay, sender, db, env));
}

/** Waits, if the last round ended less than {@link ROUND_GAP_MS} ago, for the rest of the gap. */
async function untilGapOver(relay: Relay): Promise<void> {
  const wait = relay.lastRoundEnded + ROUND_GAP_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** Takes what one round sends: in order, within the sendBatch limits, at least one event. */
function takeRound(pending: Pending[]): Pending[] {
  let n = 0;
  let bytes = 0;
  while (n < pending.length && n < ROUND_EVENTS) {
    const next = pending[n]!.bytes;
    if (n > 0 && bytes + next > ROUND_BYTES) break;
    bytes += next;
    n++;
  }
  return pending.splice(0, n);
}

/** Sends rounds until nothing is pending (or its turn is over, and then whatever is left), never throwing. */
async function sendRounds(relay: Relay, sender: { since: number }, db: Database, env: PublisherEnv & LoggerEnv): Promise<void> {
  let rounds = 0;
  try {
    while (relay.pending.length && relay.sender === sender) {
      await untilGapOver(relay);
      if (relay.sender !== sender) return;
      if (++rounds >= MAX_ROUNDS) {
        // Hand over: what arrives from now on starts its own sender; this one finishes what is here.
        relay.sender = null;
        const rest = relay.pending.splice(0);
        while (rest.length) await sendRound(takeRound(rest), db, env);
        relay.lastRoundEnded = Date.now();
        return;
      }
      await sendRound(takeRound(relay.pending), db, env);
      sender.since = relay.lastRoundEnded = Date.now();
    }
  } finally {
    if (relay.sender === sender) relay.sender = null;
  }
}

/**
 * One round: every event to its queues (one sendBatch per queue) and marked sent in one statement; if that fails,
 * each event on its own, so one bad event holds back no other (what still fails stays for the cron relay). Then
 * the round's log lines in one message.
 */
async function sendRound(round: Pending[], db: Database, env: PublisherEnv & LoggerEnv): Promise<void> {
  const [first] = round;
  if (!first) return;
  try {
    if (round.length === 1) {
      await relayEvents(db, env, first.log, [first.event]).catch(() => undefined);
      return;
    }
    let published = false;
    try {
      await publish(env, ...round.map((p) => p.event));
      published = true;
    } catch {
      for (const p of round) await relayEvents(db, env, p.log, [p.event]).catch(() => undefined);
    }
    if (published) await markSent(db, round.map((p) => p.event.id)).catch(() => undefined);
  } finally {
    const loggers = [...new Set(round.map((p) => p.log))];
    await shipLines(env, first.log.service, loggers.flatMap((l) => l.drain()));
  }
}

type CronEnv = PublisherEnv & LoggerEnv & { DB: D1Database };

/**
 * A `scheduled` handler that relays what the outbox still holds, then runs the
 * worker's own housekeeping (if any) with the same database and logger.
 */
export function outboxCron<E extends CronEnv>(
  service: Service,
  housekeeping?: (db: Database, env: E, log: Logger) => Promise<void>,
): (controller: ScheduledController, env: E, ctx: ExecutionContext) => Promise<void> {
  return async function scheduled(_controller, env, ctx) {
    const log = new Logger(env, service);
    const db = database(env.DB);
    try {
      const result = await relayOutbox(db, env, log);
      if (result.sent || result.failed) log.info("outbox relayed", result);
      await housekeeping?.(db, env, log);
    } finally {
      ctx.waitUntil(log.flush());
    }
  };
}
