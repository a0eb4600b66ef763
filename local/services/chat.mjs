// POST /v1/chat/completions as OpenAI answers it (a chat.completion, or a stream of chat.completion.chunk
// events), with the answer made by the project's offline methods (chat-answers.mjs) and fitted to the
// caller's JSON schema; faults under /fault/<mode>/v1/chat/completions so the worker's repair, retry and
// fall-through paths run for real; and the requests it was sent, for tests that check what a model was told.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { HttpError, sendJson } from "../router.mjs";
import { answer, contentText, workerCode } from "./chat-answers.mjs";
import { fitToSchema, strictSchemaProblem, violate } from "./json-schema.mjs";
import { authorize, fail } from "./openai.mjs";

export const CHAT_MODEL = "statex-standin-chat";
/** How many requests GET /v1/standin/chat-requests keeps. */
const RECORDED = 50;
const ROLES = ["system", "developer", "user", "assistant", "tool", "function"];
const FAULT_MODES = "malformed, malformed-always, schema, schema-always, 429, fail or slow-<ms>";
/** Long enough for any timeout a test rehearses; short enough that a typo does not hang a request for hours. */
const MAX_SLOW_MS = 600_000;
/** Between two streamed pieces by default, so a client sees the answer arrive as a model's does. */
const PIECE_DELAY_MS = 3;
const PARSE_ERROR =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)";

/** Tokens as ceil(characters / 4): an estimate, since no tokenizer ships for a stand-in model. */
const tokens = (text) => Math.ceil(text.length / 4);

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** A fault mode from the path, or a 404 that lists the known ones. */
function faultOf(mode) {
  if (mode === undefined) return {};
  if (["malformed", "malformed-always", "schema", "schema-always", "429", "fail"].includes(mode)) return { mode };
  const slow = /^slow-(\d{1,9})$/.exec(mode);
  if (slow) return { mode: "slow", delayMs: Math.min(Number(slow[1]), MAX_SLOW_MS) };
  throw fail(404, `Unknown fault mode \`${mode}\` (${FAULT_MODES}).`, "invalid_request_error", "unknown_fault");
}

function maxTokensOf(body) {
  for (const param of ["max_completion_tokens", "max_tokens"]) {
    const value = body[param];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value)) throw fail(400, `Invalid type for '${param}': expected an integer, but got ${kind(value)} instead.`, "invalid_request_error", "invalid_type", param);
    if (value < 1) throw fail(400, `Invalid '${param}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`, "invalid_request_error", "integer_below_min_value", param);
    return value;
  }
  return undefined;
}

function responseFormatOf(format) {
  if (format === undefined || format === null) return { type: "text" };
  if (!isObject(format) || !["text", "json_object", "json_schema"].includes(format.type)) {
    throw fail(400, `Invalid value: '${String(format?.type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.`, "invalid_request_error", "invalid_value", "response_format.type");
  }
  if (format.type !== "json_schema") return { type: format.type };
  const spec = format.json_schema;
  if (!isObject(spec)) throw fail(400, "Missing required parameter: 'response_format.json_schema'.", "invalid_request_error", "missing_required_parameter", "response_format.json_schema");
  if (typeof spec.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    throw fail(400, "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", "invalid_request_error", "invalid_value", "response_format.json_schema.name");
  }
  const schema = spec.schema ?? {};
  if (spec.strict === true) {
    const problem = strictSchemaProblem(schema);
    if (problem) throw fail(400, `Invalid schema for response_format '${spec.name}': ${problem}`, "invalid_request_error", "invalid_json_schema", "response_format");
  }
  return { type: "json_schema", name: spec.name, schema };
}

