/** What ops must be able to see about accounts: who tried to register a taken address, asked for or used a reset. */
import { type Database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";

/**
 * A security event's insert, for the batch of what it records; the address is kept only as its sha256. Wrapped in an
 * object because the statement is a thenable: an async function returning it bare would run it on its own.
 */
export async function securityEvent(db: Database, kind: string, about: { email?: string; userId?: string | undefined; detail?: string }, now = new Date()) {
  const insert = db.insert(schema.securityEvents).values({
    id: newId("sev", now.getTime()),
    kind,
    emailHash: about.email === undefined ? null : await sha256Hex(about.email),
    userId: about.userId ?? null,
    detail: about.detail ?? null,
    at: now.toISOString(),
  });
  return { insert };
}
