/**
 * Circuit breakers: a provider that keeps failing (a model API, an email, chat or messaging API) is skipped for a
 * while instead of being hammered. One `CircuitBreaker` Durable Object per provider holds its state, so every isolate
 * of a worker agrees: it opens after `BREAKER_FAILURES` failures in a row, or when at least `BREAKER_FAILURE_RATE` of
 * the calls in the last `BREAKER_WINDOW_SECONDS` failed (with enough calls to judge); it stays open for
 * `BREAKER_COOLDOWN_SECONDS`, doubled at each opening without a success between (up to 8 times); then it is half-open
 * and lets ONE probe through while every other call is still skipped; the probe's success closes it, its failure opens
 * it again. A skipped call never reaches the provider and the caller treats it as that provider's failure, which its
 * own mechanism already handles (the AI chain's next provider, a channel's retry and then the ladder's next channel).
 *
 * Why not cockatiel's CircuitBreakerPolicy: its policy wraps the call (`execute(fn)`), so the decision and the call
 * must live in one isolate; its half-open callers wait for the probe instead of being skipped; and its serialised
 * state (`toJSON()`) writes half-open as open-and-due, so every isolate that loads it would send a probe of its own.
 * Here the decision is an RPC to the object and the call runs in the caller's isolate, with a lease on the probe.
 *
 * Each isolate keeps what the object last answered: while a breaker is open, calls are skipped there without asking
 * the object until the next probe is due; while closed, a second's answer is reused, so most calls cost the object
 * one RPC (their outcome). The object's answer is never load-bearing: if it cannot be reached, the call goes.
 */
import { DurableObject } from "cloudflare:workers";
import type { BreakerView } from "./api/breakers";
import type { Logger } from "./logger";

/** The vars every worker with breakers reads (all optional: the defaults below apply). */
export type BreakerEnv = {
  BREAKERS: DurableObjectNamespace<CircuitBreaker>;
  BREAKER_FAILURES?: string;
  BREAKER_FAILURE_RATE?: string;
  BREAKER_WINDOW_SECONDS?: string;
  BREAKER_COOLDOWN_SECONDS?: string;
};

export type BreakerSettings = {
  /** Failures in a row that open it. */
  failures: number;
  /** The share of failed calls in the window that opens it (0 turns the rate off). */
  failureRate: number;
  windowMs: number;
  /** Fewer calls than this in the window say nothing about a rate. */
  minCalls: number;
  cooldownMs: number;
  /** How long a probe holds the half-open breaker: a caller that dies mid-probe must not keep it half-open for ever. */
  probeLeaseMs: number;
};

const positive = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** The settings from a worker's vars; `probeLeaseMs` is the caller's: longer than its own call may take. */
export function breakerSettings(env: Omit<BreakerEnv, "BREAKERS">, probeLeaseMs: number): BreakerSettings {
  const rate = Number(env.BREAKER_FAILURE_RATE);
  return {
    failures: Math.round(positive(env.BREAKER_FAILURES, 5)),
    failureRate: env.BREAKER_FAILURE_RATE !== undefined && env.BREAKER_FAILURE_RATE !== "" && rate >= 0 && rate <= 1 ? rate : 0.5,
    windowMs: positive(env.BREAKER_WINDOW_SECONDS, 60) * 1_000,
    minCalls: 20,
    cooldownMs: positive(env.BREAKER_COOLDOWN_SECONDS, 30) * 1_000,
    probeLeaseMs,
  };
}

type State = "closed" | "open" | "half-open";

/** What the object keeps in storage; the window's outcomes stay in memory (losing them loses one window). */
type Stored = {
  state: State;
  failures: number;
  openings: number;
  openedAt: number | null;
  nextProbeAt: number | null;
  probeUntil: number | null;
  lastFailure: string | null;
  lastFailureAt: number | null;
  changedAt: number | null;
};

/** What a call learns: whether it may go (and whether it is the probe), the breaker's state, and what just changed. */
export type Snapshot = {
  state: State;
  failures: number;
  nextProbeAt: number | null;
  /** The transition this answer made, for the caller to log. */
  changed?: "opened" | "half-open" | "closed";
};
export type Admission = Snapshot & { allowed: boolean; probe: boolean; retryAfterMs: number };

/** A call's outcome: the provider failed, answered, or nothing was learnt (the call was declined or deferred). */
export type Outcome = { kind: "success" } | { kind: "failure"; error: string; retryAfterMs?: number | undefined } | { kind: "neutral" };

