/**
 * Throttle: how often something may be tried, counted where no client can reset or forge the count. One object per
 * account (`account:` and the sha256 of the normalised email) and one per network (`network:` and the IPv4 address
 * or IPv6 /64 of `cf-connecting-ip`), each keeping the times of its attempts in its own SQLite storage.
 *
 * Why a Durable Object: the count has to be one for the whole platform (requests land on many isolates, and an
 * attacker spreads them on purpose), and the check and the count have to be one step. An object runs one call at a
 * time, so `admit` checks and counts an attempt before its password is checked: a burst of parallel guesses is
 * counted one by one instead of all passing the check together. A successful sign-in then gives the count back.
 *
 * Every method takes `now` (ms) from the caller, so the figures below are tested by moving a clock, not by waiting.
 */
import { DurableObject } from "cloudflare:workers";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Guesses at one account's password. The first `free` failures cost nothing (a person mistypes, or tries the few
 * passwords they use); from then on each attempt waits 2^(failures - free) seconds after the last one (1, 2, 4, 8
 * and 16 s: 31 s for five more guesses, which a script feels and a person hardly notices), and the `lockAfter`th
 * failure within `windowMs` locks password sign-in for `lockMs`, from every network. So one account takes at most
 * about 40 guesses an hour, below OWASP ASVS 4.0's V2.2.1 ceiling of 100 failed attempts an hour per account;
 * 10 failures and a 15-minute lock are Auth0's brute-force protection defaults, counted here from every network
 * because guessing from rotating addresses is the attack. The lock ends by itself: one that lasts until the owner
 * acts would let anyone who knows the address keep the owner out for good.
 */
type Guesses = { kind: "guesses"; free: number; lockAfter: number; windowMs: number; lockMs: number };
/** A budget: at most `limit` attempts within `windowMs`; the next is refused until the oldest leaves the window. */
type Budget = { kind: "budget"; limit: number; windowMs: number };

const SIGN_IN: Guesses = { kind: "guesses", free: 5, lockAfter: 10, windowMs: 15 * MINUTE_MS, lockMs: 15 * MINUTE_MS };

export const RULES = {
  /** Password sign-in to one account, by anyone. */
  "sign-in": SIGN_IN,
  /**
   * Password sign-in to one account by a client that holds a live session of it (its refresh token): the same
   * figures, counted apart, so an attacker's lock never keeps the owner of a session out.
   */
  "sign-in-session": SIGN_IN,
  /**
   * Failed sign-ins from one network, whatever the accounts: password spraying (one common password tried on many
   * accounts) never trips an account's lock, so the network has a budget too. 30 a quarter hour is far more than the
   * typos of an office or a carrier's NAT with hundreds behind it, and holds a sprayer to 120 guesses an hour.
   */
  "sign-in-network": { kind: "budget", limit: 30, windowMs: 15 * MINUTE_MS },
  /**
   * Registrations with one address: a taken address's owner is mailed at each, so 3 an hour bounds what anyone can
   * send to their inbox; a person registering twice by mistake is not held up.
   */
  register: { kind: "budget", limit: 3, windowMs: HOUR_MS },
  /**
   * Registrations from one network: a household or an office makes a few accounts an hour, a script that makes
   * accounts is held to 10 an hour (Auth0 allows 50 sign-ups a day per address by default).
   */
  "register-network": { kind: "budget", limit: 10, windowMs: HOUR_MS },
  /** Reset links asked for one address: 3 an hour (and one a minute is sent at most); each one mails the owner. */
  reset: { kind: "budget", limit: 3, windowMs: HOUR_MS },
  /** Reset links asked for from one network, whatever the addresses: enough for a shared network's forgetful few. */
  "reset-network": { kind: "budget", limit: 10, windowMs: HOUR_MS },
  /** Verification links sent again for one account: 3 an hour (and one a minute at most); each one is an email. */
  resend: { kind: "budget", limit: 3, windowMs: HOUR_MS },
  /** Verification links sent again from one network. */
  "resend-network": { kind: "budget", limit: 10, windowMs: HOUR_MS },
} as const satisfies Record<string, Guesses | Budget>;

export type Rule = keyof typeof RULES;

/** The longest any rule remembers an attempt or a lock; the alarm forgets what is older. */
const MEMORY_MS = Math.max(...Object.values(RULES).map((r) => r.windowMs + ("lockMs" in r ? r.lockMs : 0)));

/**
 * An attempt may go ahead (`ticket` names its count, to settle or give back), or not yet: `retryAfterS` whole
 * seconds, whether the account is locked, and whether this is the first refusal of this wait (the one to record:
 * a client hammering a refusal must not write a row per request).
 */