/** The request's parameters, refused with OpenAI's messages where the real API would refuse them. */
function parse(body) {
  if (!isObject(body)) throw fail(400, PARSE_ERROR);
  if (typeof body.model !== "string" || !body.model) throw fail(400, "you must provide a model parameter");
  const { messages } = body;
  if (messages === undefined) throw fail(400, "Missing required parameter: 'messages'.", "invalid_request_error", "missing_required_parameter", "messages");
  if (!Array.isArray(messages)) throw fail(400, `Invalid type for 'messages': expected an array of objects, but got ${kind(messages)} instead.`, "invalid_request_error", "invalid_type", "messages");
  if (!messages.length) throw fail(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "invalid_request_error", "empty_array", "messages");
  messages.forEach((m, i) => {
    if (!isObject(m)) throw fail(400, `Invalid type for 'messages[${i}]': expected an object, but got ${kind(m)} instead.`, "invalid_request_error", "invalid_type", `messages[${i}]`);
    if (!ROLES.includes(m.role)) {
      throw fail(400, `Invalid value: '${String(m.role)}'. Supported values are: ${ROLES.map((r) => `'${r}'`).join(", ")}.`, "invalid_request_error", "invalid_value", `messages[${i}].role`);
    }
  });
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    throw fail(400, `Invalid type for 'stream': expected a boolean, but got ${kind(body.stream)} instead.`, "invalid_request_error", "invalid_type", "stream");
  }
  const stream = body.stream === true;
  if (body.stream_options != null && !stream) {
    throw fail(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "invalid_request_error", null, "stream_options");
  }
  return { model: body.model, messages, format: responseFormatOf(body.response_format), maxTokens: maxTokensOf(body), stream, includeUsage: body.stream_options?.include_usage === true };
}

/** The answer's text and why it ended: the fitted JSON (broken or cut where a fault says so), cut at max tokens. */
function completion(ai, request, fault) {
  const { format, messages, maxTokens } = request;
  const value = answer(ai, format.name, messages);
  const fitted = format.type === "json_schema" ? fitToSchema(value, format.schema) : value;
  // The client's one repair attempt sends the bad answer back as an assistant message: that one gets a good answer.
  const repair = messages.some((m) => m.role === "assistant");
  let content = format.type === "text" ? String(fitted.summary ?? JSON.stringify(fitted)) : JSON.stringify(fitted);
  if (fault.mode === "schema-always" || (fault.mode === "schema" && !repair)) content = JSON.stringify(violate(fitted, format.schema));
  if (fault.mode === "malformed-always" || (fault.mode === "malformed" && !repair)) content = content.slice(0, Math.floor(content.length / 2));
  // A model that runs out of tokens stops mid-answer and says so (for JSON, a cut that does not parse).
  if (maxTokens !== undefined && tokens(content) > maxTokens) return { content: content.slice(0, maxTokens * 4), finish: "length" };
  return { content, finish: "stop" };
}

function usageOf(messages, content) {
  const prompt = tokens(messages.map((m) => contentText(m.content)).join(""));
  const answer = tokens(content);
  return { prompt_tokens: prompt, completion_tokens: answer, total_tokens: prompt + answer };
}

/** The answer in pieces of a few words, as a model streams tokens. */
const pieces = (text) => text.match(/\s*\S{1,8}(?:\s*\S{1,8}){0,2}\s*/g) ?? [];

async function stream(res, base, { content, finish }, usage, includeUsage, signal, pieceDelayMs) {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  // With include_usage every chunk carries `usage: null`, and one more chunk after the last carries the numbers.
  const send = (choices, extra = includeUsage ? { usage: null } : {}) => res.write(`data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`);
  const choice = (delta, finishReason = null) => [{ index: 0, delta, logprobs: null, finish_reason: finishReason }];
  if (signal.aborted) return;
  send(choice({ role: "assistant", content: "", refusal: null }));
  for (const piece of pieces(content)) {
    if (pieceDelayMs > 0) await sleep(pieceDelayMs);
    if (signal.aborted) return;
    send(choice({ content: piece }));
  }
  send(choice({}, finish));
  if (includeUsage) send([], { usage });
  res.end("data: [DONE]\n\n");
}

