/**
 * The offline NLP task: language, extractive summary, RAKE keywords, category, entities, sentiment, urgency,
 * budget and deadline hints, the sentences stating goals, requirements and constraints, and the open questions,
 * all deterministic.
 */
import { NlpResult } from "@statex/shared/tasks";
import { categorise } from "./category";
import { extractEntities } from "./entities";
import { budgetOf, urgencyOf } from "./hints";
import { extractKeywords } from "./keywords";
import { detectLanguage } from "./language";
import { sentimentOf } from "./sentiment";
import { stopwordsFor } from "./stopwords";
import { summarise } from "./summary";
import { deadlineOf, scopeOf } from "./scope";
import { openQuestions } from "../../prototype/sections";
import { sentences, words } from "./text";

/** Analyses a text; the result is checked against the shared NlpResult contract before it leaves. */
export function analyse(text: string): NlpResult {
  const language = detectLanguage(text);
  const stopwords = stopwordsFor(language.code);
  const sentenceList = sentences(text);
  const urgency = urgencyOf(text);
  const budget = budgetOf(text);
  const deadline = deadlineOf(text);
  const category = categorise(text);
  const found = {
    language,
    summary: summarise(sentenceList, stopwords),
    keywords: extractKeywords(sentenceList, stopwords),
    stats: { words: words(text).length, sentences: sentenceList.length },
    category,
    entities: extractEntities(text, language.code),
    sentiment: sentimentOf(text),
    ...(urgency ? { urgency } : {}),
    ...(budget ? { budget } : {}),
    ...(deadline ? { deadline } : {}),
    ...scopeOf(text),
  };
  return NlpResult.parse({ ...found, questions: openQuestions(found, category.label, category.label !== "other") });
}
