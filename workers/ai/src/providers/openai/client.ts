/**
 * A client of an OpenAI-compatible HTTP API: a hosted one in the cloud, the
 * local model server (local/services/models.mjs) in development and CI. Every
 * failure becomes a ProviderError whose class tells the chain what to do next.
 */
import { optionalSecret } from "@statex/shared/secrets";
import { z } from "zod";
import type { ChatAnswer, ChatModel, ChatRequest } from "../../llm/chat";
import { sseData } from "../../llm/sse";
import { ProviderError } from "../types";

/** Where the API is and how to call it; models are per task, and an empty model turns that task off. */
export type OpenAiSettings = {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  asrModel: string;
  ocrModel: string;
  chatModel: string;
  /** AI Gateway: how long it may cache an answer (seconds; empty: its default), and the token of an authenticated gateway. */
  gatewayCacheTtl: string;
  gatewayToken: string;
};

/** The settings the worker is configured with (vars AI_API_URL, AI_*_MODEL, AI_API_TIMEOUT_MS; secret AI_API_KEY). */
export function settingsFromEnv(env: AiEnv): OpenAiSettings {
  return {
    baseUrl: env.AI_API_URL.replace(/\/+$/, ""),
    apiKey: env.AI_API_KEY,
    timeoutMs: Number(env.AI_API_TIMEOUT_MS) || 25_000,
    asrModel: env.AI_ASR_MODEL,
    ocrModel: env.AI_OCR_MODEL,
    chatModel: env.AI_CHAT_MODEL,
    gatewayCacheTtl: env.AI_GATEWAY_CACHE_TTL,
    gatewayToken: optionalSecret(env, "AI_GATEWAY_TOKEN") ?? "",
  };
}

const ErrorBody = z.object({ error: z.object({ message: z.string() }) });

/** Seconds to wait from a Retry-After header (seconds or an HTTP date). */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function jsonOrUndefined(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

async function failure(res: Response, what: string): Promise<ProviderError> {
  const parsed = ErrorBody.safeParse(jsonOrUndefined(await res.text()));
  const message = `${what}: HTTP ${res.status}${parsed.success ? ` ${parsed.data.error.message}` : ""}`;
  if (res.status === 429) return new ProviderError(message, "rate-limited", retryAfterMs(res.headers.get("retry-after")));
  // The file itself was refused: no other provider would read it better. Auth (401/403) and unknown
  // models (404) are our configuration, so the next provider may still answer.
  if ([400, 413, 415, 422].includes(res.status)) return new ProviderError(message, "invalid-input");
  return new ProviderError(message, "retryable");
}

/** Posts to one route; a failure to answer, or an error status, throws a classified ProviderError. */
async function post(settings: OpenAiSettings, path: string, body: FormData | object, headers: Record<string, string> = {}): Promise<Response> {
  const what = `${settings.baseUrl}${path}`;
  const isForm = body instanceof FormData;
  let res: Response;
  try {
    res = await fetch(what, {
      method: "POST",
      headers: { authorization: `Bearer ${settings.apiKey}`, ...(isForm ? {} : { "content-type": "application/json" }), ...headers },
      body: isForm ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError(timedOut ? `${what}: no answer within ${settings.timeoutMs} ms` : `${what}: ${String(err)}`, "retryable");
  }
  if (!res.ok) throw await failure(res, what);
  return res;
}

async function parsed<T>(settings: OpenAiSettings, path: string, res: Response, schema: z.ZodType<T>): Promise<T> {
  const answer = schema.safeParse(await res.json().catch(() => undefined));
  // A malformed answer is the service's fault and may not repeat.
  if (!answer.success) throw new ProviderError(`${settings.baseUrl}${path}: unexpected answer (${answer.error.issues[0]?.message ?? "invalid"})`, "retryable");
  return answer.data;
}

/** Calls one route and returns its parsed JSON, or throws a classified ProviderError (timeouts included). */
export async function callApi<T>(settings: OpenAiSettings, path: string, body: FormData | object, schema: z.ZodType<T>): Promise<T> {
  return parsed(settings, path, await post(settings, path, body), schema);
}

const Transcription = z.object({
  text: z.string(),
  language: z.string().optional(),
  duration: z.number().optional(),
  segments: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })).optional(),
  usage: z.object({ seconds: z.number().optional() }).optional(),
});
export type Transcription = z.infer<typeof Transcription>;

