/**
 * The analysis by a language model: the request's words and its attachments' texts (budgeted, long ones digested
 * first) go to the model under the analysis prompt; the answer must pass the same NlpResult schema as the offline
 * analysis (the counts in `stats` are computed here, not asked of a model).
 */
import { CATEGORIES, NlpResult, type PromptRef, type TextSource, type Usage } from "@statex/shared/tasks";
import { z } from "zod";
import { stopwordsFor } from "../providers/offline/stopwords";
import { detectLanguage } from "../providers/offline/language";
import { summarise } from "../providers/offline/summary";
import { sentences, words } from "../providers/offline/text";
import { ProviderError } from "../providers/types";
import { type SourceText, estimateTokens, fitSources, splitSources } from "./budget";
import type { ChatModel } from "./chat";
import { ANALYSIS_PROMPT, DIGEST_PROMPT, dataBlock } from "./prompts";
import { addUsage, askStructured } from "./structured";
import { TokenBudget } from "./token-budget";

const ANALYSIS_ANSWER_TOKENS = 1_500;
const DIGEST_ANSWER_TOKENS = 800;

/** What the model is asked for: the analysis without the counts. */
export const ModelAnalysis = NlpResult.omit({ stats: true });

const DocumentDigest = z.object({ summary: z.string(), facts: z.array(z.string()) });

export type AnalysisInput = { text: string; sources?: TextSource[] | undefined; tokensUsed?: number | undefined };
export type ModelResult<T> = { output: T; usage: Usage; model: string; prompt: PromptRef };

/** The offline extractive summary of one source: the digest when the model's digest fails. */
function offlineDigest(text: string): string {
  const language = detectLanguage(text);
  return summarise(sentences(text), stopwordsFor(language.code));
}

export async function analyseWithModel(
  chat: ChatModel,
  input: AnalysisInput,
  settings: { inputTokens: number; budget: TokenBudget; metadata?: Record<string, string> },
): Promise<ModelResult<NlpResult>> {
  const text = input.text.trim();
  if (!text) throw new ProviderError("nlp task without text", "invalid-input");
  const { budget } = settings;
  let usage: Usage = {};
  const digest = async (part: SourceText): Promise<string> => {
    const user = `Condense this ${part.kind} named in the data.\n\n${dataBlock({ document: part })}`;
    try {
      const maxTokens = budget.allow(estimateTokens(user) + estimateTokens(DIGEST_PROMPT.system), DIGEST_ANSWER_TOKENS);
      const answer = await askStructured({ chat, prompt: DIGEST_PROMPT, user, name: "statex_document_digest", schema: DocumentDigest, maxTokens, ...metadata(settings) });
      budget.spend(answer.usage);
      usage = addUsage(usage, answer.usage);
      return [answer.value.summary, ...answer.value.facts.map((f) => `- ${f}`)].join("\n");
    } catch (err) {
      if (err instanceof ProviderError && err.usage) {
        budget.spend(err.usage);
        usage = addUsage(usage, err.usage);
      }
      return offlineDigest(part.text);
    }
  };
  const sources = await fitSources(splitSources(text, input.sources), settings.inputTokens, digest);
  const user = `Analyse the client's request. The sources are the client's own words (kind "request") and the texts of \
their attachments, in the order given; a source with "digest": true is a condensed version of a long one. The \
categories to choose from are listed in the data.\n\n${dataBlock({ categories: CATEGORIES, sources })}`;
  const maxTokens = budget.allow(estimateTokens(user) + estimateTokens(ANALYSIS_PROMPT.system), ANALYSIS_ANSWER_TOKENS);
  try {
    const answer = await askStructured({ chat, prompt: ANALYSIS_PROMPT, user, name: "statex_analysis", schema: ModelAnalysis, maxTokens, ...metadata(settings) });
    usage = addUsage(usage, answer.usage);
    const output = NlpResult.parse({ ...answer.value, stats: { words: words(text).length, sentences: sentences(text).length } });
    return { output, usage, model: answer.model, prompt: { id: ANALYSIS_PROMPT.id, version: ANALYSIS_PROMPT.version } };
  } catch (err) {
    if (err instanceof ProviderError) throw new ProviderError(err.message, err.errorClass, err.retryAfterMs, addUsage(usage, err.usage ?? {}));
    throw err;
  }
}

const metadata = (settings: { metadata?: Record<string, string> }) => (settings.metadata ? { metadata: settings.metadata } : {});
