/**
 * Keywords by RAKE (Rose et al., 2010, "Automatic keyword extraction from
 * individual documents"): candidate phrases are the runs of words between
 * stopwords and punctuation; each word scores degree/frequency (words that
 * appear in longer phrases score higher), and a phrase scores the sum of its words.
 */
import { isFiller, normalise, words } from "./text";

export type Keyword = { phrase: string; score: number };

/**
 * Runs longer than this are clauses the stopword list missed (or a language without one), not
 * keyphrases: their words stand as single-word candidates instead.
 */
const MAX_PHRASE_WORDS = 4;
/** Punctuation inside a sentence that ends a phrase as a stopword does. */
const BREAKS = /[,;:()[\]{}"“”„«»‹›—–/\\|]+|\s[-&+]\s/;

/** The candidate phrases of the given sentences, each a list of normalised words. */
export function candidatePhrases(sentenceList: string[], stopwords: ReadonlySet<string>): string[][] {
  const phrases: string[][] = [];
  for (const fragment of sentenceList.flatMap((s) => s.split(BREAKS))) {
    let current: string[] = [];
    for (const word of words(fragment).map(normalise)) {
      if (stopwords.has(word) || isFiller(word)) {
        if (current.length) phrases.push(current);
        current = [];
      } else current.push(word);
    }
    if (current.length) phrases.push(current);
  }
  return phrases.flatMap((p) => (p.length <= MAX_PHRASE_WORDS ? [p] : p.map((w) => [w])));
}

/** The top `limit` keyphrases, best first; ties in alphabetical order so the result is deterministic. */
export function extractKeywords(sentenceList: string[], stopwords: ReadonlySet<string>, limit = 10): Keyword[] {
  const phrases = candidatePhrases(sentenceList, stopwords);
  const frequency = new Map<string, number>();
  const degree = new Map<string, number>();
  for (const phrase of phrases) {
    for (const word of phrase) {
      frequency.set(word, (frequency.get(word) ?? 0) + 1);
      degree.set(word, (degree.get(word) ?? 0) + phrase.length);
    }
  }
  const scored = new Map<string, number>();
  for (const phrase of phrases) {
    const score = phrase.reduce((sum, w) => sum + (degree.get(w) ?? 0) / (frequency.get(w) ?? 1), 0);
    scored.set(phrase.join(" "), score);
  }
  return [...scored]
    .map(([phrase, score]) => ({ phrase, score: Math.round(score * 100) / 100 }))
    .sort((a, b) => b.score - a.score || a.phrase.localeCompare(b.phrase))
    .slice(0, limit);
}
