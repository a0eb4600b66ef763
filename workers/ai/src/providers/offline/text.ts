/** Splitting text into sentences and words, for every script eld can name. */

/** Letters and digits, with inner apostrophes and hyphens kept (don't, e-commerce, l'équipe). */
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** The words of a text, in order. */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * Sentences: lines and paragraphs first (a list item is a sentence of its own),
 * then after terminal punctuation followed by a space. "e.g." may split a
 * sentence in two; for extractive summaries that costs little.
 */
export function sentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?…。！？])\s+/))
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").trim())
    .filter((s) => words(s).length > 0);
}

/** A word as compared: lower case, curly apostrophes straightened. */
export function normalise(word: string): string {
  return word.toLowerCase().replace(/’/g, "'");
}

/** True for tokens that carry no topic on their own: numbers and single letters. */
export function isFiller(word: string): boolean {
  return /^\p{N}+$/u.test(word) || [...word].length < 2;
}
