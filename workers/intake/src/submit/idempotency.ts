/**
 * `Idempotency-Key` on POST /requests: the same key with the same body answers
 * the first request again; with a different body, 409. The unique index on
 * requests.idempotency_key is the only arbiter, so two concurrent duplicates
 * cannot both create a request: the loser's batch fails as a whole and it
 * answers with the winner's request.
 */
import { type Database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { sha256Hex } from "@statex/shared/hash";
import { eq } from "drizzle-orm";

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The header's value, validated; undefined when absent. */
export function idempotencyKeyOf(headers: Headers): string | undefined {
  const key = headers.get("idempotency-key");
  if (key === null) return undefined;
  if (!KEY.test(key)) {
    throw new ProblemError(400, "validation-error", "Invalid Idempotency-Key", [{ field: "header.idempotency-key", message: "1 to 255 visible ASCII characters" }]);
  }
  return key;
}

/**
 * The body's fingerprint: its validated fields with sorted keys (so JSON and multipart spellings of
 * one submission agree) and the sha256 of each file, in order.
 */
export async function bodyHash(fields: Record<string, unknown>, files: { sha256: string }[] = []): Promise<string> {
  const canonical = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return sha256Hex(JSON.stringify({ fields: canonical, files: files.map((f) => f.sha256) }));
}

function conflict(): ProblemError {
  return new ProblemError(409, "idempotency-conflict", "This Idempotency-Key was already used with a different request body", [
    { field: "header.idempotency-key", message: "already used with a different body" },
  ]);
}

/** The id of the request already created under `key`, if any; 409 when its body differed. */
export async function earlierRequest(db: Database, key: string, hash: string): Promise<string | undefined> {
  const row = await db.select({ id: schema.requests.id, hash: schema.requests.idempotencyHash }).from(schema.requests).where(eq(schema.requests.idempotencyKey, key)).get();
  if (!row) return undefined;
  if (row.hash !== hash) throw conflict();
  return row.id;
}

function isKeyConflict(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed: requests\.idempotency_key/.test(e.message)) return true;
  return false;
}

export type Outcome = { id: string; replayed: boolean };

/**
 * Runs `create` unless `key` was seen; a create that loses a race on the key answers with the winner.
 * Without a key it just creates.
 */
export async function idempotent(db: Database, key: string | undefined, hash: string, create: () => Promise<string>): Promise<Outcome> {
  if (!key) return { id: await create(), replayed: false };
  const earlier = await earlierRequest(db, key, hash);
  if (earlier) return { id: earlier, replayed: true };
  try {
    return { id: await create(), replayed: false };
  } catch (err) {
    if (!isKeyConflict(err)) throw err;
    const winner = await earlierRequest(db, key, hash);
    if (!winner) throw err;
    return { id: winner, replayed: true };
  }
}
