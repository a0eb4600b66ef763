/** Error rates the quality tests hold the models to: edit distance over words (WER) or characters (CER). */

function distance<T>(ref: T[], hyp: T[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const same = ref[i - 1] === hyp[j - 1];
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (same ? 0 : 1)));
    }
    prev = row;
  }
  return prev[hyp.length] ?? 0;
}

/** Lower case, punctuation dropped, whitespace collapsed: what both sides are compared as. */
export const normalise = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}\s']/gu, " ").replace(/\s+/g, " ").trim();

/** Word errors (substitutions, insertions, deletions) and the reference's word count. */
export function wordErrors(reference: string, hypothesis: string): { errors: number; words: number } {
  const ref = normalise(reference).split(" ").filter(Boolean);
  return { errors: distance(ref, normalise(hypothesis).split(" ").filter(Boolean)), words: ref.length };
}

/** Character error rate of a text against its reference, after normalising both. */
export function characterErrorRate(reference: string, hypothesis: string): number {
  const ref = [...normalise(reference)];
  return distance(ref, [...normalise(hypothesis)]) / Math.max(1, ref.length);
}
