/**
 * The single-use tokens of account links: verifying an email address (24 hours) and resetting a password (1 hour).
 * 32 random bytes, given out once in the link; D1 keeps only their sha256 (like session tokens, they are too random
 * for a slow hash to matter), so a leaked table opens nothing. A new link of a purpose replaces the unused ones
 * before it, and using a link marks it used in the same batch as what it does.
 */
import { toBase64Url } from "@statex/shared/base64";
import { type Database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { and, desc, eq, exists, gt, isNull, lte } from "drizzle-orm";
import { ACCOUNT_TOKEN } from "@statex/shared/api/identity";

export type TokenPurpose = (typeof schema.accountTokens.$inferSelect)["purpose"];

/** How long each kind of link works. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = { "verify-email": 24 * 3_600_000, "reset-password": 3_600_000 };

const { accountTokens } = schema;

/**
 * A new link's token for a user, and the statements to run (alone or in the batch that needs it): the unused links of
 * the same purpose are dropped, so only the newest works.
 */
export async function issueAccountToken(db: Database, userId: string, purpose: TokenPurpose, now = new Date()) {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const tokenHash = await sha256Hex(token);
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]).toISOString();
  const statements = [
    db.delete(accountTokens).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt))),
    db.insert(accountTokens).values({ tokenHash, purpose, userId, expiresAt, createdAt: now.toISOString() }),
  ] as const;
  return { token, tokenHash, expiresAt, statements };
}

/** A token that may still be used: its hash and user, or null when it is unknown, used, expired or of another purpose. */
export async function usableToken(db: Database, token: string, purpose: TokenPurpose, now = new Date()) {
  if (!ACCOUNT_TOKEN.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  const row = await db
    .select({ userId: accountTokens.userId })
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, tokenHash), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now.toISOString())))
    .get();
  return row ? { tokenHash, userId: row.userId, usedAt: now.toISOString() } : null;
}

export type UsableToken = NonNullable<Awaited<ReturnType<typeof usableToken>>>;

/**
 * Using a token, for the batch that does what it allows: the claim (only while it is still unused) and the condition
 * that makes every other statement of the batch apply only if this claim won. Two uses racing each other both read the
 * token as usable; only the first claim changes the row, and the second's statements then match nothing (unless both
 * claimed in the same millisecond: then both are the one holder of the link, who gains nothing by it).
 */
export function claimToken(db: Database, t: UsableToken) {
  const byHash = eq(accountTokens.tokenHash, t.tokenHash);
  return {
    claim: db.update(accountTokens).set({ usedAt: t.usedAt }).where(and(byHash, isNull(accountTokens.usedAt))),
    claimed: exists(db.select({ one: accountTokens.tokenHash }).from(accountTokens).where(and(byHash, eq(accountTokens.usedAt, t.usedAt)))),
  };
}

/** Drops the unused links of a purpose (a password changed: an older reset link must not set it again). */
export function dropUnusedTokens(db: Database, userId: string, purpose: TokenPurpose) {
  return db.delete(accountTokens).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
}

/** When the newest link of a purpose was made for a user, or null: how soon another may be sent. */
export async function lastIssuedAt(db: Database, userId: string, purpose: TokenPurpose): Promise<string | null> {
  const row = await db
    .select({ createdAt: accountTokens.createdAt })
    .from(accountTokens)
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose)))
    .orderBy(desc(accountTokens.createdAt))
    .limit(1)
    .get();
  return row?.createdAt ?? null;
}

/** Forgets links that expired more than a day ago (the cron's housekeeping); they already open nothing. */
export async function purgeExpiredTokens(db: Database, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - 86_400_000).toISOString();
  const result = await db.delete(accountTokens).where(lte(accountTokens.expiresAt, before)).run();
  return result.meta.changes;
}
