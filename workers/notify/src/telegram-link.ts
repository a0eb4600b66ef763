/**
 * Linking a Telegram chat to an account or a request. The Bot API can message a chat only by its id, which the bot
 * learns when the person writes to it: a `t.me/<bot>?start=<code>` link opens the bot and sends `/start <code>`, and
 * the code says whose chat it is. Codes are single use, expire, and are stored only as sha256.
 *
 * The account page asks for a fresh random code ({@link createLinkCode}); a request's first email carries one
 * derived from the event (HMAC under STATUS_TOKEN_SECRET), so rendering that email again gives the same link and a
 * retried send the same payload.
 */
import { toBase64Url } from "@statex/shared/base64";
import { database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { hmac } from "@statex/shared/tokens";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { DeliveryEnv } from "./env";
import { type Owner, ownerKey } from "./preferences";

/** How long a code from the account page works: the person is at the page, about to tap it. */
export const ACCOUNT_CODE_TTL_MS = 60 * 60 * 1_000;
/** How long a code in a request's email works: the email may be read days later. */
export const EMAIL_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1_000;

/** The bot's link that sends `/start <code>`. */
export function startLink(env: Pick<DeliveryEnv, "TELEGRAM_BOT_USERNAME">, code: string): string {
  return `https://t.me/${env.TELEGRAM_BOT_USERNAME}?start=${code}`;
}

/**
 * Stores a code for an owner and answers its link; `code` is for a derived code (the same on every call: stored
 * once). Codes are 43 characters of base64url, within Telegram's 64 for a start parameter.
 */
export async function createLinkCode(
  env: Pick<DeliveryEnv, "DB" | "TELEGRAM_BOT_USERNAME">,
  owner: Owner,
  options: { code?: string; ttlMs?: number; now?: number } = {},
): Promise<{ code: string; url: string; expiresAt: string }> {
  const code = options.code ?? toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = new Date((options.now ?? Date.now()) + (options.ttlMs ?? ACCOUNT_CODE_TTL_MS)).toISOString();
  await database(env.DB)
    .insert(schema.telegramLinkCodes)
    .values({ codeHash: await sha256Hex(code), ...("userId" in owner ? { userId: owner.userId } : { requestId: owner.requestId }), expiresAt })
    .onConflictDoNothing();
  return { code, url: startLink(env, code), expiresAt };
}

/** The code a request's email offers: derived from the event, so every rendering of that email has the same. */
export async function emailLinkUrl(env: Pick<DeliveryEnv, "DB" | "TELEGRAM_BOT_USERNAME" | "STATUS_TOKEN_SECRET">, requestId: string, eventId: string): Promise<string> {
  const code = toBase64Url(await hmac(env.STATUS_TOKEN_SECRET, `telegram-start:${eventId}`));
  return (await createLinkCode(env, { requestId }, { code, ttlMs: EMAIL_CODE_TTL_MS })).url;
}

export type LinkOutcome = { linked: Owner } | { refused: "used" | "expired" | "unknown" };

/**
 * Spends a code and links the chat to its owner (replacing the owner's earlier chat). The spending is one statement,
 * so of two `/start` with one code only one links.
 */
export async function linkChat(env: Pick<DeliveryEnv, "DB">, code: string, chat: { chatId: string; username?: string | undefined }, now = new Date()): Promise<LinkOutcome> {
  const db = database(env.DB);
  const c = schema.telegramLinkCodes;
  const codeHash = await sha256Hex(code);
  const spent = await db
    .update(c)
    .set({ usedAt: now.toISOString() })
    .where(and(eq(c.codeHash, codeHash), isNull(c.usedAt), gt(c.expiresAt, now.toISOString())))
    .returning({ userId: c.userId, requestId: c.requestId })
    .get();
  if (!spent) {
    const row = await db.select({ usedAt: c.usedAt }).from(c).where(eq(c.codeHash, codeHash)).get();
    return { refused: !row ? "unknown" : row.usedAt ? "used" : "expired" };
  }
  const owner: Owner | undefined = spent.userId ? { userId: spent.userId } : spent.requestId ? { requestId: spent.requestId } : undefined;
  if (!owner) return { refused: "unknown" };
  const t = schema.telegramChats;
  const row = { id: ownerKey(owner), chatId: chat.chatId, userId: spent.userId, requestId: spent.requestId, username: chat.username ?? null, linkedAt: now.toISOString() };
  await db.insert(t).values(row).onConflictDoUpdate({ target: t.id, set: { chatId: row.chatId, username: row.username, linkedAt: row.linkedAt } });
  return { linked: owner };
}

/** Unlinks a chat from everyone it was linked to (`/stop`, or the person blocked the bot); answers how many. */
export async function unlinkChat(env: Pick<DeliveryEnv, "DB">, chatId: string): Promise<number> {
  const t = schema.telegramChats;
  return (await database(env.DB).delete(t).where(eq(t.chatId, chatId)).returning({ id: t.id })).length;
}

/** The chat linked to a request's messages: its account's when it has one, else the request's own. */
export async function chatFor(env: Pick<DeliveryEnv, "DB">, requestId: string | undefined, userId: string | undefined): Promise<string | undefined> {
  const t = schema.telegramChats;
  const keys = [userId ? ownerKey({ userId }) : undefined, requestId ? ownerKey({ requestId }) : undefined].filter((k): k is string => k !== undefined);
  if (!keys.length) return undefined;
  const rows = await database(env.DB).select({ id: t.id, chatId: t.chatId }).from(t).where(or(...keys.map((k) => eq(t.id, k)))).all();
  return (rows.find((r) => r.id === keys[0]) ?? rows[0])?.chatId;
}