export type Admission = { admitted: true; ticket: number } | { admitted: false; retryAfterS: number; locked: boolean; firstRefusal: boolean };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, rule TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_rule ON attempts (rule, at);
CREATE TABLE IF NOT EXISTS rules (rule TEXT PRIMARY KEY, locked_until INTEGER NOT NULL DEFAULT 0, reported_until INTEGER NOT NULL DEFAULT 0);`;

export class Throttle extends DurableObject<IdentityEnv> {
  private readonly sql: SqlStorage;
  private ready = false;

  constructor(ctx: DurableObjectState, env: IdentityEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => this.tables());
  }

  /** Counts an attempt under `rule` if it may go ahead now; a refused attempt is not counted. */
  async admit(rule: Rule, now: number): Promise<Admission> {
    this.tables();
    const wait = this.waitMs(rule, now);
    if (wait.ms > 0) return this.refuse(rule, now, wait.ms, wait.locked);
    const ticket = this.sql.exec<{ id: number }>("INSERT INTO attempts (rule, at) VALUES (?, ?) RETURNING id", rule, now).one().id;
    await this.forgetLater();
    return { admitted: true, ticket };
  }

  /**
   * How a sign-in attempt ended. A success gives its count back (for an account, every failure before it too: the
   * owner is in). A failure keeps it, and the failure that reaches an account's `lockAfter` locks it: the lock's end
   * is answered once, to the request that caused it, so the owner is told once per lock.
   */
  async settle(rule: Rule, ticket: number, succeeded: boolean, now: number): Promise<{ lockedUntil: number } | null> {
    this.tables();
    const r: Guesses | Budget = RULES[rule];
    if (succeeded) {
      if (r.kind === "guesses") this.sql.exec("DELETE FROM attempts WHERE rule = ?", rule);
      else this.release(ticket);
      return null;
    }
    if (r.kind !== "guesses" || this.lockedUntil(rule) > now || this.counted(rule, now) < r.lockAfter) return null;
    const lockedUntil = now + r.lockMs;
    this.sql.exec("INSERT INTO rules (rule, locked_until) VALUES (?, ?) ON CONFLICT (rule) DO UPDATE SET locked_until = excluded.locked_until", rule, lockedUntil);
    await this.forgetLater();
    return { lockedUntil };
  }

  /** Forgets the attempts and lifts the lock of these rules: an account's password was just reset, so its guesses are moot. */
  async clear(rules: Rule[]): Promise<void> {
    this.tables();
    for (const rule of rules) {
      this.sql.exec("DELETE FROM attempts WHERE rule = ?", rule);
      this.sql.exec("DELETE FROM rules WHERE rule = ?", rule);
    }
  }

  /** Gives back the count of an admitted attempt that was never made (another counter refused it). */
  async giveBack(ticket: number): Promise<void> {
    this.tables();
    this.release(ticket);
  }

  /** Forgets attempts and locks that no rule looks at any more; an object left with nothing keeps no storage. */
  override async alarm(): Promise<void> {
    this.tables();
    const now = Date.now();
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - MEMORY_MS);
    this.sql.exec("DELETE FROM rules WHERE locked_until <= ? AND reported_until <= ?", now, now);
    const left = this.sql.exec<{ n: number }>("SELECT (SELECT count(*) FROM attempts) + (SELECT count(*) FROM rules) AS n").one().n;
    if (left) {
      await this.ctx.storage.setAlarm(now + MEMORY_MS);
      return;
    }
    // One object per address ever tried would otherwise stay for good: guessing at made-up addresses fills nothing.
    await this.ctx.storage.deleteAll();
    this.ready = false;
  }

  private tables(): void {
    if (this.ready) return;
    this.sql.exec(SCHEMA);
    this.ready = true;
  }

  private release(ticket: number): void {
    this.sql.exec("DELETE FROM attempts WHERE id = ?", ticket);
  }

  /** How long an attempt under `rule` must wait now (0: it may go ahead), and whether a lock is why. */
  private waitMs(rule: Rule, now: number): { ms: number; locked: boolean } {
    const r: Guesses | Budget = RULES[rule];
    const lockedUntil = this.lockedUntil(rule);
    if (lockedUntil > now) return { ms: lockedUntil - now, locked: true };
    const n = this.counted(rule, now);
    if (r.kind === "budget") {
      if (n < r.limit) return { ms: 0, locked: false };
      // The window's oldest attempt that must leave it before one more fits.
      const oldest = this.sql.exec<{ at: number }>("SELECT at FROM attempts WHERE rule = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?", rule, now - r.windowMs, r.limit - 1).one().at;
      return { ms: oldest + r.windowMs - now, locked: false };
    }
    // As many counted as lock the account, and no lock: the last of them are still being checked.
    if (n >= r.lockAfter) return { ms: 1_000, locked: false };
    if (n < r.free) return { ms: 0, locked: false };
    const last = this.sql.exec<{ at: number }>("SELECT max(at) AS at FROM attempts WHERE rule = ?", rule).one().at;
    return { ms: Math.max(0, last + 2 ** (n - r.free) * 1_000 - now), locked: false };
  }

  private counted(rule: Rule, now: number): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM attempts WHERE rule = ? AND at > ?", rule, now - RULES[rule].windowMs).one().n;
  }

  private lockedUntil(rule: Rule): number {
    return this.sql.exec<{ until: number }>("SELECT locked_until AS until FROM rules WHERE rule = ?", rule).toArray()[0]?.until ?? 0;
  }

  /** A refusal, the first of its wait marked so: the wait's end is remembered, and refusals before it are not news. */
  private refuse(rule: Rule, now: number, ms: number, locked: boolean): Admission {
    const reportedUntil = this.sql.exec<{ until: number }>("SELECT reported_until AS until FROM rules WHERE rule = ?", rule).toArray()[0]?.until ?? 0;
    const firstRefusal = now >= reportedUntil;
    if (firstRefusal) {
      this.sql.exec("INSERT INTO rules (rule, reported_until) VALUES (?, ?) ON CONFLICT (rule) DO UPDATE SET reported_until = excluded.reported_until", rule, now + ms);
    }
    return { admitted: false, retryAfterS: Math.max(1, Math.ceil(ms / 1_000)), locked, firstRefusal };
  }

  /** An alarm that forgets this object's attempts once no rule needs them (one is enough; it sets itself again). */
  private async forgetLater(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + MEMORY_MS);
  }
}
