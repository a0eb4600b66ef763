/**
 * A deleted account's requests (user.deleted): those it submitted signed in and those submitted with its email
 * signed out. Each request row stays, anonymised: its id, channel and times are what ops count, and its status
 * link can say that it was erased rather than that it never existed. Its files leave R2 and D1, every outbox row
 * that carries the person goes, and one request.erased per request tells the workers that hold more of it (its
 * job and results, its notifications, its timeline).
 *
 * Idempotent: a request is erased once (`erased_at`), R2 deletes of missing keys succeed, and the statements that
 * anonymise and delete match nothing the second time. Files go before the rows that name them, so a failure in
 * between leaves a row that the retry finds again, never a file that nothing names.
 */
import { type Database, database, schema } from "@statex/shared/db";
import { type Envelope, type EventData, createEvent } from "@statex/shared/events";
import type { Logger } from "@statex/shared/logger";
import { outboxInsert, relayEvents } from "@statex/shared/outbox";
import { deleteUnder } from "@statex/shared/r2";
import { type SQL, type SQLWrapper, and, eq, inArray, isNull, notInArray, or, sql } from "drizzle-orm";

/** D1 binds at most 100 parameters a statement. */
const IDS_PER_STATEMENT = 90;
/** R2 deletes at most 1000 keys a call. */
const KEYS_PER_DELETE = 1000;
/** Rows that carry nobody: the erasure's own messages (a sent user.deleted forgets its email, see outbox.ts). */
const CARRIES_NOBODY = ["user.deleted", "request.erased"];

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Erases the account's requests and what intake keeps of the person; returns how many requests it erased. */
export async function eraseAccount(data: EventData<"user.deleted">, env: IntakeEnv, log: Logger): Promise<number> {
  const db = database(env.DB);
  const { requests, spamLog, eventOutbox } = schema;
  const rows = await db
    .select({ id: requests.id })
    .from(requests)
    // Emails are kept as the client typed them; the event's is lower case.
    .where(and(isNull(requests.erasedAt), or(eq(requests.userId, data.userId), sql`lower(${requests.email}) = ${data.email}`)))
    .all();
  const erased: Envelope[] = [];
  for (const ids of chunks(rows.map((r) => r.id), IDS_PER_STATEMENT)) erased.push(...(await eraseRequests(db, env.FILES, ids)));
  await db.batch([
    // Submissions refused as spam with that address: the row stays for the count, without the address or the text.
    db.update(spamLog).set({ email: null, excerpt: null }).where(sql`lower(${spamLog.email}) = ${data.email}`),
    // What other workers' outbox rows said of the person: a welcome's notification, the registration itself.
    db.delete(eventOutbox).where(and(notInArray(eventOutbox.type, CARRIES_NOBODY), or(carries(eventOutbox.body, data.userId), carriesEmail(eventOutbox.body, data.email)))),
  ]);
  // What fails to go now stays in the outbox for the cron relay: the rows are already anonymised.
  if (erased.length) await relayEvents(db, env, log, erased);
  log.info("deleted account's requests erased", { requests: erased.length });
  return erased.length;
}

/** Erases some requests (at most IDS_PER_STATEMENT) and returns their request.erased events, written to the outbox. */
async function eraseRequests(db: Database, bucket: R2Bucket, ids: string[]): Promise<Envelope[]> {
  const { requests, requestFiles, uploads, eventOutbox } = schema;
  const files = await db.select({ id: requestFiles.id, key: requestFiles.key }).from(requestFiles).where(inArray(requestFiles.requestId, ids)).all();
  // A resumable upload's file lives under uploads/ (its row names it); every other file under its request.
  for (const keys of chunks(files.map((f) => f.key), KEYS_PER_DELETE)) await bucket.delete(keys);
  for (const id of ids) await deleteUnder(bucket, `requests/${id}/`);

  const events = ids.map((requestId) => createEvent("request.erased", { requestId }, { id: `${requestId}:request.erased`, correlationId: requestId, source: "intake" }));
  const blank = { name: "", email: "", phone: null, telegram: null, whatsapp: null, text: "", userId: null, idempotencyKey: null, idempotencyHash: null };
  await db.batch([
    db.update(requests).set({ ...blank, erasedAt: new Date().toISOString() }).where(and(inArray(requests.id, ids), isNull(requests.erasedAt))),
    db.delete(requestFiles).where(inArray(requestFiles.requestId, ids)),
    // An upload's row keeps the file's name.
    ...chunks(files.map((f) => f.id), IDS_PER_STATEMENT).map((fileIds) => db.delete(uploads).where(inArray(uploads.id, fileIds))),
    // Sent or not: request.created carries the contact and the text, notification.* the address.
    db.delete(eventOutbox).where(and(notInArray(eventOutbox.type, CARRIES_NOBODY), or(...ids.map((id) => carries(eventOutbox.body, id))))),
    ...events.map((event) => outboxInsert(db, event)),
  ]);
  return events;
}

/** Whether a JSON column holds an id (ids are unique tokens, so a substring match is exact). */
function carries(column: SQLWrapper, id: string): SQL {
  return sql`instr(${column}, ${id}) > 0`;
}

/** Whether a JSON column holds the address as a whole string in any case ("ann@x.io" is not in "joann@x.io"). */
function carriesEmail(column: SQLWrapper, email: string): SQL {
  return sql`instr(lower(${column}), ${JSON.stringify(email)}) > 0`;
}
