// The local stand-ins for the platform's external services, on 127.0.0.1: they do the
// real work (validate, deduplicate, store what was sent) so `npm run dev` and the tests
// exercise the production code paths with no network and no accounts.
//
//   POST   /email/emails        Resend-compatible send (EMAIL_API_URL = http://127.0.0.1:8790/email): services/email.mjs
//   *      /telegram/bot<token>/<method>, POST /telegram/standin/updates
//                               the Telegram Bot API (TELEGRAM_API_URL = http://127.0.0.1:8790/telegram): services/telegram.mjs
//   POST   /whatsapp/<version>/<phone-number-id>/messages, POST /whatsapp/standin/inbound
//                               the WhatsApp Cloud API (WHATSAPP_API_URL = http://127.0.0.1:8790/whatsapp): services/whatsapp.mjs
//   GET    /outbox/messages     what was sent, newest first, with each message's statuses (?requestId= &to= &channel= &limit=)
//   DELETE /outbox/messages     forget everything sent (and the webhook log)
//   GET    /outbox              the same as a plain page (the full page with controls is the site's /outbox.html)
//   GET|PUT|DELETE /outbox/controls[/<channel>]
//                               make a channel fail, throttle, stall or never confirm delivery: controls.mjs
//   GET    /outbox/webhooks     every webhook sent to the platform, with its attempts: webhooks.mjs
//   GET    /outbox/channels     each channel's state (webhook targets, chats, WhatsApp windows) and controls
//   POST|GET|DELETE /webhook-receiver/<name>, PUT /webhook-receiver/<name>/controls
//                               an integrator's endpoint for the platform's outgoing webhooks: records what it got,
//                               fails, throttles or stalls when told: services/webhook-receiver.mjs
//   GET    /dns-query           DNS over HTTPS (Cloudflare's JSON form) from records set by PUT /dns-query/records:
//                               services/dns.mjs
//   GET    /health
//   GET    /v1/models, POST /v1/audio/transcriptions, POST /v1/ocr, POST /v1/chat/completions
//                               the local model server (AI_API_URL = http://127.0.0.1:8790/v1): see services/models.mjs
//   POST   /fault/<mode>/v1/chat/completions
//                               the chat model with a fault (malformed, schema, 429, slow-<ms>): see services/models.mjs
//   *      /fail/[status/]...   fault switch: answers 500 (or the given 4xx/5xx) without doing anything,
//                               so a provider outage can be rehearsed by pointing a base URL at it
//
// Run: node local/server.mjs (LOCAL_SERVICES_PORT, default 8790; LOCAL_SERVICES_DATA, default .wrangler/local-services;
// LOCAL_CHAT_PIECE_MS, the pause between a streamed answer's pieces, default 3; LOCAL_WEBHOOK_BASE, the gateway the
// channels' webhooks go to, e.g. http://127.0.0.1:8787, none when unset).
// A new service is one module under services/ registered below (a notification channel in channels.mjs).
// Browsers may call these routes from a page on a loopback origin (the site's /outbox.html does); no other origin.
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { devSecretValue } from "../infra/topology.mjs";
import { registerChannels } from "./channels.mjs";
import { createControls } from "./controls.mjs";
import { HttpError, bodyReader, createRouter, sendJson } from "./router.mjs";
import { registerDns } from "./services/dns.mjs";
import { registerModels } from "./services/models.mjs";
import { registerOutbox } from "./services/outbox.mjs";
import { registerWebhookReceiver } from "./services/webhook-receiver.mjs";
import { openOutbox } from "./store.mjs";
import { DEFAULT_TIMING, createScheduler, createWebhooks } from "./webhooks.mjs";

