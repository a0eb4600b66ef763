/**
 * Forgetting a person in the audit trail. On user.deleted: every event, log line and dead letter that carries the
 * address (as a whole JSON string, in any case) or the user id; on request.erased: every one of the request's own
 * (its correlation id) and every dead letter whose body names it. Each keeps its type, source, times and
 * correlation id, so ops still count what happened; of its data only what says what happened, never who (KEPT).
 * What reaches logging about an erased request afterwards (a late event or line) is stored anonymised at once.
 *
 * A dead letter that is itself a user.deleted not yet redriven keeps its body: it is an erasure still to be done
 * somewhere, and redriving it needs the address (redrive.ts forgets the address once it is sent).
 */
import { type Database, schema } from "@statex/shared/db";
import type { Envelope } from "@statex/shared/events";
import { type SQL, type SQLWrapper, and, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";

/** The keys whose values say what happened, never who: ids, kinds, states, counts, durations. */
const KEPT = new Set([
  "id", "requestId", "taskId", "notificationId", "eventId", "correlationId", "type", "source", "occurredAt", "kind",
  "state", "status", "attempt", "attempts", "done", "total", "durationMs", "chars", "channel", "template", "by",
  "resultKey", "key", "mime", "size", "tasks", "files", "fields", "slug", "version", "queue", "provider", "outcome",
  // An envelope's data, in a dead letter's body: kept as far as its own keys are.
  "data",
]);

/** D1 runs a batch as one transaction; a request's long timeline is rewritten in a few of them. */
const STATEMENTS_PER_BATCH = 50;
/** D1 binds at most 100 parameters a statement. */
const IDS_PER_STATEMENT = 90;

/** The erasure events logging acts on, beside storing them. */
export const ERASURES: ReadonlySet<string> = new Set(["user.deleted", "request.erased"]);

export function isErasure(event: Envelope): event is Envelope<"user.deleted" | "request.erased"> {
  return ERASURES.has(event.type);
}

/** A value with only what KEPT allows, at any depth; `erased: true` marks an object so (and keeps it from redrive). */
export function anonymised(value: unknown): Record<string, unknown> {
  const kept = keep(value);
  return { ...(typeof kept === "object" && kept !== null && !Array.isArray(kept) ? kept : {}), erased: true };
}

function keep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keep);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => KEPT.has(k)).map(([k, v]) => [k, keep(v)]));
}

/** Whether a stored body was anonymised (a dead letter so marked is never redriven). */
export function wasErased(body: unknown): boolean {
  return typeof body === "object" && body !== null && "erased" in body && body.erased === true;
}

/** Of these correlation ids, those whose request was erased (its request.erased is in the trail). */
export async function erasedAmong(db: Database, correlationIds: (string | null | undefined)[]): Promise<Set<string>> {
  const ids = [...new Set(correlationIds.filter((id): id is string => typeof id === "string"))];
  const erased = new Set<string>();
  const { events } = schema;
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const rows = await db
      .select({ id: events.correlationId })
      .from(events)
      .where(and(eq(events.type, "request.erased"), inArray(events.correlationId, ids.slice(i, i + IDS_PER_STATEMENT))))
      .all();
    for (const row of rows) erased.add(row.id);
  }
  return erased;
}

/** Which rows an erasure event names, per table, and what becomes of a log line's message. */
type Scope = { events: SQL | undefined; logs: SQL | undefined; deadLetters: SQL | undefined; msg: SQL };

function scopeOf(event: Envelope<"user.deleted" | "request.erased">): Scope {
  const { events, logs, deadLetters } = schema;
  // A user.deleted dead letter not yet redriven is an erasure still to be done: it keeps its body.
  const redrivable = sql`(coalesce(${deadLetters.eventType}, '') != 'user.deleted' or ${deadLetters.redrivenAt} is not null)`;
  if (event.type === "user.deleted") {
    const { userId, email } = event.data;
    const quoted = JSON.stringify(email);
    const inJson = (column: SQLWrapper) => or(sql`instr(lower(${column}), ${quoted}) > 0`, sql`instr(${column}, ${userId}) > 0`);
    return {
      events: inJson(events.data),
      logs: or(inJson(logs.fields), sql`instr(lower(${logs.msg}), ${email}) > 0`),
      deadLetters: and(inJson(deadLetters.body), redrivable),
      // A line's message is a fixed text; one that quoted the address is replaced whole.
      msg: sql`case when instr(lower(${logs.msg}), ${email}) > 0 then '(erased)' else ${logs.msg} end`,
    };
  }
  const { requestId } = event.data;
  return {
    events: and(eq(events.correlationId, requestId), ne(events.type, "request.erased")),
    logs: eq(logs.correlationId, requestId),
    deadLetters: and(or(eq(deadLetters.correlationId, requestId), sql`instr(${deadLetters.body}, ${requestId}) > 0`), redrivable),
    msg: sql`${logs.msg}`,
  };
}

/** Rows already anonymised are left alone, so a redelivery (or a second erasure naming them) rewrites nothing. */
const notYet = (column: SQLWrapper) => sql`(${column} is null or json_extract(${column}, '$.erased') is null)`;

/** Anonymises what the event asks to forget, then stores the event itself (a user.deleted without its address). */
export async function eraseAndStore(db: Database, event: Envelope<"user.deleted" | "request.erased">): Promise<void> {
  const { events, logs, deadLetters } = schema;
  const scope = scopeOf(event);
  const updates: BatchItem<"sqlite">[] = [];
  for (const row of await db.select({ id: events.id, data: events.data }).from(events).where(and(scope.events, notYet(events.data))).all()) {
    updates.push(db.update(events).set({ data: anonymised(row.data) }).where(eq(events.id, row.id)));
  }
  for (const row of await db.select({ id: logs.id, fields: logs.fields }).from(logs).where(and(scope.logs, notYet(logs.fields))).all()) {
    updates.push(db.update(logs).set({ fields: anonymised(row.fields), msg: scope.msg }).where(eq(logs.id, row.id)));
  }
  for (const row of await db.select({ id: deadLetters.id, body: deadLetters.body }).from(deadLetters).where(and(scope.deadLetters, notYet(deadLetters.body))).all()) {
    updates.push(db.update(deadLetters).set({ body: JSON.stringify(anonymised(parseBody(row.body))) }).where(eq(deadLetters.id, row.id)));
  }
  const data = event.type === "user.deleted" ? anonymised(event.data) : event.data;
  const { id, type, correlationId, source, occurredAt } = event;
  // The event goes in with the last rewrites: once stored, it says the erasure is done.
  const statements = [...updates, db.insert(events).values({ id, type, correlationId, source, occurredAt, data }).onConflictDoNothing()];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    const [first, ...rest] = statements.slice(i, i + STATEMENTS_PER_BATCH);
    if (first) await db.batch([first, ...rest]);
  }
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}
