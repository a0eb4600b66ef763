/**
 * The `workers-ai` provider: the Workers AI binding, present only in staging and production (it has no local
 * simulator, and in development would call the account). Whisper for speech; `toMarkdown` for documents and
 * images, after the in-worker reader for files whose text layer is enough; a current instruction model in JSON
 * mode for the analysis and the draft (optionally through AI Gateway).
 */
import { toBase64 } from "@statex/shared/base64";
import { AsrResult } from "@statex/shared/tasks";
import { z } from "zod";
import type { ChatAnswer, ChatModel, ChatRequest } from "../llm/chat";
import { sseData } from "../llm/sse";
import { DOCUMENT_READER, extractDocument } from "../documents";
import { languageCode } from "../language-code";
import { fileTaskProvider } from "./file-tasks";
import { joinProviders, modelTaskProvider } from "./model-tasks";
import { Answer, type Provider, ProviderError, Unsupported } from "./types";

/** Gateway options the binding takes: Cloudflare AI Gateway's id, its cache and metadata for its logs. */
type GatewayOptions = { gateway?: { id: string; cacheTtl?: number; metadata?: Record<string, string> } };

/**
 * What the provider needs of the binding: `run` for whisper and the chat model, `toMarkdown` for documents (the
 * real `Ai` binding is one). Answers are checked with zod rather than trusted to the binding's types, since the
 * models are configuration.
 */
export type WorkersAi = {
  run(model: string, input: Record<string, unknown>, options?: GatewayOptions): Promise<unknown>;
  toMarkdown(files: MarkdownDocument[]): Promise<ConversionResponse[]>;
};

const WhisperOutput = z.object({
  text: z.string().optional(),
  transcription_info: z.object({ language: z.string().optional(), duration: z.number().optional() }).optional(),
  segments: z.array(z.object({ start: z.number().optional(), end: z.number().optional(), text: z.string().optional() })).optional(),
});

async function whisper(ai: WorkersAi, model: string, file: File): Promise<Answer> {
  // The binding takes the audio as base64; whisper-large-v3-turbo decodes webm, ogg, mp3, wav and m4a itself.
  const parsed = WhisperOutput.safeParse(await ai.run(model, { audio: toBase64(await file.arrayBuffer()) }));
  if (!parsed.success) throw new ProviderError(`${model}: unexpected answer`, "retryable");
  const raw = parsed.data;
  const segments = (raw.segments ?? []).map((s) => ({ start: s.start ?? 0, end: s.end ?? s.start ?? 0, text: (s.text ?? "").trim() }));
  const durationSec = raw.transcription_info?.duration ?? segments.at(-1)?.end ?? 0;
  const output = AsrResult.parse({ text: (raw.text ?? "").trim(), language: languageCode(raw.transcription_info?.language), durationSec, segments });
  return new Answer(output, { model, usage: { audioSeconds: durationSec } });
}

const ChatOutput = z.object({
  response: z.union([z.string(), z.record(z.string(), z.unknown())]).nullable().optional(),
  usage: z.object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullable().optional(),
});

/** Neurons per million input and output tokens, from WORKERS_AI_NEURONS_PER_MTOK ("in,out"). */
function neuronRates(env: AiEnv): [number, number] {
  const [input, output] = env.WORKERS_AI_NEURONS_PER_MTOK.split(",").map(Number);
  return [Number.isFinite(input) ? (input ?? 0) : 0, Number.isFinite(output) ? (output ?? 0) : 0];
}

/**
 * The chat model behind the binding (WORKERS_AI_CHAT_MODEL) in JSON mode, streamed when the caller wants the text
 * as it is written; the usage in tokens, and in neurons at the configured rates.
 */