const repoRoot = path.join(import.meta.dirname, "..");
const FAULT = /^\/fail(?:\/(?<status>[45]\d\d))?(?=\/|$)/;
/** The origins of pages on this machine (any port): the only ones a browser may call the local services from. */
const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** Lets a page on this machine call the routes (the outbox page's controls); answers a preflight. True when answered. */
function cors(req, res) {
  const origin = req.headers.origin;
  if (typeof origin !== "string" || !LOOPBACK_ORIGIN.test(origin)) return false;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("vary", "origin");
  if (req.method !== "OPTIONS") return false;
  res.writeHead(204, {
    "access-control-allow-methods": "GET, POST, PUT, DELETE",
    "access-control-allow-headers": String(req.headers["access-control-request-headers"] ?? "content-type"),
    "access-control-max-age": "600",
  });
  res.end();
  return true;
}

/**
 * Starts the local services.
 * @param {{ port?: number, host?: string, dataDir?: string, emailApiKey?: string, aiApiKey?: string, chatPieceDelayMs?: number,
 *   webhookBase?: string, secrets?: Record<string, string>, timing?: Partial<typeof DEFAULT_TIMING>, random?: () => number }} [options]
 *   port 0 picks a free port; emailApiKey and aiApiKey default to the dev values of EMAIL_API_KEY and AI_API_KEY
 *   that notify and ai are configured with, and `secrets` overrides the dev value of any other secret (the channels'
 *   tokens and webhook secrets). webhookBase (default LOCAL_WEBHOOK_BASE) is where the channels' webhooks go; timing
 *   shortens their statuses and retries for tests; random makes fail-rate and shuffles repeatable.
 * @returns {Promise<{ port: number, url: string, speech: { ready: boolean, reason: string }, close: () => Promise<void> }>}
 */
export async function startLocalServices(options = {}) {
  const host = options.host ?? "127.0.0.1";
  const dataDir = path.resolve(repoRoot, options.dataDir ?? ".wrangler/local-services");
  const outbox = openOutbox(dataDir);
  const router = createRouter();
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const scheduler = createScheduler();
  const controls = createControls({ random: options.random });
  const webhooks = createWebhooks({ scheduler, timing, random: options.random });
  let selfUrl = "";
  registerChannels(router, {
    outbox, controls, webhooks, scheduler, timing, dataDir,
    emailApiKey: options.emailApiKey,
    secret: (name) => options.secrets?.[name] ?? devSecretValue(name),
    webhookBase: options.webhookBase ?? (process.env.LOCAL_WEBHOOK_BASE || undefined),
  });
  registerOutbox(router, { outbox, webhooks, selfUrl: () => selfUrl });
  const receiver = registerWebhookReceiver(router);
  registerDns(router);
  const models = await registerModels(router, { apiKey: options.aiApiKey ?? devSecretValue("AI_API_KEY"), dataDir, chatPieceDelayMs: options.chatPieceDelayMs });
  router.on("GET", "/health", ({ res }) => sendJson(res, 200, { status: "ok", messages: outbox.count() }));

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${host}`);
    try {
      if (cors(req, res)) return;
      const fault = FAULT.exec(url.pathname);
      if (fault) {
        req.resume();
        const status = Number(fault.groups?.status ?? 500);
        return sendJson(res, status, { statusCode: status, name: "simulated_failure", message: `Simulated provider failure (${url.pathname})` });
      }
      const found = router.match(req.method ?? "GET", url.pathname);
      if (!found.handler) {
        req.resume();
        return sendJson(res, found.status, { statusCode: found.status, name: found.status === 404 ? "not_found" : "method_not_allowed",
          message: found.status === 404 ? `No route for ${url.pathname}` : `Method ${req.method} not allowed on ${url.pathname}` });
      }
      await found.handler({ req, res, url, params: found.params, body: bodyReader(req) });
    } catch (err) {
      if (err instanceof HttpError) return sendJson(res, err.status, err.body, err.headers);
      console.error("local services:", err);
      sendJson(res, 500, { statusCode: 500, name: "application_error", message: "Internal error in the local services" });
    }
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8790, host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : Number(options.port);
  selfUrl = `http://${host}:${port}`;
  return {
    port,
    url: selfUrl,
    speech: models.speech,
    close: async () => {
      scheduler.close();
      controls.close();
      webhooks.close();
      receiver.close();
      await models.close();
      await new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

// Started as a program (not imported by a test): serve until interrupted.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const services = await startLocalServices({
    port: Number(process.env.LOCAL_SERVICES_PORT ?? 8790),
    dataDir: process.env.LOCAL_SERVICES_DATA,
    chatPieceDelayMs: process.env.LOCAL_CHAT_PIECE_MS === undefined ? undefined : Number(process.env.LOCAL_CHAT_PIECE_MS),
  });
  console.log(`local services on ${services.url} (outbox: ${services.url}/outbox/messages, model API: ${services.url}/v1)`);
  if (!process.env.LOCAL_WEBHOOK_BASE) console.log("local services: LOCAL_WEBHOOK_BASE is not set, so the channels send no webhooks");
  // Said at start, so a developer knows before the first voice note fails (its task fails with the same reason).
  if (!services.speech.ready) console.warn(`WARNING: ${services.speech.reason}`);
  const stop = () => services.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
