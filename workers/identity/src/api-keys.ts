/**
 * API keys: issuing one (the key answered once, its sha256 kept), the shape a key leaves this worker in, and the
 * gateway's check of a presented key. A key acts as the account that owns it, within its scopes.
 */
import { API_KEY_PATTERN, type ApiScope, type Role } from "@statex/shared/auth";
import { type Database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { newId } from "@statex/shared/ids";
import { type SQLWrapper, and, desc, eq, gt, inArray, isNull, lt, or } from "drizzle-orm";

const { apiKeys, users } = schema;

type KeyRow = typeof apiKeys.$inferSelect;

const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_CHARS = 40;
/** How many characters of the secret part the listing shows: enough to tell keys apart, far too few to guess the rest. */
const SHOWN_CHARS = 8;
/** `last_used_at` is a hint for the owner, not a log: one write a minute per key at most, whatever the traffic. */
export const LAST_USED_EVERY_MS = 60_000;
/** Live (unrevoked, unexpired) keys an account may hold at once. */
export const MAX_LIVE_KEYS = 20;

/** Production keys say so, so a key leaked from a test setup is told apart from one that opens real accounts. */
export function keyPrefixFor(environment: string): string {
  return environment === "production" ? "sx_live_" : "sx_test_";
}

/** 40 base62 characters, uniformly: bytes from 248 up are dropped rather than folded in, which would favour some. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  return out;
}

/** A new key, what the owner will recognise it by, and the only thing kept of it. */
export async function newApiKey(environment: string): Promise<{ key: string; prefix: string; hash: string }> {
  const start = keyPrefixFor(environment);
  const key = `${start}${randomBase62(SECRET_CHARS)}`;
  return { key, prefix: key.slice(0, start.length + SHOWN_CHARS), hash: await sha256Hex(key) };
}

/** A key as its owner sees it in a list: never its hash. */
export function apiKeyView(row: KeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * A new key's insert for the batch that records it, and what to answer: the key itself, this once. Wrapped in an
 * object because the statement is a thenable (see `securityEvent`).
 */
export async function issueApiKey(db: Database, environment: string, input: { userId: string; name: string; scopes: ApiScope[]; expiresAt: string | null }, now = new Date()) {
  const { key, prefix, hash } = await newApiKey(environment);
  const row: KeyRow = {
    id: newId("key", now.getTime()),
    userId: input.userId,
    name: input.name,
    prefix,
    keyHash: hash,
    // In the order of the list, once each, whatever order the caller sent them in.
    scopes: [...new Set(input.scopes)].sort(),
    createdAt: now.toISOString(),
    expiresAt: input.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
  };
  return { insert: db.insert(apiKeys).values(row), answer: { ...apiKeyView(row), key } };
}

/** The live condition: neither revoked nor past its expiry. */
const live = (nowIso: string) => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, nowIso)));

/** How many live keys an account holds. */
export async function liveKeyCount(db: Database, userId: string, now = new Date()): Promise<number> {
  return db.$count(apiKeys, and(eq(apiKeys.userId, userId), live(now.toISOString())));
}

/**
 * Every key of an account, or of each account a subquery of ids selects (one query for a page of accounts: a list of
 * ids would be bound one parameter each, past D1's 100), revoked and expired ones too (the owner sees what existed),
 * newest first.
 */
export async function keysOf(db: Database, owners: string | SQLWrapper): Promise<KeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(typeof owners === "string" ? eq(apiKeys.userId, owners) : inArray(apiKeys.userId, owners))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .all();
}

/** The caller a presented key stands for, as the gateway forwards it. */
export type KeyCaller = { userId: string; role: Role; keyId: string; scopes: ApiScope[] };

/**
 * The caller of a live key, or null for anything else: not a key's form, unknown, revoked, expired. `touch`, when
 * set, records the use (at most once a minute per key); the caller runs it after the answer.
 */
export async function checkApiKey(db: Database, key: string, now = new Date()): Promise<{ caller: KeyCaller; touch: (() => Promise<unknown>) | null } | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  const nowIso = now.toISOString();
  const row = await db
    .select({ id: apiKeys.id, userId: apiKeys.userId, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt, role: users.role })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), live(nowIso)))
    .get();
  if (!row) return null;
  const caller: KeyCaller = { userId: row.userId, role: row.role, keyId: row.id, scopes: row.scopes };
  const staleBefore = new Date(now.getTime() - LAST_USED_EVERY_MS).toISOString();
  if (row.lastUsedAt !== null && row.lastUsedAt > staleBefore) return { caller, touch: null };
  // Conditional again in SQL: isolates checking the same key at once write it once between them.
  const touch = () =>
    db
      .update(apiKeys)
      .set({ lastUsedAt: nowIso })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))))
      .run();
  return { caller, touch };
}
