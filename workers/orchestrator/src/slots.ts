/**
 * JobSlots: how many jobs run at once, platform-wide (JOB_SLOTS). One Durable Object (named "all") admits a
 * job while a slot is free and otherwise keeps it in line, first come, first served; a job gives its slot back
 * when it ends, and the first in line is told to start.
 *
 * Why: every job's tasks share the ai workers and the model providers behind them. Started all at once, many jobs
 * all crawl together (each task waits behind every other job's tasks, and the providers see the whole burst);
 * admitted a few at a time, each job runs at full speed in its turn and the first client in line is answered
 * first. A job waiting in line has not started: its request stays `received`, and its job's times count from
 * admission.
 *
 * Nothing here can lose a job: the job object writes its request down before it asks for a slot, a slot granted
 * while the job was not listening is told again by the alarm until the job hears it, and a slot whose job never
 * gave it back (the object failed to release it) is taken back after LEASE_MS.
 */
import { DurableObject } from "cloudflare:workers";
import { Logger, errorField } from "@statex/shared/logger";

/** The one object that holds the platform's slots. */
export const SLOTS_NAME = "all";

/** A slot held this long is taken back, whatever its job is doing: the safety net for a release that never came. */
export const LEASE_MS = 30 * 60_000;
/** How soon the alarm tells again a job that did not hear it was admitted. */
const RETELL_MS = 5_000;

export type Acquired = { admitted: true } | { admitted: false; ahead: number };
/** A job's place in line: how many jobs wait ahead of it. */
export type PlaceInLine = { ahead: number };
export type SlotsView = { slots: number; running: { requestId: string; since: string }[]; waiting: { requestId: string; since: string }[] };

