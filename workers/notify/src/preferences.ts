/**
 * What a person wants to be told, and where: per account, or per request for someone who sent one signed out. An
 * account's stated fields win over its request's ({@link preferencesFor}). The account page's API (GET/PUT /api/me/preferences) reads and writes these
 * through {@link preferencesOf} and {@link savePreferences}; the unsubscribe link adds an opt-out.
 */
import { database, schema } from "@statex/shared/db";
import type { NotificationChannel, NotificationKind, NotificationLocale } from "@statex/shared/notifications";
import { eq, sql } from "drizzle-orm";

/** Whose preferences: an account's, or a signed-out submitter's for one request. */
export type Owner = { userId: string } | { requestId: string };

export type Preferences = {
  /** Channels in the order to try them; null when the person stated none. */
  channels: NotificationChannel[] | null;
  /** Kinds of message not to send (account mail is essential and never opted out of). */
  optOuts: NotificationKind[];
  locale: NotificationLocale | null;
  whatsapp: string | null;
  linkedin: string | null;
};

const NONE: Preferences = { channels: null, optOuts: [], locale: null, whatsapp: null, linkedin: null };

/** The row id of an owner's preferences (also of their Telegram chat). */
export function ownerKey(owner: Owner): string {
  return "userId" in owner ? `user:${owner.userId}` : `request:${owner.requestId}`;
}

/** An owner's preferences, or the defaults when they stated none. */
export async function preferencesOf(db: D1Database, owner: Owner): Promise<Preferences> {
  const p = schema.notificationPreferences;
  const row = await database(db)
    .select({ channels: p.channels, optOuts: p.optOuts, locale: p.locale, whatsapp: p.whatsapp, linkedin: p.linkedin })
    .from(p)
    .where(eq(p.id, ownerKey(owner)))
    .get();
  return row ?? NONE;
}

/**
 * The preferences that apply to a request: what its account stated wins, field by field; what the account left
 * unstated (no order, no language: an account row may exist only for an unsubscribe) comes from the request's form.
 * An opt-out from either holds.
 */
export async function preferencesFor(db: D1Database, requestId: string | undefined, userId: string | undefined): Promise<Preferences> {
  const mine = userId ? await preferencesOf(db, { userId }) : NONE;
  const request = requestId ? await preferencesOf(db, { requestId }) : NONE;
  return {
    channels: mine.channels ?? request.channels,
    optOuts: [...new Set([...mine.optOuts, ...request.optOuts])],
    locale: mine.locale ?? request.locale,
    whatsapp: mine.whatsapp ?? request.whatsapp,
    linkedin: mine.linkedin ?? request.linkedin,
  };
}

/** Writes an owner's preferences (the fields given; the rest as they were). */
export async function savePreferences(db: D1Database, owner: Owner, prefs: Partial<Preferences>): Promise<void> {
  const p = schema.notificationPreferences;
  const values = {
    ...(prefs.channels !== undefined ? { channels: prefs.channels } : {}),
    ...(prefs.optOuts !== undefined ? { optOuts: prefs.optOuts.filter((k) => k !== "account") } : {}),
    ...(prefs.locale !== undefined ? { locale: prefs.locale } : {}),
    ...(prefs.whatsapp !== undefined ? { whatsapp: prefs.whatsapp } : {}),
    ...(prefs.linkedin !== undefined ? { linkedin: prefs.linkedin } : {}),
  };
  await database(db)
    .insert(p)
    .values({ id: ownerKey(owner), ...("userId" in owner ? { userId: owner.userId } : { requestId: owner.requestId }), ...values })
    .onConflictDoUpdate({ target: p.id, set: { ...values, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` } });
}

/** Adds an opt-out of one kind of message (the unsubscribe link); doing it twice changes nothing. */
export async function optOut(db: D1Database, owner: Owner, kind: Exclude<NotificationKind, "account">): Promise<void> {
  const p = schema.notificationPreferences;
  const key = ownerKey(owner);
  const added = sql`(select json_group_array(value) from (select value from json_each(${p.optOuts}) union select ${kind}))`;
  await database(db)
    .insert(p)
    .values({ id: key, ...("userId" in owner ? { userId: owner.userId } : { requestId: owner.requestId }), optOuts: [kind] })
    .onConflictDoUpdate({ target: p.id, set: { optOuts: added, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` } });
}
