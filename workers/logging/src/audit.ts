/**
 * The audit trail: append-only (D1 triggers refuse UPDATE and DELETE) and hash-chained, so ops can show that
 * nobody rewrote who did what. Entry n holds the SHA-256 of its own fields and the hash of entry n-1; whoever drops
 * the triggers and edits or removes a row breaks the chain at that row, and {@link verifyChain} names it.
 *
 * Appends are serialised by the table itself: an entry takes `seq` = last + 1 and `prev_hash` = the last hash, both
 * unique, so of two appends racing for one place only one lands and the other reads the new head and tries again.
 * Raw D1 statements, not drizzle: the hash covers `change` exactly as stored, never a re-serialised copy.
 */
import { sha256Hex } from "@statex/shared/hash";

/** The `prev_hash` of the first entry. */
export const GENESIS = "0".repeat(64);

export type AuditInput = {
  /** What the entry records (an event id, a redrive's id): appending the same source twice adds it once. */
  sourceId: string;
  at: string;
  action: string;
  actor: { id: string | null; role: string | null };
  target: { type: string; id: string };
  change: Record<string, unknown> | null;
  correlationId: string | null;
};

type Row = {
  seq: number;
  at: string;
  action: string;
  actor_id: string | null;
  actor_role: string | null;
  target_type: string;
  target_id: string;
  change: string | null;
  correlation_id: string | null;
  source_id: string;
  prev_hash: string;
  hash: string;
};

/** The entry as it is shown: `change` parsed, the actor and target as objects. */
export type AuditEntry = {
  seq: number;
  at: string;
  action: string;
  actor: { id: string | null; role: string | null };
  target: { type: string; id: string };
  change: unknown;
  correlationId: string | null;
  prevHash: string;
  hash: string;
};

/** What is hashed: every stored field but the hash, in a fixed order, as one JSON array. */
function hashOf(r: Omit<Row, "hash">): Promise<string> {
  return sha256Hex(JSON.stringify([r.seq, r.at, r.action, r.actor_id, r.actor_role, r.target_type, r.target_id, r.change, r.correlation_id, r.source_id, r.prev_hash]));
}

/** Appends were this many times beaten to the head by another append before giving up (the message is retried). */
const MAX_RACES = 30;

/** Appends one entry at the head of the chain, once per `sourceId`. Returns its seq, or null when it was there already. */
export async function appendAudit(db: D1Database, input: AuditInput): Promise<number | null> {
  const change = input.change === null ? null : JSON.stringify(input.change);
  for (let race = 0; race < MAX_RACES; race++) {
    const head = await db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first<{ seq: number; hash: string }>();
    const row = {
      seq: (head?.seq ?? 0) + 1,
      at: input.at,
      action: input.action,
      actor_id: input.actor.id,
      actor_role: input.actor.role,
      target_type: input.target.type,
      target_id: input.target.id,
      change,
      correlation_id: input.correlationId,
      source_id: input.sourceId,
      prev_hash: head?.hash ?? GENESIS,
    };
    const hash = await hashOf(row);
    try {
      const result = await db
        .prepare(
          `INSERT INTO audit_log (seq, at, action, actor_id, actor_role, target_type, target_id, change, correlation_id, source_id, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING`,
        )
        .bind(row.seq, row.at, row.action, row.actor_id, row.actor_role, row.target_type, row.target_id, row.change, row.correlation_id, row.source_id, row.prev_hash, hash)
        .run();
      return result.meta.changes ? row.seq : null;
    } catch (err) {
      // Another append took this place (seq or prev_hash taken): read the new head and try again.
      if (!/UNIQUE constraint failed: audit_log\.(seq|prev_hash)/.test(String(err))) throw err;
      // A moment's random wait, so the racers do not meet again at the next place.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (race + 1)));
    }
  }
  throw new Error("audit append lost the race too many times");
}

/** A page of entries, newest first; `cursor` is the seq to go below. */
export async function listAudit(
  db: D1Database,
  q: { action?: string | undefined; actor?: string | undefined; target?: string | undefined; cursor?: number | undefined; limit: number },
): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const filters: [string, unknown][] = [];
  if (q.action) filters.push(["action = ?", q.action]);
  if (q.actor) filters.push(["actor_id = ?", q.actor]);
  if (q.target) filters.push(["target_id = ?", q.target]);
  if (q.cursor !== undefined) filters.push(["seq < ?", q.cursor]);
  const where = filters.map(([clause]) => clause);
  const params = filters.map(([, value]) => value);
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
  const { results } = await db.prepare(sql).bind(...params, q.limit + 1).all<Row>();
  const page = results.slice(0, q.limit);
  const last = page.at(-1);
  return { entries: page.map(entryOf), next: results.length > q.limit && last ? String(last.seq) : null };
}

/** One correlation id's entries, oldest first (a request's story). */
export async function auditOf(db: D1Database, correlationId: string, limit: number): Promise<AuditEntry[]> {
  const { results } = await db.prepare("SELECT * FROM audit_log WHERE correlation_id = ? ORDER BY seq LIMIT ?").bind(correlationId, limit).all<Row>();
  return results.map(entryOf);
}

function entryOf(r: Row): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    action: r.action,
    actor: { id: r.actor_id, role: r.actor_role },
    target: { type: r.target_type, id: r.target_id },
    change: r.change === null ? null : (JSON.parse(r.change) as unknown),
    correlationId: r.correlation_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export type Verdict = {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  brokenAt?: { seq: number; reason: "hash-mismatch" | "prev-mismatch" | "missing"; expected: string; found: string | null };
  checkedAt: string;
};

/** Pages through the chain by seq; enough to keep one page's rows well inside a Worker's memory. */
const PAGE = 500;

/** Walks the chain from its first entry and answers where it first breaks, if it does. */
export async function verifyChain(db: D1Database): Promise<Verdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let entries = 0;
  let head: Verdict["head"] = null;
  const checkedAt = new Date().toISOString();
  for (;;) {
    const { results } = await db.prepare("SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?").bind(expectedSeq, PAGE).all<Row>();
    for (const row of results) {
      const broken = (reason: NonNullable<Verdict["brokenAt"]>["reason"], seq: number, expected: string, found: string | null): Verdict => ({
        ok: false,
        entries,
        head,
        brokenAt: { seq, reason, expected, found },
        checkedAt,
      });
      // A removed entry: the next one's prev_hash names a hash no entry holds any more, at the seq that is gone.
      if (row.seq !== expectedSeq) return broken("missing", expectedSeq, prevHash, null);
      if (row.prev_hash !== prevHash) return broken("prev-mismatch", row.seq, prevHash, row.prev_hash);
      const { hash, ...fields } = row;
      const recomputed = await hashOf(fields);
      if (recomputed !== hash) return broken("hash-mismatch", row.seq, recomputed, hash);
      entries++;
      head = { seq: row.seq, hash };
      prevHash = hash;
      expectedSeq++;
    }
    if (results.length < PAGE) break;
  }
  return { ok: true, entries, head, checkedAt };
}
