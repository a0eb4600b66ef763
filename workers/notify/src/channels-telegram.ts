/**
 * Telegram through the Bot API: `${TELEGRAM_API_URL}/bot<TELEGRAM_BOT_TOKEN>/<method>`, messages in its HTML parse
 * mode (templates.ts escapes them). A message goes to a chat id, which a client links by sending `/start <code>` to
 * the bot (telegram-link.ts); a @username cannot be messaged. The Bot API reports nothing after it accepts a message,
 * so its acceptance counts as delivered for the ladder.
 */
import { z } from "zod";
import { type Accepted, type Channel, ChannelError, postJson } from "./channels";
import type { DeliveryEnv } from "./env";
import { pace } from "./pacer";

export type TelegramSettings = Pick<DeliveryEnv, "TELEGRAM_API_URL" | "TELEGRAM_BOT_TOKEN" | "PACER">;

/** Telegram's answer: `{ok: true, result}` or `{ok: false, error_code, description, parameters: {retry_after}}`. */
const Answer = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().int().optional(),
    description: z.string().optional(),
    parameters: z.object({ retry_after: z.number().optional() }).optional(),
  }),
]);

const SentMessage = z.object({ message_id: z.number().int(), chat: z.object({ id: z.union([z.number(), z.string()]) }) });

/** Whether this configuration has a bot. */
export function telegramConfigured(env: Partial<TelegramSettings>): boolean {
  return Boolean(env.TELEGRAM_API_URL && env.TELEGRAM_BOT_TOKEN);
}

/** Calls a Bot API method; answers its `result`, or throws {@link ChannelError} with Telegram's error code and wait. */
export async function telegramCall(env: TelegramSettings, method: string, payload: unknown): Promise<unknown> {
  const url = `${env.TELEGRAM_API_URL.replace(/\/+$/, "")}/bot${env.TELEGRAM_BOT_TOKEN}/${method}`;
  const { res, json } = await postJson("telegram", url, {}, payload);
  const answer = Answer.safeParse(json);
  if (answer.success && answer.data.ok) return answer.data.result;
  const problem = answer.success && !answer.data.ok ? answer.data : undefined;
  const status = problem?.error_code ?? (res.ok ? 502 : res.status);
  // The token is in the URL: never in a message that reaches logs.
  throw new ChannelError("telegram", status, `telegram ${method} answered ${status}: ${problem?.description ?? "no details"}`, {
    retryAfterSeconds: problem?.parameters?.retry_after,
    code: problem?.error_code,
  });
}

/**
 * Sends a message in Telegram's HTML to a chat, within the Bot API's limits: about 30 messages a second in all and
 * one a second into one chat.
 */
export async function sendTelegram(env: TelegramSettings, chatId: string, text: string): Promise<string> {
  await pace(env.PACER, "telegram", [
    { key: "bot", perSecond: 30, burst: 30 },
    { key: `chat:${chatId}`, perSecond: 1, burst: 1 },
  ]);
  const result = await telegramCall(env, "sendMessage", { chat_id: chatId, text, parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  const sent = SentMessage.safeParse(result);
  if (!sent.success) throw new ChannelError("telegram", 502, "telegram sendMessage answered without a message");
  return `${sent.data.chat.id}:${sent.data.message_id}`;
}

export function telegramChannel(env: TelegramSettings): Channel {
  return {
    name: "telegram",
    async send(out): Promise<Accepted> {
      return { providerMessageId: await sendTelegram(env, out.to, out.message.telegram), status: "delivered" };
    },
  };
}
