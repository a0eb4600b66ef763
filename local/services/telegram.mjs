// The local Telegram: the part of the Bot API (https://core.telegram.org/bots/api) the
// notify worker uses, answering as Telegram does, so notify runs the same code path
// locally as in production (TELEGRAM_API_URL = http://127.0.0.1:8790/telegram).
//
//   GET|POST /telegram/bot<token>/<method>   getMe, sendMessage, setWebhook, deleteWebhook, getWebhookInfo, getUpdates
//                                            (JSON, form or query parameters; method names in any case)
//   POST     /telegram/standin/updates       {chatId, text, username?, firstName?}: the client writes to the bot
//                                            (`/start <code>`, `/stop`, any text); the Update goes to the webhook
//
// What it checks as Telegram does: the token (401), chat_id and text, parse_mode HTML with Telegram's own parser
// (400 "Bad Request: can't parse entities: …"), 4096 characters, that the chat has written to the bot (a bot cannot
// start a conversation: 400 "Bad Request: chat not found"), and flood control (about one message a second per chat,
// short bursts allowed, 30 a second in all: 429 with parameters.retry_after). Telegram has no delivery receipts: the
// sendMessage answer is the proof, so a message is stored as sent. Updates go to the webhook that setWebhook
// registered, with its secret_token in X-Telegram-Bot-Api-Secret-Token, retried on a non-2xx answer; with no webhook
// they wait for getUpdates (whose long-poll `timeout` is not waited out here).
// Two liberties, both for a machine without TLS: webhook URLs may be http on a loopback address, on any port.
import { STATUS_CODES } from "node:http";
import { HttpError, sendJson } from "../router.mjs";
import { openState } from "../store.mjs";
import { EntityError, parseTelegramHtml } from "./telegram-html.mjs";

export const BOT_USERNAME = "statex_local_bot";
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const MAX_TEXT = 4096;

/** Telegram's error body. */
const tgError = (code, description, parameters) => new HttpError(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
const badRequest = (what) => tgError(400, `Bad Request: ${what}`);
/** The local services' own shape, for the stand-in's routes that no Telegram API has. */
const invalid = (message) => new HttpError(400, { statusCode: 400, name: "validation_error", message });

/** Flood control: a bucket per chat (3 at once, one more each second) and one for the bot (30 a second). */
function createFloodControl() {
  const buckets = new Map();
  const bucket = (key, capacity, perSecond) => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { tokens: capacity, at: Date.now(), capacity, perSecond }));
    const now = Date.now();
    b.tokens = Math.min(b.capacity, b.tokens + ((now - b.at) / 1000) * b.perSecond);
    b.at = now;
    return b;
  };
  return {
    /** Seconds to wait before this chat may get a message, or 0 after taking its turn. */
    take(chatId) {
      const chat = bucket(`chat:${chatId}`, 3, 1);
      const all = bucket("all", 30, 30);
      const wait = Math.max((1 - chat.tokens) / chat.perSecond, (1 - all.tokens) / all.perSecond, 0);
      if (wait > 0) return Math.max(1, Math.ceil(wait));
      chat.tokens -= 1;
      all.tokens -= 1;
      return 0;
    },
  };
}

/** A method's parameters: the query string, then a JSON, form or multipart body, as the Bot API takes them. */
async function readParams(req, url, body) {
  const params = Object.fromEntries(url.searchParams);
  if (req.method !== "POST") return params;
  const type = String(req.headers["content-type"] ?? "");
  const raw = await body.text();
  if (!raw) return params;
  if (type.includes("application/json")) {
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw badRequest("invalid JSON in the request body");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw badRequest("the request body must be a JSON object");
    return { ...params, ...parsed };
  }
  if (type.includes("application/x-www-form-urlencoded")) return { ...params, ...Object.fromEntries(new URLSearchParams(raw)) };
  if (type.includes("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": type } }).formData();
    return { ...params, ...Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) };
  }
  return params;
}

