/**
 * Sessions and their refresh tokens. A session is one sign-in and every refresh token descended from it (the
 * family). A refresh token is 32 random bytes, given to the client once; only its sha256 is stored, so a leaked
 * database holds nothing that signs anyone in. Each is used once: refreshing spends it and hands out the next, and
 * presenting a spent one again ends the whole family (a copy is in someone else's hands, and which holder is the
 * rightful one cannot be told), recorded as a security event.
 *
 * A session ends after `SESSION_IDLE_DAYS` without a refresh, after `SESSION_MAX_DAYS` at most, or when revoked.
 * Every function takes `now`, so tests move time instead of waiting.
 */
import { toBase64Url } from "@statex/shared/base64";
import { type Database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";
import { networkOf } from "@statex/shared/network";
import { and, desc, eq, gt, gte, isNull, lte, ne, or, sql } from "drizzle-orm";
import { securityEvent } from "./security-events";

export const SESSION_IDLE_DAYS = 7;
export const SESSION_MAX_DAYS = 30;
const DAY_MS = 86_400_000;
const REFRESH_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** A user agent is kept to tell sessions apart in a list, not to fingerprint anyone: its start is enough. */
const USER_AGENT_CHARS = 256;

/** Where a session is used from, as its list shows it. */
export type ClientInfo = { userAgent: string | null; network: string | null };

/** The client's user agent and network (`cf-connecting-ip`, which the edge sets and the gateway passes on as it is). */
export function clientOf(headers: Headers): ClientInfo {
  return { userAgent: headers.get("user-agent")?.slice(0, USER_AGENT_CHARS) || null, network: networkOf(headers.get("cf-connecting-ip")) };
}

/** A session's id, its refresh token, and when the cookie that holds the token should expire. */
export type IssuedSession = { id: string; refreshToken: string; idleExpiresAt: string };

const newRefreshToken = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
const idleEnd = (now: Date) => new Date(now.getTime() + SESSION_IDLE_DAYS * DAY_MS).toISOString();

/** A new session for a user: what the client gets, and the insert to run (alone or in a batch). */
export async function newSession(db: Database, userId: string, client: ClientInfo, now = new Date()) {
  const refreshToken = newRefreshToken();
  const nowIso = now.toISOString();
  const session: IssuedSession = { id: newId("ses", now.getTime()), refreshToken, idleExpiresAt: idleEnd(now) };
  const insert = db.insert(schema.sessions).values({
    id: session.id,
    userId,
    tokenHash: await sha256Hex(refreshToken),
    expiresAt: new Date(now.getTime() + SESSION_MAX_DAYS * DAY_MS).toISOString(),
    idleExpiresAt: session.idleExpiresAt,
    lastUsedAt: nowIso,
    createdAt: nowIso,
    ...client,
  });
  return { session, insert };
}

/** Live: not revoked, and neither end passed. A session from before refresh tokens (no idle end) is not live. */
const live = (nowIso: string) => and(isNull(schema.sessions.revokedAt), gt(schema.sessions.expiresAt, nowIso), gt(schema.sessions.idleExpiresAt, nowIso));

export type Refreshed =
  | { outcome: "refreshed"; session: IssuedSession; userId: string }
  /** A spent token came back: its family is revoked now. */
  | { outcome: "reused"; userId: string; sessionId: string }
  /** Unknown, or its session has ended. */
  | { outcome: "refused" };

/**
 * Spends a refresh token: when its session is live, the session gets the next token (and a later idle end, never
 * past its absolute end) and the spent one is kept by hash. The spend and the swap are one compare-and-set in one
 * transaction, so of two requests racing with the same token one refreshes; the other is the retry of a lost answer
 * (below) if it may be, and a reuse otherwise.
 */
export async function refreshSession(db: Database, refreshToken: string, client: ClientInfo, now = new Date()): Promise<Refreshed> {
  if (!REFRESH_TOKEN_SHAPE.test(refreshToken)) return { outcome: "refused" };
  const presented = await sha256Hex(refreshToken);
  const nowIso = now.toISOString();
  const next = newRefreshToken();
  const current = and(eq(schema.sessions.tokenHash, presented), live(nowIso));
  const [, swapped] = await db.batch([
    db
      .insert(schema.spentRefreshTokens)
      .select(db.select({ tokenHash: sql<string>`${presented}`.as("token_hash"), sessionId: schema.sessions.id, spentAt: sql<string>`${nowIso}`.as("spent_at"), orphaned: sql<number>`0`.as("orphaned") }).from(schema.sessions).where(current)),
    db
      .update(schema.sessions)
      .set({
        tokenHash: await sha256Hex(next),
        lastUsedAt: nowIso,
        // ISO times in one format compare as text: the idle end moves on, never past the absolute one.
        idleExpiresAt: sql`min(${idleEnd(now)}, ${schema.sessions.expiresAt})`,
        ...client,
      })
      .where(current)
      .returning({ id: schema.sessions.id, userId: schema.sessions.userId, idleExpiresAt: schema.sessions.idleExpiresAt }),
  ]);
  const row = swapped[0];
  if (row?.idleExpiresAt) return { outcome: "refreshed", session: { id: row.id, refreshToken: next, idleExpiresAt: row.idleExpiresAt }, userId: row.userId };

  const spent = await db
    .select({
      sessionId: schema.spentRefreshTokens.sessionId,
      userId: schema.sessions.userId,
      spentAt: schema.spentRefreshTokens.spentAt,
      orphaned: schema.spentRefreshTokens.orphaned,
      network: schema.sessions.network,
      email: schema.users.email,
    })
    .from(schema.spentRefreshTokens)
    .innerJoin(schema.sessions, eq(schema.sessions.id, schema.spentRefreshTokens.sessionId))
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .where(eq(schema.spentRefreshTokens.tokenHash, presented))
    .get();
  if (!spent) return { outcome: "refused" };
  // The answer was lost on the way to where the refresh came from, so its retry comes from there too.
  const retried = spent.network === client.network ? await retryOfLostAnswer(db, presented, spent, now) : undefined;
  if (retried) return retried;
  const { insert: recorded } = await securityEvent(db, "refresh-reuse", { email: spent.email, userId: spent.userId, network: client.network, detail: `session ${spent.sessionId}` }, now);
  await db.batch([revokeSession(db, spent.userId, spent.sessionId, "refresh-reuse", now), recorded]);
  return { outcome: "reused", userId: spent.userId, sessionId: spent.sessionId };
}

/**
 * How long the token just spent may come back once, as the retry of an answer that never arrived: a page that
 * navigates away while its refresh is on the wire never stores the cookie that answer set, and the next page
 * presents the spent token again. Within this window, only for the session's latest spent token and only from the
 * network that spent it, that is a retry, not a theft; later, a second time or from elsewhere, it is reuse and ends
 * the family.
 */
export const REUSE_GRACE_MS = 20_000;

/**
 * The session's next token for a retry within the grace window, or undefined when it is not one. The token the
 * lost answer carried is spent in turn, so if it ever shows up it counts as reuse.
 */
async function retryOfLostAnswer(db: Database, presented: string, spent: { sessionId: string; userId: string; spentAt: string; orphaned: number }, now: Date): Promise<Refreshed | undefined> {
  if (spent.orphaned || now.getTime() - Date.parse(spent.spentAt) > REUSE_GRACE_MS) return undefined;
  const nowIso = now.toISOString();
  const latest = await db
    .select({ spentAt: schema.spentRefreshTokens.spentAt })
    .from(schema.spentRefreshTokens)
    .where(
      and(eq(schema.spentRefreshTokens.sessionId, spent.sessionId), ne(schema.spentRefreshTokens.tokenHash, presented), gte(schema.spentRefreshTokens.spentAt, spent.spentAt)),
    )
    .get();
  if (latest) return undefined;
  const next = newRefreshToken();
  const session = and(eq(schema.sessions.id, spent.sessionId), live(nowIso));
  const [, swapped] = await db.batch([
    db
      .insert(schema.spentRefreshTokens)
      .select(db.select({ tokenHash: schema.sessions.tokenHash, sessionId: schema.sessions.id, spentAt: sql<string>`${nowIso}`.as("spent_at"), orphaned: sql<number>`1`.as("orphaned") }).from(schema.sessions).where(session)),
    db
      .update(schema.sessions)
      .set({ tokenHash: await sha256Hex(next), lastUsedAt: nowIso })
      .where(session)
      .returning({ id: schema.sessions.id, userId: schema.sessions.userId, idleExpiresAt: schema.sessions.idleExpiresAt }),
  ]);
  const row = swapped[0];
  if (!row?.idleExpiresAt) return undefined;
  return { outcome: "refreshed", session: { id: row.id, refreshToken: next, idleExpiresAt: row.idleExpiresAt }, userId: row.userId };
}

/**
 * Whether a refresh token is the current one of a live session of this user: read only, nothing is spent. A client
 * that holds one is the account's owner (or has their session anyway), so an attacker's sign-in lock does not apply
 * to it (see ./attempts.ts).
 */
export async function holdsLiveSession(db: Database, refreshToken: string, userId: string, now = new Date()): Promise<boolean> {
  if (!REFRESH_TOKEN_SHAPE.test(refreshToken)) return false;
  const row = await db
    .select({ id: schema.sessions.id })
    .from(schema.sessions)
    .where(and(eq(schema.sessions.tokenHash, await sha256Hex(refreshToken)), eq(schema.sessions.userId, userId), live(now.toISOString())))
    .get();
  return row !== undefined;
}

/** Ends one session of a user (a session of someone else's changes nothing). The statement, with `.returning()` to learn whether it did. */
export function revokeSession(db: Database, userId: string, sessionId: string, reason: string, now = new Date()) {
  return db
    .update(schema.sessions)
    .set({ revokedAt: now.toISOString(), revokedReason: reason })
    .where(and(eq(schema.sessions.id, sessionId), eq(schema.sessions.userId, userId), isNull(schema.sessions.revokedAt)));
}

/**
 * Ends every live session of a user but `except` (the caller's own, when a password change keeps it): each is
 * marked revoked with the reason, so the account's session list and ops can tell why it ended. The statement, to
 * run alone or in the batch that makes the change.
 */
export function revokeUserSessions(db: Database, userId: string, reason: string, except?: string, now = new Date()) {
  const notRevoked = and(eq(schema.sessions.userId, userId), isNull(schema.sessions.revokedAt));
  return db
    .update(schema.sessions)
    .set({ revokedAt: now.toISOString(), revokedReason: reason })
    .where(except ? and(notRevoked, ne(schema.sessions.id, except)) : notRevoked);
}

/** A user's live sessions, the most recently used first, as the account's list shows them. */
export async function liveSessions(db: Database, userId: string, now = new Date()) {
  return db
    .select({
      id: schema.sessions.id,
      createdAt: schema.sessions.createdAt,
      lastUsedAt: schema.sessions.lastUsedAt,
      userAgent: schema.sessions.userAgent,
      network: schema.sessions.network,
    })
    .from(schema.sessions)
    .where(and(eq(schema.sessions.userId, userId), live(now.toISOString())))
    .orderBy(desc(schema.sessions.lastUsedAt), desc(schema.sessions.id))
    .all();
}

/**
 * Removes sessions that can never refresh again (the cron's housekeeping), with their spent tokens: past either end.
 * A revoked session stays until then, so a spent token of it presented later is still seen as reuse.
 */
export async function purgeExpiredSessions(db: Database, now = new Date()): Promise<number> {
  const nowIso = now.toISOString();
  const result = await db
    .delete(schema.sessions)
    .where(or(lte(schema.sessions.expiresAt, nowIso), lte(schema.sessions.idleExpiresAt, nowIso), isNull(schema.sessions.idleExpiresAt)))
    .run();
  return result.meta.changes;
}
