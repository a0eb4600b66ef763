/**
 * The account page's side of notify: what a signed-in client wants to be told and where (GET/PUT /me/preferences),
 * and their Telegram chat (a fresh single-use link to the bot, and unlinking). A person's settings: no API key calls
 * these, whatever its scopes.
 */
import { callerOf, refuseApiKeys, requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import type { NotificationChannel } from "@statex/shared/notifications";
import { PreferencesBody } from "@statex/shared/api/notify";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { availableChannels } from "./channels-available";
import type { DeliveryEnv } from "./env";
import { type Preferences, ownerKey, preferencesOf, savePreferences } from "./preferences";
import { DEFAULT_ORDER, ladderOf } from "./recipients";
import { createLinkCode } from "./telegram-link";

/** The signed-in caller's id: the route is for clients and up, so the gateway and requireRole vouched for one. */
function me(headers: Headers): string {
  const caller = callerOf(headers);
  if (!caller) throw new ProblemError(401, "unauthenticated", "Sign in to do this", undefined, { "www-authenticate": "Bearer" });
  return caller.userId;
}

/** An account's preferences as its page shows them: what was stated, the order that applies, and the linked chat. */
async function view(env: DeliveryEnv, userId: string, prefs: Preferences) {
  const t = schema.telegramChats;
  const chats = await database(env.DB).select({ username: t.username, linkedAt: t.linkedAt }).from(t).where(eq(t.id, ownerKey({ userId }))).all();
  const available = new Set(Object.keys(availableChannels(env)) as NotificationChannel[]);
  // The order a message would follow now, for the addresses an account holds (a request adds the email it was sent with).
  const addresses: Partial<Record<NotificationChannel, string>> = {
    email: "account",
    ...(prefs.whatsapp ? { whatsapp: prefs.whatsapp } : {}),
    ...(chats.length ? { telegram: "chat" } : {}),
    ...(prefs.linkedin ? { linkedin: prefs.linkedin } : {}),
  };
  return {
    channels: prefs.channels,
    order: ladderOf(addresses, prefs.channels, available).map((r) => r.channel),
    defaultOrder: DEFAULT_ORDER,
    optOuts: prefs.optOuts.filter((k) => k !== "account"),
    locale: prefs.locale,
    whatsapp: prefs.whatsapp,
    linkedin: prefs.linkedin,
    telegramChats: chats,
    available: [...available],
  };
}

export const meRoutes = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: any signed-in user, for their own account only (the id comes from the gateway's verified token).
  .get("/me/preferences", requireRole("client"), refuseApiKeys(), async (c) => {
    const userId = me(c.req.raw.headers);
    c.header("cache-control", "private, no-store");
    return c.json(await view(c.env, userId, await preferencesOf(c.env.DB, { userId })));
  })
  // Who may call: any signed-in user, for their own account. Fields left out keep their value; null clears one.
  .put("/me/preferences", requireRole("client"), refuseApiKeys(), validate("json", PreferencesBody), async (c) => {
    const userId = me(c.req.raw.headers);
    const body = c.req.valid("json");
    await savePreferences(c.env.DB, { userId }, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<Preferences>);
    c.header("cache-control", "private, no-store");
    return c.json(await view(c.env, userId, await preferencesOf(c.env.DB, { userId })));
  })
  // Who may call: any signed-in user: a single-use link that binds the chat which opens it to their account.
  .post("/me/telegram-link", requireRole("client"), refuseApiKeys(), async (c) => {
    const userId = me(c.req.raw.headers);
    if (!availableChannels(c.env).telegram) throw new ProblemError(409, "telegram-unavailable", "This platform has no Telegram bot configured");
    const link = await createLinkCode(c.env, { userId });
    c.header("cache-control", "private, no-store");
    return c.json(link, 201);
  })
  // Who may call: any signed-in user: their account's chat stops receiving messages (the chat may /start again).
  .delete("/me/telegram-chats", requireRole("client"), refuseApiKeys(), async (c) => {
    const userId = me(c.req.raw.headers);
    const t = schema.telegramChats;
    const gone = await database(c.env.DB).delete(t).where(eq(t.id, ownerKey({ userId }))).returning({ id: t.id });
    return c.json({ unlinked: gone.length });
  });
