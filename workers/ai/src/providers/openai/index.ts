/**
 * The `openai` provider: an OpenAI-compatible API (a hosted one in the cloud, possibly through AI Gateway; the
 * local model server in development and CI) for speech, OCR of images and scanned pages, and the analysis and
 * the first draft by its chat model; documents with a text layer are read in the worker, with no call at all.
 */
import { AsrResult } from "@statex/shared/tasks";
import { DOCUMENT_READER, extractDocument, type Ocr } from "../../documents";
import { languageCode } from "../../language-code";
import { fileTaskProvider } from "../file-tasks";
import { Answer, type Provider, Unsupported } from "../types";
import { joinProviders, modelTaskProvider } from "../model-tasks";
import { type OpenAiSettings, openAiChat, recognise, settingsFromEnv, transcribe } from "./client";

async function runAsr(settings: OpenAiSettings, file: File): Promise<Answer> {
  const t = await transcribe(settings, file);
  const durationSec = t.duration ?? t.segments?.at(-1)?.end ?? 0;
  const segments = (t.segments ?? []).map((s) => ({ start: s.start, end: s.end, text: s.text.trim() }));
  const output = AsrResult.parse({ text: t.text.trim(), language: languageCode(t.language), durationSec, segments });
  return new Answer(output, { model: settings.asrModel, usage: { audioSeconds: t.usage?.seconds ?? durationSec } });
}

async function runDocai(settings: OpenAiSettings, file: File): Promise<Answer> {
  let usedOcr = false;
  const ocr: Ocr | undefined = settings.ocrModel
    ? async (f, pages) => {
        usedOcr = true;
        return (await recognise(settings, f, pages)).pages;
      }
    : undefined;
  const output = await extractDocument(file, ocr);
  return new Answer(output, { model: usedOcr ? settings.ocrModel : DOCUMENT_READER });
}

/** The provider with settings from the worker's configuration; tests pass other settings (a fake API's URL). */
export function createOpenAiProvider(settingsOf: (env: AiEnv) => OpenAiSettings = settingsFromEnv): Provider {
  const meta = { name: "openai", model: "configured per task (AI_ASR_MODEL, AI_OCR_MODEL, AI_CHAT_MODEL)", version: "v1", breaker: true };
  const configured = (env: AiEnv) => {
    const settings = settingsOf(env);
    if (!settings.baseUrl) throw new Unsupported("AI_API_URL is not set");
    return settings;
  };
  const files = fileTaskProvider(
    meta,
    (env, kind) => {
      const settings = configured(env);
      if (kind === "asr" && !settings.asrModel) throw new Unsupported("AI_ASR_MODEL is not set");
      return settings;
    },
    { asr: runAsr, docai: runDocai },
  );
  const text = modelTaskProvider(meta, (env) => {
    const settings = configured(env);
    if (!settings.chatModel) throw new Unsupported("AI_CHAT_MODEL is not set");
    return openAiChat(settings);
  });
  return joinProviders(meta, files, text);
}

export const openaiProvider = createOpenAiProvider();