const STORAGE_KEY = "breaker";
/** Enough outcomes to judge any rate; older ones fall out first. */
const MAX_RECENT = 1_000;
/** An opening's cool-down grows to at most this many times the configured one. */
const MAX_COOLDOWN_FACTOR = 8;

const fresh = (): Stored => ({ state: "closed", failures: 0, openings: 0, openedAt: null, nextProbeAt: null, probeUntil: null, lastFailure: null, lastFailureAt: null, changedAt: null });

/** One provider's breaker, named by its provider; see the module comment. */
export class CircuitBreaker extends DurableObject<object> {
  private s: Stored = fresh();
  private recent: { at: number; ok: boolean }[] = [];

  constructor(ctx: DurableObjectState, env: object) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.s = (await ctx.storage.get<Stored>(STORAGE_KEY)) ?? fresh();
    });
  }

  /** Whether a call may go now; a due open breaker turns half-open and this call is its probe. */
  async admit(settings: BreakerSettings): Promise<Admission> {
    const now = Date.now();
    const s = this.s;
    if (s.state === "closed") return this.answer({ allowed: true, probe: false, retryAfterMs: 0 });
    if (s.state === "open" && s.nextProbeAt !== null && now < s.nextProbeAt) return this.answer({ allowed: false, probe: false, retryAfterMs: s.nextProbeAt - now });
    // While the probe is on its way, a skipped call comes back after a cool-down rather than the probe's whole lease.
    if (s.state === "half-open" && s.probeUntil !== null && now < s.probeUntil) return this.answer({ allowed: false, probe: false, retryAfterMs: Math.min(s.probeUntil - now, settings.cooldownMs) });
    // Due, or the last probe's lease ran out without an outcome: this call is the one probe.
    const changed = s.state === "open" ? ("half-open" as const) : undefined;
    await this.save({ ...s, state: "half-open", probeUntil: now + settings.probeLeaseMs, changedAt: changed ? now : s.changedAt });
    return this.answer({ allowed: true, probe: true, retryAfterMs: 0 }, changed);
  }

  /** Records a call's outcome; answers the state after it, and the transition it made. */
  async record(outcome: Outcome, probe: boolean, settings: BreakerSettings): Promise<Snapshot> {
    const now = Date.now();
    const s = this.s;
    if (outcome.kind === "neutral") {
      // Nothing learnt: the probe's slot is free for the next call.
      if (probe && s.state === "half-open") await this.save({ ...s, probeUntil: null });
      return this.answer({});
    }
    this.recent.push({ at: now, ok: outcome.kind === "success" });
    while (this.recent.length > MAX_RECENT || (this.recent[0] && this.recent[0].at < now - settings.windowMs)) this.recent.shift();
    if (outcome.kind === "success") {
      // A call that went before the breaker opened says nothing about now: only the probe (or any call once
      // half-open) closes it.
      if (s.state === "open") return this.answer({});
      if (s.state === "half-open") {
        await this.save({ ...s, state: "closed", failures: 0, openings: 0, openedAt: null, nextProbeAt: null, probeUntil: null, changedAt: now });
        this.recent = [];
        return this.answer({}, "closed");
      }
      if (s.failures > 0) await this.save({ ...s, failures: 0 });
      return this.answer({});
    }
    const failed = { ...s, failures: s.failures + 1, lastFailure: outcome.error.slice(0, 500), lastFailureAt: now };
    const failedRecently = this.recent.filter((r) => !r.ok).length;
    const rateTripped = settings.failureRate > 0 && this.recent.length >= settings.minCalls && failedRecently / this.recent.length >= settings.failureRate;
    if (s.state === "half-open" || (s.state === "closed" && (failed.failures >= settings.failures || rateTripped))) {
      const openings = s.openings + 1;
      const cooldown = Math.max(settings.cooldownMs * Math.min(2 ** (openings - 1), MAX_COOLDOWN_FACTOR), outcome.retryAfterMs ?? 0);
      await this.save({ ...failed, state: "open", openings, openedAt: now, nextProbeAt: now + cooldown, probeUntil: null, changedAt: now });
      return this.answer({}, "opened");
    }
    await this.save(failed);
    return this.answer({});
  }

  /** The breaker as ops see it. */
  view(name: string): BreakerView {
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const s = this.s;
    return {
      name,
      state: s.state,
      failures: s.failures,
      openings: s.openings,
      recentCalls: this.recent.length,
      recentFailures: this.recent.filter((r) => !r.ok).length,
      openedAt: iso(s.openedAt),
      nextProbeAt: iso(s.state === "half-open" ? null : s.nextProbeAt),
      lastFailure: s.lastFailure,
      lastFailureAt: iso(s.lastFailureAt),
      changedAt: iso(s.changedAt),
    };
  }

  private async save(next: Stored): Promise<void> {
    this.s = next;
    await this.ctx.storage.put(STORAGE_KEY, next);
  }

  private answer<T extends object>(extra: T, changed?: Snapshot["changed"]): T & Snapshot {
    const { state, failures, nextProbeAt } = this.s;
    return { ...extra, state, failures, nextProbeAt, ...(changed ? { changed } : {}) };
  }
}