/** JOB_SLOTS as a number of slots, or undefined when jobs are not limited (unset, 0 or malformed). */
export function slotsVar(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS holders (request_id TEXT PRIMARY KEY, since INTEGER NOT NULL, told INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS waiting (seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL UNIQUE, since INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS config (id INTEGER PRIMARY KEY CHECK (id = 1), slots INTEGER NOT NULL);`;

export class JobSlots extends DurableObject<OrchestratorEnv> {
  private readonly sql: SqlStorage;
  /**
   * Jobs being told right now. Every release starts a walk over the jobs not told yet, and a job is marked told only
   * once its call returns: without this, walks started by jobs ending together would each tell the same jobs again,
   * their number growing with the square of the jobs ending (docs/SCALE.md).
   */
  private readonly telling = new Set<string>();

  constructor(ctx: DurableObjectState, env: OrchestratorEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => this.sql.exec(SCHEMA));
  }

  /**
   * A slot for this request's job, or its place in line. Idempotent: asking again answers the same (a holder
   * is admitted, a waiter keeps its place). `slots` is the caller's JOB_SLOTS, so the number follows the config.
   */
  async acquire(requestId: string, slots: number): Promise<Acquired> {
    const now = Date.now();
    this.sql.exec("INSERT INTO config (id, slots) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET slots = excluded.slots", slots);
    if (this.holds(requestId)) {
      this.sql.exec("UPDATE holders SET told = 1 WHERE request_id = ?", requestId);
      return { admitted: true };
    }
    const queued = this.sql.exec<{ seq: number }>("SELECT seq FROM waiting WHERE request_id = ?", requestId).toArray()[0];
    if (!queued) {
      if (this.running() < slots && this.waitingCount() === 0) {
        this.sql.exec("INSERT INTO holders (request_id, since, told) VALUES (?, ?, 1)", requestId, now);
        await this.scheduleAlarm(now);
        return { admitted: true };
      }
      this.sql.exec("INSERT INTO waiting (request_id, since) VALUES (?, ?)", requestId, now);
    }
    // A larger JOB_SLOTS frees slots for those already in line.
    if (this.fill(now)) this.ctx.waitUntil(this.tellAdmitted());
    // Filling may have admitted this very request (it was first in line), and others the alarm must see told.
    const admitted = this.holds(requestId);
    if (admitted) this.sql.exec("UPDATE holders SET told = 1 WHERE request_id = ?", requestId);
    await this.scheduleAlarm(now);
    return admitted ? { admitted: true } : { admitted: false, ahead: this.ahead(requestId) };
  }

  /** Gives the request's slot back (or its place in line) and admits whoever is next. Idempotent. */
  async release(requestId: string): Promise<void> {
    const now = Date.now();
    this.sql.exec("DELETE FROM holders WHERE request_id = ?", requestId);
    this.sql.exec("DELETE FROM waiting WHERE request_id = ?", requestId);
    if (this.fill(now)) this.ctx.waitUntil(this.tellAdmitted());
    await this.scheduleAlarm(now);
  }

  /** The request's place in line, or null when its job is not waiting (it runs, ended, or never asked). */
  async place(requestId: string): Promise<PlaceInLine | null> {
    const waits = this.sql.exec("SELECT 1 FROM waiting WHERE request_id = ?", requestId).toArray().length > 0;
    return waits ? { ahead: this.ahead(requestId) } : null;
  }

  /** Who runs and who waits, oldest first: for ops. */
  async view(): Promise<SlotsView> {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      slots: this.limit() ?? 0,
      running: this.sql.exec<{ request_id: string; since: number }>("SELECT request_id, since FROM holders ORDER BY since").toArray().map((r) => ({ requestId: r.request_id, since: iso(r.since) })),
      waiting: this.sql.exec<{ request_id: string; since: number }>("SELECT request_id, since FROM waiting ORDER BY seq").toArray().map((r) => ({ requestId: r.request_id, since: iso(r.since) })),
    };
  }

  /** Takes back slots past their lease, admits whoever that lets in, and tells every admitted job that has not heard. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec("DELETE FROM holders WHERE since < ?", now - LEASE_MS);
    this.fill(now);
    await this.tellAdmitted();
    await this.scheduleAlarm(Date.now());
  }

  /** Moves the first in line into free slots (sync, so no other call interleaves); true when anyone moved. */
  private fill(now: number): boolean {
    const slots = this.limit();
    if (!slots) return false;
    let moved = false;
    while (this.running() < slots) {
      const next = this.sql.exec<{ seq: number; request_id: string }>("SELECT seq, request_id FROM waiting ORDER BY seq LIMIT 1").toArray()[0];
      if (!next) break;
      this.sql.exec("DELETE FROM waiting WHERE seq = ?", next.seq);
      this.sql.exec("INSERT OR IGNORE INTO holders (request_id, since, told) VALUES (?, ?, 0)", next.request_id, now);
      moved = true;
    }
    return moved;
  }

  /** Tells each admitted job that has not heard yet to start; one that cannot be reached is told again by the alarm. */
  private async tellAdmitted(): Promise<void> {
    const untold = this.sql.exec<{ request_id: string }>("SELECT request_id FROM holders WHERE told = 0 ORDER BY since").toArray();
    for (const { request_id: requestId } of untold) {
      // Told by another walk since this one began, or being told by one now.
      if (this.telling.has(requestId) || !this.untold(requestId)) continue;
      this.telling.add(requestId);
      try {
        await this.env.REQUEST_JOB.getByName(requestId).admit();
        this.sql.exec("UPDATE holders SET told = 1 WHERE request_id = ?", requestId);
      } catch (err) {
        const log = new Logger(this.env, "orchestrator", requestId);
        log.warn("admitted job not reached, the alarm tells it again", { error: errorField(err) });
        this.ctx.waitUntil(log.flush());
      } finally {
        this.telling.delete(requestId);
      }
    }
  }

  /** The next lease to expire, or sooner when an admitted job has not heard yet. */
  private async scheduleAlarm(now: number): Promise<void> {
    const oldest = this.sql.exec<{ since: number | null; untold: number }>("SELECT min(since) AS since, sum(told = 0) AS untold FROM holders").toArray()[0];
    if (!oldest?.since) return this.ctx.storage.deleteAlarm();
    const at = oldest.untold ? now + RETELL_MS : oldest.since + LEASE_MS;
    await this.ctx.storage.setAlarm(at);
  }

  private untold(requestId: string): boolean {
    return this.sql.exec("SELECT 1 FROM holders WHERE request_id = ? AND told = 0", requestId).toArray().length > 0;
  }

  private holds(requestId: string): boolean {
    return this.sql.exec("SELECT 1 FROM holders WHERE request_id = ?", requestId).toArray().length > 0;
  }

  private running(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM holders").one().n;
  }

  private waitingCount(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM waiting").one().n;
  }

  private ahead(requestId: string): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM waiting WHERE seq < (SELECT seq FROM waiting WHERE request_id = ?)", requestId).one().n;
  }

  private limit(): number | undefined {
    return this.sql.exec<{ slots: number }>("SELECT slots FROM config WHERE id = 1").toArray()[0]?.slots;
  }
}
