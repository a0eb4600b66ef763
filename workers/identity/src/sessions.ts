/**
 * Session tokens: 32 random bytes, given to the client once. Only their
 * sha256 is stored, so a leaked database holds nothing that signs anyone in.
 */
import { toBase64Url } from "@statex/shared/base64";
import type { AuthenticatedUser } from "@statex/shared/caller";
import { type Database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";
import { and, eq, gt, isNull, lte, ne } from "drizzle-orm";

export const SESSION_DAYS = 30;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new session for a user: the token for the client, and the insert to run (alone or in a batch). */
export async function newSession(db: Database, userId: string, now = new Date()) {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
  const insert = db.insert(schema.sessions).values({ id: newId("ses"), userId, tokenHash: await sha256Hex(token), expiresAt });
  return { token, expiresAt, insert };
}

/** The user a token signs in, or null when it is unknown, expired or not a token at all. */
export async function userForToken(db: Database, token: string): Promise<AuthenticatedUser | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db
    .select({ userId: schema.users.id, email: schema.users.email, name: schema.users.name, role: schema.users.role })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .where(and(eq(schema.sessions.tokenHash, await sha256Hex(token)), gt(schema.sessions.expiresAt, new Date().toISOString()), isNull(schema.sessions.revokedAt)))
    .get();
  return row ?? null;
}

/** Ends the session of this token, if it is the user's (a token of someone else's changes nothing). */
export async function endSession(db: Database, userId: string, token: string): Promise<void> {
  await db
    .delete(schema.sessions)
    .where(and(eq(schema.sessions.tokenHash, await sha256Hex(token)), eq(schema.sessions.userId, userId)));
}

/**
 * Ends every live session of a user but `except` (the caller's own, when a password change keeps it): each is
 * marked revoked with the reason, so the account's session list and ops can tell why it ended. The statement, to
 * run alone or in the batch that makes the change.
 */
export function revokeUserSessions(db: Database, userId: string, reason: string, except?: string, now = new Date()) {
  const live = and(eq(schema.sessions.userId, userId), isNull(schema.sessions.revokedAt));
  return db
    .update(schema.sessions)
    .set({ revokedAt: now.toISOString(), revokedReason: reason })
    .where(except ? and(live, ne(schema.sessions.id, except)) : live);
}

/** Removes expired sessions (the cron's housekeeping); they already sign no one in. */
export async function purgeExpiredSessions(db: Database, now = new Date()): Promise<number> {
  const result = await db.delete(schema.sessions).where(lte(schema.sessions.expiresAt, now.toISOString())).run();
  return result.meta.changes;
}

/** The bearer token of the request's `authorization` header, if it has one. */
export function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}