/** How long an isolate trusts a closed answer before asking the object again. */
const CLOSED_CACHE_MS = 1_000;
/** What this isolate last heard from each breaker, by namespace and name. */
const heard = new WeakMap<DurableObjectNamespace<CircuitBreaker>, Map<string, { snapshot: Snapshot; at: number }>>();

function memo(ns: DurableObjectNamespace<CircuitBreaker>): Map<string, { snapshot: Snapshot; at: number }> {
  let m = heard.get(ns);
  if (!m) heard.set(ns, (m = new Map()));
  return m;
}

/** A skipped call: what to tell the caller, and when the breaker may let a call through again. */
export type Skipped = { retryAfterMs: number; state: State };

/**
 * Runs `call` through the named breaker: skipped (answered `{ skipped }` without calling) while it is open or another
 * call is its probe; otherwise called, its outcome judged by `judge` and recorded. `call`'s own error is rethrown.
 */
export async function throughBreaker<T>(
  env: BreakerEnv,
  name: string,
  settings: BreakerSettings,
  log: Logger,
  call: () => Promise<T>,
  judge: { error: (err: unknown) => Outcome; value?: (value: T) => Outcome },
): Promise<{ value: T } | { skipped: Skipped }> {
  const ns = env.BREAKERS;
  const cache = memo(ns);
  const now = Date.now();
  const known = cache.get(name);
  let probe = false;
  if (known?.snapshot.state === "open" && known.snapshot.nextProbeAt !== null && now < known.snapshot.nextProbeAt) {
    return { skipped: { retryAfterMs: known.snapshot.nextProbeAt - now, state: "open" } };
  }
  if (!(known?.snapshot.state === "closed" && now - known.at < CLOSED_CACHE_MS)) {
    let admission: Admission | undefined;
    try {
      admission = await ns.getByName(name).admit(settings);
    } catch (err) {
      // The breaker is advice: without it, the call goes as it would have before breakers.
      log.warn("circuit breaker unreachable, calling anyway", { breaker: name, error: String(err) });
    }
    if (admission) {
      cache.set(name, { snapshot: admission, at: Date.now() });
      if (admission.changed === "half-open") log.info("circuit breaker half-open: one probe goes", { breaker: name });
      if (!admission.allowed) return { skipped: { retryAfterMs: admission.retryAfterMs, state: admission.state } };
      probe = admission.probe;
    }
  }
  let outcome: Outcome;
  let result: { value: T } | { error: unknown };
  try {
    const value = await call();
    result = { value };
    outcome = judge.value ? judge.value(value) : { kind: "success" };
  } catch (err) {
    result = { error: err };
    outcome = judge.error(err);
  }
  try {
    const after = await ns.getByName(name).record(outcome, probe, settings);
    cache.set(name, { snapshot: after, at: Date.now() });
    if (after.changed === "opened") {
      log.warn("circuit breaker opened", { breaker: name, failures: after.failures, nextProbeAt: after.nextProbeAt === null ? null : new Date(after.nextProbeAt).toISOString(), probe, error: outcome.kind === "failure" ? outcome.error.slice(0, 500) : undefined });
    } else if (after.changed === "closed") {
      log.info("circuit breaker closed", { breaker: name, probe });
    }
  } catch (err) {
    log.warn("circuit breaker unreachable, outcome not recorded", { breaker: name, error: String(err) });
  }
  if ("error" in result) throw result.error;
  return result;
}

/** What each named breaker of a worker holds now, for ops. */
export async function breakerViews(env: Pick<BreakerEnv, "BREAKERS">, names: string[]): Promise<BreakerView[]> {
  return Promise.all(names.map((name) => env.BREAKERS.getByName(name).view(name)));
}