/**
 * Registers the chat routes. `dataDir` is where the worker code is bundled; `close` waits for a bundle still
 * being written, so the caller may remove the folder after it.
 * @param {ReturnType<import("../router.mjs").createRouter>} router
 * `pieceDelayMs` paces a streamed answer (0: as fast as it is written, for a load run that measures the
 * platform rather than a model's speed of writing).
 * @param {{ apiKey?: string, dataDir: string, pieceDelayMs?: number }} deps
 */
export function registerChat(router, { apiKey, dataDir, pieceDelayMs = PIECE_DELAY_MS }) {
  const code = workerCode(dataDir);
  /** @type {{ at: string, path: string, body: unknown }[]} newest first */
  const recorded = [];

  async function complete({ req, res, url, body }, mode) {
    authorize(req, apiKey);
    const fault = faultOf(mode);
    let raw;
    try {
      raw = await body();
    } catch (err) {
      if (err instanceof HttpError) throw fail(err.status, err.status === 400 ? PARSE_ERROR : "The request body is too large.");
      throw err;
    }
    recorded.unshift({ at: new Date().toISOString(), path: url.pathname, body: raw });
    recorded.length = Math.min(recorded.length, RECORDED);
    if (fault.mode === "429") {
      res.setHeader("retry-after", "2");
      throw fail(429, `Rate limit reached for ${CHAT_MODEL} in organization org-local on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 2s.`, "requests", "rate_limit_exceeded");
    }
    // An outage, as OpenAI answers one: every call fails until the path changes.
    if (fault.mode === "fail") throw fail(500, "The server had an error while processing your request. Sorry about that!", "server_error");
    const request = parse(raw);
    if (request.model !== CHAT_MODEL) throw fail(404, `The model \`${request.model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found");

    const gone = new AbortController();
    res.once("close", () => gone.abort());
    if (fault.mode === "slow") {
      try {
        await sleep(fault.delayMs, undefined, { signal: gone.signal });
      } catch {
        return; // the client gave up waiting: there is no one left to answer
      }
    }
    let ai;
    try {
      ai = await code.load();
    } catch (err) {
      console.error("local model server: the stand-in chat model could not load the ai worker's code:", err);
      throw fail(503, `The stand-in chat model could not load the ai worker's code: ${String(err?.message ?? err).split("\n")[0]}`, "server_error", "model_unavailable");
    }
    let result;
    try {
      result = completion(ai, request, fault);
    } catch (err) {
      console.error("local model server: chat answer failed:", err);
      throw fail(500, "The server had an error while processing your request. Sorry about that!", "server_error");
    }
    const usage = usageOf(request.messages, result.content);
    const id = `chatcmpl-${randomBytes(21).toString("base64url").replace(/[-_]/g, "x")}`;
    const base = (object) => ({ id, object, created: Math.floor(Date.now() / 1000), model: CHAT_MODEL });
    if (request.stream) return stream(res, base("chat.completion.chunk"), result, usage, request.includeUsage, gone.signal, pieceDelayMs);
    sendJson(res, 200, {
      ...base("chat.completion"),
      choices: [{ index: 0, message: { role: "assistant", content: result.content, refusal: null, annotations: [] }, logprobs: null, finish_reason: result.finish }],
      usage,
    });
  }

  router.on("POST", "/v1/chat/completions", (ctx) => complete(ctx));
  router.on("POST", "/fault/:mode/v1/chat/completions", (ctx) => complete(ctx, ctx.params.mode));
  router.on("GET", "/v1/standin/chat-requests", ({ req, res }) => {
    authorize(req, apiKey);
    sendJson(res, 200, { object: "list", data: recorded });
  });
  router.on("DELETE", "/v1/standin/chat-requests", ({ req, res }) => {
    authorize(req, apiKey);
    const deleted = recorded.length;
    recorded.length = 0;
    sendJson(res, 200, { object: "list", deleted });
  });
  return { close: () => code.settled() };
}