/** POST /v1/audio/transcriptions with verbose_json, so segments carry timestamps. */
export function transcribe(settings: OpenAiSettings, file: File): Promise<Transcription> {
  const form = new FormData();
  form.set("file", file);
  form.set("model", settings.asrModel);
  form.set("response_format", "verbose_json");
  form.append("timestamp_granularities[]", "segment");
  return callApi(settings, "/audio/transcriptions", form, Transcription);
}

const Ocr = z.object({ text: z.string(), pages: z.array(z.object({ page: z.number().int(), text: z.string() })) });
export type OcrResult = z.infer<typeof Ocr>;

/** POST /v1/ocr (the local model server's route): an image, or the given pages of a PDF, to text. */
export function recognise(settings: OpenAiSettings, file: File, pages: number[] = []): Promise<OcrResult> {
  const form = new FormData();
  form.set("file", file);
  form.set("model", settings.ocrModel);
  if (pages.length) form.set("pages", pages.join(","));
  return callApi(settings, "/ocr", form, Ocr);
}

const ChatCompletion = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }).optional(),
});

const ChatChunk = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullable().optional() }).optional(), finish_reason: z.string().nullable().optional() })),
  usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }).nullable().optional(),
});

const usageOf = (u: { prompt_tokens: number; completion_tokens: number } | null | undefined) =>
  u ? { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens } : {};

/** Headers for Cloudflare AI Gateway when the API is reached through one (its cache, and an authenticated gateway). */
function gatewayHeaders(settings: OpenAiSettings, metadata: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (settings.gatewayCacheTtl) headers["cf-aig-cache-ttl"] = settings.gatewayCacheTtl;
  if (settings.gatewayToken) headers["cf-aig-authorization"] = `Bearer ${settings.gatewayToken}`;
  if ((settings.gatewayCacheTtl || settings.gatewayToken) && metadata) headers["cf-aig-metadata"] = JSON.stringify(metadata);
  return headers;
}

/**
 * The chat model of an OpenAI-compatible API: `POST /chat/completions` with `response_format: json_schema`
 * (strict), streamed as server-sent events when the caller wants the text as it is written.
 */
export function openAiChat(settings: OpenAiSettings): ChatModel {
  return {
    model: settings.chatModel,
    async complete(request: ChatRequest): Promise<ChatAnswer> {
      const stream = request.onText !== undefined;
      const body = {
        model: settings.chatModel,
        messages: request.messages,
        response_format: { type: "json_schema", json_schema: { ...request.schema, strict: true } },
        max_tokens: request.maxTokens,
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      };
      const res = await post(settings, "/chat/completions", body, gatewayHeaders(settings, request.metadata));
      if (!stream || !res.body) {
        const answer = await parsed(settings, "/chat/completions", res, ChatCompletion);
        const choice = answer.choices[0];
        return { content: choice?.message.content ?? "", usage: usageOf(answer.usage), model: answer.model ?? settings.chatModel, truncated: choice?.finish_reason === "length" };
      }
      let content = "";
      let usage = {};
      let model = settings.chatModel;
      let truncated = false;
      for await (const data of sseData(res.body)) {
        const chunk = ChatChunk.safeParse(jsonOrUndefined(data));
        if (!chunk.success) throw new ProviderError(`${settings.baseUrl}/chat/completions: unexpected stream chunk`, "retryable");
        model = chunk.data.model ?? model;
        if (chunk.data.usage) usage = usageOf(chunk.data.usage);
        for (const choice of chunk.data.choices) {
          if (choice.finish_reason === "length") truncated = true;
          if (choice.delta?.content) {
            content += choice.delta.content;
            request.onText?.(content);
          }
        }
      }
      return { content, usage, model, truncated };
    },
  };
}
