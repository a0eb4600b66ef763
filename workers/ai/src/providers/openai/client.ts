/**
 * A client of an OpenAI-compatible HTTP API: a hosted one in the cloud, the
 * local model server (local/services/models.mjs) in development and CI. Every
 * failure becomes a ProviderError whose class tells the chain what to do next.
 */
import { z } from "zod";
import { ProviderError } from "../types";

/** Where the API is and how to call it; models are per task, and an empty model turns that task off. */
export type OpenAiSettings = {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  asrModel: string;
  ocrModel: string;
  chatModel: string;
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

/** Calls one route and returns its parsed JSON, or throws a classified ProviderError (timeouts included). */
export async function callApi<T>(settings: OpenAiSettings, path: string, body: FormData | object, schema: z.ZodType<T>): Promise<T> {
  const what = `${settings.baseUrl}${path}`;
  const isForm = body instanceof FormData;
  let res: Response;
  try {
    res = await fetch(what, {
      method: "POST",
      headers: { authorization: `Bearer ${settings.apiKey}`, ...(isForm ? {} : { "content-type": "application/json" }) },
      body: isForm ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError(timedOut ? `${what}: no answer within ${settings.timeoutMs} ms` : `${what}: ${String(err)}`, "retryable");
  }
  if (!res.ok) throw await failure(res, what);
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  // A malformed answer is the service's fault and may not repeat.
  if (!parsed.success) throw new ProviderError(`${what}: unexpected answer (${parsed.error.issues[0]?.message ?? "invalid"})`, "retryable");
  return parsed.data;
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

const Chat = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }).optional(),
});

/**
 * POST /v1/chat/completions with a JSON-schema response format; returns the parsed JSON the model wrote and
 * the tokens it used. For nlp and prototype providers built on a hosted LLM.
 */
export async function chatJson(
  settings: OpenAiSettings,
  messages: { role: "system" | "user"; content: string }[],
  schema: { name: string; schema: Record<string, unknown> },
): Promise<{ value: unknown; usage?: { inputTokens: number; outputTokens: number } }> {
  const body = { model: settings.chatModel, messages, response_format: { type: "json_schema", json_schema: { ...schema, strict: true } } };
  const answer = await callApi(settings, "/chat/completions", body, Chat);
  const content = answer.choices[0]?.message.content ?? "";
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    throw new ProviderError(`${settings.baseUrl}/chat/completions: the model did not answer JSON`, "retryable");
  }
  const usage = answer.usage && { inputTokens: answer.usage.prompt_tokens, outputTokens: answer.usage.completion_tokens };
  return usage ? { value, usage } : { value };
}
