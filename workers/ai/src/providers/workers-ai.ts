/**
 * The `workers-ai` provider: the Workers AI binding, present only in staging and production (it has no local
 * simulator, and in development would call the account). Whisper for speech; `toMarkdown` for documents and
 * images, after the in-worker reader for files whose text layer is enough.
 */
import { toBase64 } from "@statex/shared/base64";
import { AsrResult } from "@statex/shared/tasks";
import { DOCUMENT_READER, extractDocument } from "../documents";
import { languageCode } from "../language-code";
import { fileTaskProvider } from "./file-tasks";
import { Answer, type Provider, ProviderError, Unsupported } from "./types";

type WhisperModel = "@cf/openai/whisper-large-v3-turbo";

/** What the provider needs of the binding: the two calls it makes (the real `Ai` binding is one). */
export type WorkersAi = {
  run(model: WhisperModel, input: Ai_Cf_Openai_Whisper_Large_V3_Turbo_Input): Promise<Ai_Cf_Openai_Whisper_Large_V3_Turbo_Output>;
  toMarkdown(files: MarkdownDocument[]): Promise<ConversionResponse[]>;
};

async function whisper(ai: WorkersAi, model: WhisperModel, file: File): Promise<Answer> {
  // The binding takes the audio as base64; whisper-large-v3-turbo decodes webm, ogg, mp3, wav and m4a itself.
  const raw = await ai.run(model, { audio: toBase64(await file.arrayBuffer()) });
  const segments = (raw.segments ?? []).map((s) => ({ start: s.start ?? 0, end: s.end ?? s.start ?? 0, text: (s.text ?? "").trim() }));
  const durationSec = raw.transcription_info?.duration ?? segments.at(-1)?.end ?? 0;
  const output = AsrResult.parse({ text: (raw.text ?? "").trim(), language: languageCode(raw.transcription_info?.language), durationSec, segments });
  return new Answer(output, { model, usage: { audioSeconds: durationSec } });
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
  return fileTaskProvider(
    { name: "workers-ai", model: "configured per task (WORKERS_AI_ASR_MODEL, toMarkdown)", version: "binding" },
    (env) => {
      const ai = bindingOf(env);
      if (!ai) throw new Unsupported("no Workers AI binding in this environment");
      return ai;
    },
    { asr: (ai, file, env) => whisper(ai, env.WORKERS_AI_ASR_MODEL, file), docai: toMarkdown },
  );
}

export const workersAiProvider = createWorkersAiProvider();
