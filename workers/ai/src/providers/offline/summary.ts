/**
 * Extractive summary: sentences scored by how frequent their content words are
 * in the whole text, the best kept in their original order. No sentence is
 * rewritten, so the summary never says what the client did not.
 */
import { isFiller, normalise, words } from "./text";

/** How many sentences to keep: all of a short text, otherwise about 30%, between 2 and 3. */
export function summaryLength(count: number): number {
  if (count <= 3) return count;
  return Math.min(3, Math.max(2, Math.round(count * 0.3)));
}

/** The summary of a text already split into sentences. Deterministic: ties go to the earlier sentence. */
export function summarise(sentenceList: string[], stopwords: ReadonlySet<string>): string {
  const keep = summaryLength(sentenceList.length);
  if (keep === sentenceList.length) return sentenceList.join(" ");
  const content = sentenceList.map((s) => words(s).map(normalise).filter((w) => !stopwords.has(w) && !isFiller(w)));
  const frequency = new Map<string, number>();
  for (const list of content) for (const w of list) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const top = Math.max(1, ...frequency.values());
  // Dividing by √length rather than length: long sentences are not favoured just for length, nor short ones for brevity.
  const scores = content.map((list) => list.reduce((sum, w) => sum + (frequency.get(w) ?? 0) / top, 0) / Math.sqrt(Math.max(1, list.length)));
  const chosen = scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, keep)
    .map((s) => s.index)
    .sort((a, b) => a - b);
  return chosen.map((i) => sentenceList[i]).join(" ");
}