export function workersAiChat(ai: WorkersAi, env: AiEnv): ChatModel {
  const model = env.WORKERS_AI_CHAT_MODEL;
  const [inRate, outRate] = neuronRates(env);
  const usageOf = (u: { prompt_tokens?: number | undefined; completion_tokens?: number | undefined } | null | undefined) => {
    const inputTokens = u?.prompt_tokens ?? 0;
    const outputTokens = u?.completion_tokens ?? 0;
    return { inputTokens, outputTokens, neurons: Math.round(((inputTokens * inRate + outputTokens * outRate) / 1e6) * 100) / 100 };
  };
  return {
    model,
    async complete(request: ChatRequest): Promise<ChatAnswer> {
      const stream = request.onText !== undefined;
      const input = {
        messages: request.messages,
        response_format: { type: "json_schema", json_schema: request.schema.schema },
        max_tokens: request.maxTokens,
        ...(stream ? { stream: true } : {}),
      };
      const gatewayId = env.AI_GATEWAY_ID;
      const cacheTtl = Number(env.AI_GATEWAY_CACHE_TTL);
      const options: GatewayOptions = gatewayId
        ? { gateway: { id: gatewayId, ...(cacheTtl > 0 ? { cacheTtl } : {}), ...(request.metadata ? { metadata: request.metadata } : {}) } }
        : {};
      let raw: unknown;
      try {
        raw = await ai.run(model, input, options);
      } catch (err) {
        throw new ProviderError(`${model}: ${err instanceof Error ? err.message : String(err)}`, /\b429\b|rate/i.test(String(err)) ? "rate-limited" : "retryable");
      }
      if (raw instanceof ReadableStream) {
        let content = "";
        let usage = usageOf(undefined);
        for await (const data of sseData(raw as ReadableStream<Uint8Array>)) {
          const chunk = ChatOutput.safeParse(JSON.parse(data));
          if (!chunk.success) continue;
          if (typeof chunk.data.response === "string" && chunk.data.response) {
            content += chunk.data.response;
            request.onText?.(content);
          }
          if (chunk.data.usage) usage = usageOf(chunk.data.usage);
        }
        return { content, usage, model, truncated: false };
      }
      const answer = ChatOutput.safeParse(raw);
      if (!answer.success) throw new ProviderError(`${model}: unexpected answer`, "retryable");
      const response = answer.data.response;
      const content = typeof response === "string" ? response : JSON.stringify(response ?? null);
      return { content, usage: usageOf(answer.data.usage), model, truncated: false };
    },
  };
}

async function toMarkdown(ai: WorkersAi, file: File): Promise<Answer> {
  try {
    return new Answer(await extractDocument(file), { model: DOCUMENT_READER });
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  // Images and scans: Workers AI's converter describes and reads them.
  const [converted] = await ai.toMarkdown([{ name: file.name, blob: file }]);
  if (!converted || converted.format === "error") throw new ProviderError(`toMarkdown failed: ${converted?.error ?? "no result"}`, "retryable");
  const text = converted.data;
  return new Answer({ markdown: text, text, pages: 1, metadata: {}, method: "to-markdown" }, { model: "workers-ai toMarkdown" });
}

/** The provider reading the binding from env; tests pass a stand-in that checks the calls it receives. */
export function createWorkersAiProvider(bindingOf: (env: AiEnv) => WorkersAi | undefined = (env) => env.AI): Provider {
  const meta = { name: "workers-ai", model: "configured per task (WORKERS_AI_ASR_MODEL, toMarkdown, WORKERS_AI_CHAT_MODEL)", version: "binding", breaker: true };
  const binding = (env: AiEnv) => {
    const ai = bindingOf(env);
    if (!ai) throw new Unsupported("no Workers AI binding in this environment");
    return ai;
  };
  const files = fileTaskProvider(meta, binding, { asr: (ai, file, env) => whisper(ai, env.WORKERS_AI_ASR_MODEL, file), docai: toMarkdown });
  const text = modelTaskProvider(meta, (env) => workersAiChat(binding(env), env));
  return joinProviders(meta, files, text);
}

export const workersAiProvider = createWorkersAiProvider();
