/** The offline NLP task: language, extractive summary, RAKE keywords and counts, all deterministic. */
import { NlpResult } from "@statex/shared/tasks";
import { extractKeywords } from "./keywords";
import { detectLanguage } from "./language";
import { stopwordsFor } from "./stopwords";
import { summarise } from "./summary";
import { sentences, words } from "./text";

/** Analyses a text; the result is checked against the shared NlpResult contract before it leaves. */
export function analyse(text: string): NlpResult {
  const language = detectLanguage(text);
  const stopwords = stopwordsFor(language.code);
  const sentenceList = sentences(text);
  return NlpResult.parse({
    language,
    summary: summarise(sentenceList, stopwords),
    keywords: extractKeywords(sentenceList, stopwords),
    stats: { words: words(text).length, sentences: sentenceList.length },
  });
}