/** A parameter that may arrive as JSON text (forms) or as a value (JSON bodies). */
function jsonParam(value) {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * Registers the Telegram routes. `describe()` gives what the outbox page shows of it.
 * @param {ReturnType<import("../router.mjs").createRouter>} router
 * @param {import("../channels.mjs").ChannelDeps & { botToken: string, botUsername?: string }} deps
 */
export function registerTelegram(router, { outbox, controls, webhooks, dataDir, botToken, botUsername = BOT_USERNAME }) {
  const state = openState(dataDir, "telegram", {
    /** @type {{ url: string, secretToken?: string, maxConnections: number, allowedUpdates?: string[] } | null} */
    webhook: null,
    /** @type {Record<string, { id: number, first_name: string, username?: string, lastMessageId: number, lastWroteAt: string }>} */
    chats: {},
    nextUpdateId: 100_000_001,
    /** Updates no webhook took yet, for getUpdates or the next setWebhook. */
    pending: [],
    /** @type {{ date: number, message: string } | null} */
    lastError: null,
  });
  const s = state.value;
  const flood = createFloodControl();
  const botId = Number(/^(\d+):/.exec(botToken)?.[1] ?? 7_000_000_001);
  const bot = { id: botId, is_bot: true, first_name: "StateX (local)", username: botUsername };

  /** Hands an update to the webhook, or keeps it for getUpdates. */
  function dispatch(update) {
    if (!s.webhook) {
      s.pending.push(update);
      state.save();
      return undefined;
    }
    const { url, secretToken } = s.webhook;
    const kind = Object.keys(update).find((k) => k !== "update_id") ?? "update";
    return webhooks.deliver({
      channel: "telegram",
      event: `update.${kind}`,
      url,
      body: JSON.stringify(update),
      headers: () => (secretToken ? { "X-Telegram-Bot-Api-Secret-Token": secretToken } : {}),
      onAttempt(delivery) {
        const last = delivery.attempts[delivery.attempts.length - 1];
        if (delivery.state === "delivered" || !last) return;
        const message = last.status
          ? `Wrong response from the webhook: ${last.status} ${STATUS_CODES[last.status] ?? ""}`.trim()
          : last.error === "ECONNREFUSED" ? "Connection refused" : String(last.error);
        s.lastError = { date: unixNow(), message };
        state.save();
      },
    });
  }

  const pendingCount = () => s.pending.length + webhooks.list({ channel: "telegram", limit: 500 }).filter((d) => d.state === "pending").length;

  // Each method answers { result, description? }, the part of Telegram's answer after `ok`.
  const methods = {
    getme: () => ({
      result: { ...bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false },
    }),

    async sendmessage(p, req) {
      const decision = await controls.decide("telegram");
      if (decision.refuse === "429") throw tgError(429, `Too Many Requests: retry after ${decision.retryAfter}`, { retry_after: decision.retryAfter });
      if (decision.refuse === "fail-4xx") throw tgError(403, "Forbidden: bot was blocked by the user");
      if (decision.refuse === "fail") throw tgError(500, "Internal Server Error");

      if (p.chat_id === undefined || p.chat_id === "") throw badRequest("chat_id is empty");
      const chat = s.chats[String(p.chat_id).trim()];
      if (!chat) throw badRequest("chat not found");
      if (p.text === undefined || String(p.text) === "") throw badRequest("message text is empty");
      const source = String(p.text);
      const mode = p.parse_mode === undefined || p.parse_mode === "" ? undefined : String(p.parse_mode);
      if (mode && !["html", "markdown", "markdownv2"].includes(mode.toLowerCase())) throw badRequest(`unsupported parse_mode`);
      let parsed = { text: source.trim(), entities: jsonParam(p.entities) ?? [] };
      if (mode?.toLowerCase() === "html") {
        try {
          parsed = parseTelegramHtml(source);
        } catch (err) {
          if (err instanceof EntityError) throw badRequest(`can't parse entities: ${err.message}`);
          throw err;
        }
      }
      if (!parsed.text) throw badRequest("message text is empty");
      if (parsed.text.length > MAX_TEXT) throw badRequest("message is too long");
      const wait = flood.take(chat.id);
      if (wait > 0) throw tgError(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });

      chat.lastMessageId += 1;
      state.save();
      const replyMarkup = jsonParam(p.reply_markup);
      const message = {
        message_id: chat.lastMessageId,
        from: bot,
        chat: { id: chat.id, first_name: chat.first_name, ...(chat.username ? { username: chat.username } : {}), type: "private" },
        date: unixNow(),
        text: parsed.text,
        ...(parsed.entities.length ? { entities: parsed.entities } : {}),
        ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
      };
      const time = new Date().toISOString();
      outbox.add({
        id: `tg_${chat.id}_${message.message_id}`,
        channel: "telegram",
        from: `@${botUsername}`,
        to: [String(chat.id)],
        body: parsed.text,
        ...(mode?.toLowerCase() === "html" ? { html: source } : {}),
        requestId: typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"] : undefined,
        providerMessageId: String(message.message_id),
        time,
        // No receipts on Telegram: accepted is as far as anyone can know.
        statuses: [{ status: "sent", time }],
        extra: { parseMode: mode, entities: parsed.entities, ...(replyMarkup ? { replyMarkup } : {}) },
      });
      return { result: message };
    },

    setwebhook(p) {
      const url = p.url === undefined ? "" : String(p.url);
      if (!url) return methods.deletewebhook(p);
      let parsed;
      try {
        parsed = new URL(url);
      } catch {
        throw badRequest("invalid webhook URL specified");
      }
      if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname))) {
        throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
      }
      const secretToken = p.secret_token === undefined || p.secret_token === "" ? undefined : String(p.secret_token);
      if (secretToken !== undefined && !SECRET_TOKEN.test(secretToken)) throw badRequest("secret token contains unallowed characters");
      const maxConnections = p.max_connections === undefined ? 40 : Number(p.max_connections);
      if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 100) throw badRequest("invalid max_connections specified");
      const allowedUpdates = jsonParam(p.allowed_updates);
      const same = s.webhook?.url === url && s.webhook?.secretToken === secretToken;
      s.webhook = { url, secretToken, maxConnections, ...(Array.isArray(allowedUpdates) ? { allowedUpdates } : {}) };
      s.lastError = null;
      const waiting = String(p.drop_pending_updates) === "true" ? [] : s.pending;
      s.pending = [];
      state.save();
      for (const update of waiting) dispatch(update);
      return { result: true, description: same ? "Webhook is already set" : "Webhook was set" };
    },

    deletewebhook(p) {
      const had = s.webhook !== null;
      s.webhook = null;
      if (String(p.drop_pending_updates) === "true") s.pending = [];
      state.save();
      return { result: true, description: had ? "Webhook was deleted" : "Webhook is already deleted" };
    },

    getwebhookinfo: () => ({
      result: {
        url: s.webhook?.url ?? "",
        has_custom_certificate: false,
        pending_update_count: pendingCount(),
        ...(s.webhook ? { max_connections: s.webhook.maxConnections, ip_address: "127.0.0.1" } : {}),
        ...(s.webhook?.allowedUpdates ? { allowed_updates: s.webhook.allowedUpdates } : {}),
        ...(s.lastError ? { last_error_date: s.lastError.date, last_error_message: s.lastError.message } : {}),
      },
    }),

    getupdates(p) {
      if (s.webhook) throw tgError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      const offset = p.offset === undefined ? undefined : Number(p.offset);
      const limit = Math.min(100, Math.max(1, p.limit === undefined ? 100 : Number(p.limit) || 100));
      // An offset confirms every update before it, as Telegram's does.
      if (offset !== undefined && Number.isInteger(offset)) {
        s.pending = s.pending.filter((u) => u.update_id >= offset);
        state.save();
      }
      return { result: s.pending.slice(0, limit) };
    },
  };

  router.on("GET", "/telegram/bot:token/:method", handle);
  router.on("POST", "/telegram/bot:token/:method", handle);
  async function handle({ req, res, url, params, body }) {
    if (params.token !== botToken) throw tgError(401, "Unauthorized");
    const method = methods[params.method.toLowerCase()];
    if (!method) throw tgError(404, "Not Found");
    sendJson(res, 200, { ok: true, ...(await method(await readParams(req, url, body), req)) });
  }

  router.on("POST", "/telegram/standin/updates", async ({ res, body }) => {
    const input = await body();
    if (!input || typeof input !== "object") throw invalid("The body must be a JSON object: { chatId, text, username?, firstName? }.");
    const chatId = Number(input.chatId);
    if (!Number.isSafeInteger(chatId) || chatId <= 0) throw invalid("chatId must be a positive whole number (a private chat's id is the user's id).");
    if (typeof input.text !== "string" || !input.text.trim() || input.text.length > MAX_TEXT) throw invalid("text must be 1 to 4096 characters.");
    if (input.username !== undefined && (typeof input.username !== "string" || !/^[A-Za-z0-9_]{5,32}$/.test(input.username))) {
      throw invalid("username is 5 to 32 letters, digits or underscores, without the @.");
    }
    const key = String(chatId);
    const known = s.chats[key];
    const chat = (s.chats[key] = {
      id: chatId,
      first_name: typeof input.firstName === "string" && input.firstName.trim() ? input.firstName.trim() : known?.first_name ?? "Client",
      ...(input.username ?? known?.username ? { username: input.username ?? known?.username } : {}),
      lastMessageId: (known?.lastMessageId ?? 0) + 1,
      lastWroteAt: new Date().toISOString(),
    });
    const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(input.text)?.[0];
    const user = { id: chatId, is_bot: false, first_name: chat.first_name, ...(chat.username ? { username: chat.username } : {}), language_code: "en" };
    const update = {
      update_id: s.nextUpdateId++,
      message: {
        message_id: chat.lastMessageId,
        from: user,
        chat: { id: chatId, first_name: chat.first_name, ...(chat.username ? { username: chat.username } : {}), type: "private" },
        date: unixNow(),
        text: input.text,
        ...(command ? { entities: [{ offset: 0, length: command.length, type: "bot_command" }] } : {}),
      },
    };
    state.save();
    const delivery = dispatch(update);
    sendJson(res, 200, { ok: true, update, delivery: delivery?.id ?? null, waitingForGetUpdates: !delivery });
  });

  return {
    describe: () => ({
      botUsername,
      webhook: s.webhook ? { url: s.webhook.url, hasSecretToken: Boolean(s.webhook.secretToken) } : null,
      pendingUpdateCount: pendingCount(),
      lastError: s.lastError,
      chats: Object.values(s.chats).map((c) => ({ id: c.id, firstName: c.first_name, username: c.username, lastWroteAt: c.lastWroteAt })),
    }),
  };
}
