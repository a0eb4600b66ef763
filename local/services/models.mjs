// The local model server: the OpenAI-style API the ai worker's `openai` provider speaks,
// so development and CI run the same code path as a hosted model in production.
//
//   GET  /v1/models                 what this machine can run
//   POST /v1/audio/transcriptions   multipart `file` + `model` (+ `response_format` json|verbose_json|text)
//                                   → { text, language, duration, segments: [{ id, start, end, text }] }
//   POST /v1/ocr                    multipart `file` (png, jpeg or pdf) + `model` (+ `pages` "1,3" for a pdf)
//                                   → { text, pages: [{ page, text, confidence }] }  (no OpenAI equivalent)
//   POST /v1/chat/completions       OpenAI's Chat Completions (JSON, or SSE with `stream`), model statex-standin-chat:
//                                   no language model, the project's offline methods on the prompt's data block,
//                                   fitted to `response_format.json_schema` (services/chat.mjs)
//   POST /fault/<mode>/v1/chat/completions
//                                   the same with a fault: malformed, schema (each repaired by the client's repair
//                                   request; -always never), 429 (Retry-After: 2), slow-<ms>
//   GET|PUT /v1/standin/controls    the whole server answering normally, failing (500) or rate limited (429) until set
//                                   back: { mode: normal|fail|429, retryAfter? } (no OpenAI equivalent: for the fault run)
//   GET|DELETE /v1/standin/chat-requests
//                                   the last 50 chat requests as sent, newest first: { data: [{ at, path, body }] },
//                                   or forget them (no OpenAI equivalent: for tests of what a model was told)
//
// Like a real API it needs `Authorization: Bearer <AI_API_KEY>`. Speech needs ffmpeg and
// pocketsphinx; without them the route answers 503 with the reason, so the task fails saying why.
import { Readable } from "node:stream";
import { sendJson } from "../router.mjs";
import { OCR_MODEL, createOcr } from "./ocr.mjs";
import { CHAT_MODEL, registerChat } from "./chat.mjs";
import { authorize, fail, modelControl } from "./openai.mjs";
import { SPEECH_MODEL, probeSpeech, transcribe } from "./speech.mjs";

/** OpenAI's own upload limit for transcriptions. */
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const OCR_TYPES = new Set(["image/png", "image/jpeg", "application/pdf"]);

async function readForm(req) {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("multipart/form-data")) throw fail(415, "Expected a multipart/form-data body.");
  if (Number(req.headers["content-length"] ?? 0) > MAX_UPLOAD_BYTES) throw fail(413, "The file is larger than 25 MB.");
  try {
    return await new Response(Readable.toWeb(req), { headers: { "content-type": type } }).formData();
  } catch {
    throw fail(400, "The multipart body could not be parsed.");
  }
}

async function fileOf(form) {
  const file = form.get("file");
  if (!(file instanceof Blob)) throw fail(400, "Missing the `file` field.", "invalid_request_error", "missing_file");
  if (file.size > MAX_UPLOAD_BYTES) throw fail(413, "The file is larger than 25 MB.");
  return { bytes: Buffer.from(await file.arrayBuffer()), type: file.type };
}

function requireModel(form, model) {
  const asked = form.get("model");
  if (typeof asked !== "string" || !asked) throw fail(400, "Missing the `model` field.", "invalid_request_error", "missing_model");
  if (asked !== model) throw fail(404, `The model \`${asked}\` does not exist here (available: ${model}).`, "invalid_request_error", "model_not_found");
}

/**
 * Registers the model routes. Returns `close` (stops the OCR worker, waits for the chat model's bundle) and the
 * speech check, already run. The chat model's worker code is bundled into `dataDir`.
 * @param {ReturnType<import("../router.mjs").createRouter>} router
 * @param {{ apiKey?: string, dataDir: string, chatPieceDelayMs?: number }} deps
 */
export async function registerModels(router, { apiKey, dataDir, chatPieceDelayMs }) {
  const speech = await probeSpeech();
  const ocr = createOcr();
  const chat = registerChat(router, { apiKey, dataDir, pieceDelayMs: chatPieceDelayMs });

  router.on("GET", "/v1/models", ({ req, res }) => {
    authorize(req, apiKey);
    const data = [
      { id: OCR_MODEL, object: "model", owned_by: "local", task: "ocr" },
      { id: CHAT_MODEL, object: "model", owned_by: "local", task: "chat" },
    ];
    if (speech.ready) data.unshift({ id: SPEECH_MODEL, object: "model", owned_by: "local", task: "transcription" });
    sendJson(res, 200, { object: "list", data, ...(speech.ready ? {} : { unavailable: [{ id: SPEECH_MODEL, reason: speech.reason }] }) });
  });

  router.on("GET", "/v1/standin/controls", ({ res }) => sendJson(res, 200, modelControl));
  router.on("PUT", "/v1/standin/controls", async ({ res, body }) => {
    const next = /** @type {{ mode?: unknown, retryAfter?: unknown }} */ ((await body()) ?? {});
    if (!["normal", "fail", "429"].includes(String(next.mode))) throw fail(400, "mode is one of normal, fail, 429.");
    if (next.retryAfter !== undefined && !(Number.isInteger(next.retryAfter) && Number(next.retryAfter) >= 1)) throw fail(400, "retryAfter is whole seconds from 1.");
    modelControl.mode = String(next.mode);
    if (next.retryAfter !== undefined) modelControl.retryAfter = Number(next.retryAfter);
    sendJson(res, 200, modelControl);
  });

  router.on("POST", "/v1/audio/transcriptions", async ({ req, res }) => {
    authorize(req, apiKey);
    if (!speech.ready) {
      req.resume();
      throw fail(503, speech.reason, "server_error", "model_unavailable");
    }
    const form = await readForm(req);
    requireModel(form, SPEECH_MODEL);
    const format = form.get("response_format") ?? "json";
    if (!["json", "verbose_json", "text"].includes(String(format))) throw fail(400, `Unsupported response_format \`${String(format)}\`.`);
    const { bytes } = await fileOf(form);
    const result = await transcribe(bytes);
    if ("error" in result) throw fail(400, result.error, "invalid_request_error", "invalid_audio");
    if (format === "text") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      return res.end(result.text);
    }
    if (format === "json") return sendJson(res, 200, { text: result.text, usage: { type: "duration", seconds: Math.ceil(result.duration) } });
    sendJson(res, 200, {
      task: "transcribe",
      ...result,
      segments: result.segments.map((s, id) => ({ id, ...s })),
      usage: { type: "duration", seconds: Math.ceil(result.duration) },
    });
  });

  router.on("POST", "/v1/ocr", async ({ req, res }) => {
    authorize(req, apiKey);
    const form = await readForm(req);
    requireModel(form, OCR_MODEL);
    const { bytes, type } = await fileOf(form);
    const mime = type.split(";")[0].trim();
    if (!OCR_TYPES.has(mime)) throw fail(415, `Unsupported file type \`${mime || "unknown"}\` (png, jpeg or pdf).`);
    const pages = String(form.get("pages") ?? "").split(",").filter(Boolean).map(Number);
    if (pages.some((p) => !Number.isInteger(p) || p < 1)) throw fail(400, "`pages` must be a comma list of page numbers from 1.");
    try {
      sendJson(res, 200, { model: OCR_MODEL, ...(await ocr.read(bytes, mime, pages)) });
    } catch (err) {
      throw fail(400, `The file could not be read: ${String(err.message ?? err).split("\n")[0]}`, "invalid_request_error", "invalid_file");
    }
  });

  return { speech, close: () => Promise.all([ocr.close(), chat.close()]) };
}
