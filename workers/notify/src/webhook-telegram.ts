/**
 * `POST /webhooks/telegram`: the bot's updates. Telegram proves itself only by sending back the secret token the
 * webhook was set with (`X-Telegram-Bot-Api-Secret-Token`, compared in constant time); anything else is refused with
 * 401. Each update is acted on once (its update_id). In a private chat, `/start <code>` links the chat to the code's
 * account or request, `/stop` unlinks it, and the bot answers in the chat (after the webhook's answer, so a slow or
 * failing reply never makes Telegram send the update again). A person who blocks the bot is unlinked too.
 */
import { TelegramUpdate } from "@statex/shared/api/notify";
import { escapeHtml } from "@statex/shared/html";
import { type AppEnv, limitBody } from "@statex/shared/http";
import type { Logger } from "@statex/shared/logger";
import { notificationLocale } from "@statex/shared/notifications";
import { Hono } from "hono";
import type { z } from "zod";
import { sendTelegram, telegramConfigured } from "./channels-telegram";
import { words } from "./copy";
import type { DeliveryEnv } from "./env";
import { verifyTelegramSecret } from "./signatures";
import { linkChat, unlinkChat } from "./telegram-link";
import { WEBHOOK_MAX_BYTES, badSignature, once, readJson } from "./webhook-common";

type Update = z.infer<typeof TelegramUpdate>;

const START = /^\/start(?:@\w+)?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/;
const STOP = /^\/stop(?:@\w+)?\s*$/;

/** What the bot does with an update, and what it answers in the chat (if anything). */
async function handle(update: Update, env: DeliveryEnv, log: Logger): Promise<{ chatId: string; text: string } | undefined> {
  const member = update.my_chat_member;
  if (member && (member.new_chat_member.status === "kicked" || member.new_chat_member.status === "left")) {
    const unlinked = await unlinkChat(env, String(member.chat.id));
    log.info("telegram chat left the bot", { unlinked });
    return undefined;
  }
  const message = update.message;
  if (!message?.text) return undefined;
  const chatId = String(message.chat.id);
  const w = words[notificationLocale(message.from?.language_code)].bot;
  const start = START.exec(message.text.trim());
  if (start) {
    const code = start[1];
    // A group's chat would show the account's messages to everyone in it.
    if (!code || message.chat.type !== "private") return { chatId, text: w.help };
    const outcome = await linkChat(env, code, { chatId, username: message.from?.username });
    log.info("telegram link", "linked" in outcome ? { linked: "userId" in outcome.linked ? "account" : "request" } : { refused: outcome.refused });
    return { chatId, text: "linked" in outcome ? w.linked : w[outcome.refused] };
  }
  if (STOP.test(message.text.trim())) {
    log.info("telegram chat unlinked", { unlinked: await unlinkChat(env, chatId) });
    return { chatId, text: w.stopped };
  }
  return undefined;
}

export const telegramWebhook = new Hono<AppEnv<DeliveryEnv>>()
  // Who may call: Telegram, proven by the secret token our webhook was set with.
  .post("/webhooks/telegram", limitBody(WEBHOOK_MAX_BYTES), async (c) => {
    if (!verifyTelegramSecret(c.env.TELEGRAM_WEBHOOK_SECRET, c.req.header("x-telegram-bot-api-secret-token") ?? null)) throw badSignature();
    const log = c.get("log");
    const parsed = TelegramUpdate.safeParse(readJson(await c.req.text()));
    // An update the bot does not understand is still taken: answering otherwise makes Telegram send it again and again.
    if (!parsed.success) return c.json({ ok: true });
    const update = parsed.data;
    let reply: { chatId: string; text: string } | undefined;
    const acted = await once(c.env.DB, "telegram", String(update.update_id), async () => {
      reply = await handle(update, c.env, log);
    });
    if (reply && telegramConfigured(c.env)) {
      const { chatId, text } = reply;
      c.executionCtx.waitUntil(sendTelegram(c.env, chatId, escapeHtml(text)).then(undefined, (err: unknown) => log.warn("telegram reply failed", { error: err instanceof Error ? err.message : String(err) })));
    }
    return c.json({ ok: true, ...(acted ? {} : { duplicate: true }) });
  });
