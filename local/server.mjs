// The local stand-ins for the platform's external services, on 127.0.0.1: they do the
// real work (validate, deduplicate, store what was sent) so `npm run dev` and the tests
// exercise the production code paths with no network and no accounts.
//
//   POST   /email/emails        Resend-compatible send (EMAIL_API_URL = http://127.0.0.1:8790/email)
//   GET    /outbox/messages     what was sent, newest first (?requestId= &to= &channel= &limit=)
//   DELETE /outbox/messages     forget everything sent
//   GET    /outbox              the same as a page
//   GET    /health
//   GET    /v1/models, POST /v1/audio/transcriptions, POST /v1/ocr, POST /v1/chat/completions
//                               the local model server (AI_API_URL = http://127.0.0.1:8790/v1): see services/models.mjs
//   POST   /fault/<mode>/v1/chat/completions
//                               the chat model with a fault (malformed, schema, 429, slow-<ms>): see services/models.mjs
//   *      /fail/[status/]...   fault switch: answers 500 (or the given 4xx/5xx) without doing anything,
//                               so a provider outage can be rehearsed by pointing a base URL at it
//
// Run: node local/server.mjs (LOCAL_SERVICES_PORT, default 8790; LOCAL_SERVICES_DATA, default .wrangler/local-services;
// LOCAL_CHAT_PIECE_MS, the pause between a streamed answer's pieces, default 3).
// A new service (Telegram, WhatsApp, speech-to-text) is one module under services/ registered below.
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { devSecretValue } from "../infra/topology.mjs";
import { HttpError, bodyReader, createRouter, sendJson } from "./router.mjs";
import { registerEmail } from "./services/email.mjs";
import { registerModels } from "./services/models.mjs";
import { registerOutbox } from "./services/outbox.mjs";
import { openOutbox } from "./store.mjs";

const repoRoot = path.join(import.meta.dirname, "..");
const FAULT = /^\/fail(?:\/(?<status>[45]\d\d))?(?=\/|$)/;

/**
 * Starts the local services.
 * @param {{ port?: number, host?: string, dataDir?: string, emailApiKey?: string, aiApiKey?: string, chatPieceDelayMs?: number }} [options]
 *   port 0 picks a free port; emailApiKey and aiApiKey default to the dev values of EMAIL_API_KEY and AI_API_KEY
 *   that notify and ai are configured with.
 * @returns {Promise<{ port: number, url: string, speech: { ready: boolean, reason: string }, close: () => Promise<void> }>}
 */
export async function startLocalServices(options = {}) {
  const host = options.host ?? "127.0.0.1";
  const dataDir = path.resolve(repoRoot, options.dataDir ?? ".wrangler/local-services");
  const outbox = openOutbox(dataDir);
  const router = createRouter();
  registerEmail(router, { outbox, apiKey: options.emailApiKey ?? devSecretValue("EMAIL_API_KEY") });
  registerOutbox(router, { outbox });
  const models = await registerModels(router, { apiKey: options.aiApiKey ?? devSecretValue("AI_API_KEY"), dataDir, chatPieceDelayMs: options.chatPieceDelayMs });
  router.on("GET", "/health", ({ res }) => sendJson(res, 200, { status: "ok", messages: outbox.count() }));

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${host}`);
    try {
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
      if (err instanceof HttpError) return sendJson(res, err.status, err.body);
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
  return {
    port,
    url: `http://${host}:${port}`,
    speech: models.speech,
    close: async () => {
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
  console.log(`local services on ${services.url} (outbox page: ${services.url}/outbox, model API: ${services.url}/v1)`);
  // Said at start, so a developer knows before the first voice note fails (its task fails with the same reason).
  if (!services.speech.ready) console.warn(`WARNING: ${services.speech.reason}`);
  const stop = () => services.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
