/**
 * Language detection with eld's n-gram model. The extra-small database is the
 * one bundled into the worker: a bare `import "eld"` loads its data at run
 * time, which workerd does not allow.
 */
import eld from "eld/extrasmall";

export type Language = { code: string; confidence: number };

/**
 * The language of a text, as an ISO 639-1 code ("und" when eld cannot tell).
 * Confidence is eld's score for that language, halved when eld itself calls
 * the result unreliable (too few n-grams or a close runner-up).
 */
export function detectLanguage(text: string): Language {
  const result = eld.detect(text);
  if (!result.language) return { code: "und", confidence: 0 };
  const score = Math.min(1, Math.max(0, result.getScores()[result.language] ?? 0));
  const confidence = result.isReliable() ? score : score / 2;
  return { code: result.language, confidence: Math.round(confidence * 1000) / 1000 };
}
