/**
 * Sentiment from wink-nlp's lexicon score (English; a language it does not
 * know scores near 0 and reads as neutral, which is the honest answer).
 */
import type { NlpResult } from "@statex/shared/tasks";
import { wink } from "./wink";

export type Sentiment = NonNullable<NlpResult["sentiment"]>;

/**
 * Scores inside this band are neutral: a business request is mostly factual, and wink
 * gives a plain "we need a website" a small positive score from words like "need" or "new".
 */
const NEUTRAL_BAND = 0.15;

/** The text's sentiment, its score rounded to three places. */
export function sentimentOf(text: string): Sentiment {
  const w = wink();
  const raw = w.readDoc(text).out(w.its.sentiment);
  const score = Math.round(Math.max(-1, Math.min(1, typeof raw === "number" ? raw : 0)) * 1000) / 1000;
  const label = score <= -NEUTRAL_BAND ? "negative" : score >= NEUTRAL_BAND ? "positive" : "neutral";
  return { label, score };
}
