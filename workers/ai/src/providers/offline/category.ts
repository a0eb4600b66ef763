/**
 * The request's category: multinomial naive Bayes (unigrams and bigrams of
 * crudely stemmed content words, Laplace smoothing) trained on the labelled
 * examples in category-examples.ts. Chosen over @nlpjs's neural classifier
 * because it trains synchronously in about a millisecond, is deterministic, and
 * its probabilities are honest enough to threshold once tempered (below).
 */
import { CATEGORIES, type Category } from "@statex/shared/tasks";
import { examples } from "./category-examples";
import { stopwordsFor } from "./stopwords";
import { normalise, words } from "./text";

export type CategoryResult = { label: Category; confidence: number };

/** Below this the best category is a guess, and the request is filed as "other". */
export const MIN_CONFIDENCE = 0.55;
/**
 * Naive Bayes multiplies one likelihood per feature, so its raw posteriors are near 0 or 1 for
 * any text of some length. Dividing the log-likelihood by √(known features) and scaling by this
 * sharpness keeps a vague enquiry below the threshold while a text with several telling words
 * reaches 0.8–0.99. Both constants were chosen on the labelled set in test/fixtures.
 */
const SHARPNESS = 3;

const stopwords = stopwordsFor("en");

/** A rough English stem, so "automate", "automated" and "automation" count as one word. */
function stem(word: string): string {
  if (word.length <= 4) return word;
  return word
    .replace(/ies$/, "y")
    .replace(/ations?$/, "at")
    .replace(/(?<=\p{L}{3})(?:ments?|ings?|ers?|ed|es|s|e|ly)$/u, "");
}

/** The classifier's features: stemmed content words and the pairs they form. */
export function features(text: string): string[] {
  const stems = words(text)
    .map(normalise)
    .filter((w) => !stopwords.has(w) && [...w].length > 1)
    .map(stem);
  return [...stems, ...stems.slice(1).map((s, i) => `${stems[i]} ${s}`)];
}

type Model = { vocabulary: Set<string>; counts: Map<Category, Map<string, number>>; totals: Map<Category, number> };

function train(): Model {
  const vocabulary = new Set<string>();
  const counts = new Map<Category, Map<string, number>>();
  const totals = new Map<Category, number>();
  for (const label of CATEGORIES) {
    const bag = new Map<string, number>();
    for (const sentence of examples[label]) for (const f of features(sentence)) bag.set(f, (bag.get(f) ?? 0) + 1);
    for (const f of bag.keys()) vocabulary.add(f);
    counts.set(label, bag);
    totals.set(label, [...bag.values()].reduce((a, b) => a + b, 0));
  }
  return { vocabulary, counts, totals };
}

let model: Model | undefined;

/** The category of a request text, with "other" below the threshold or when no word is known (the knobs are there for tuning). */
export function categorise(text: string, sharpness = SHARPNESS, minConfidence = MIN_CONFIDENCE): CategoryResult {
  model ??= train();
  const { vocabulary, counts, totals } = model;
  const known = features(text).filter((f) => vocabulary.has(f));
  if (!known.length) return { label: "other", confidence: 0 };
  // Equal priors: the examples are balanced by design, not by how often clients ask for each.
  const scores = CATEGORIES.map((label) => {
    const bag = counts.get(label) ?? new Map<string, number>();
    const denominator = (totals.get(label) ?? 0) + vocabulary.size;
    const logLikelihood = known.reduce((sum, f) => sum + Math.log(((bag.get(f) ?? 0) + 1) / denominator), 0);
    return (sharpness * logLikelihood) / Math.sqrt(known.length);
  });
  const top = Math.max(...scores);
  const weights = scores.map((s) => Math.exp(s - top));
  const total = weights.reduce((a, b) => a + b, 0);
  let best = 0;
  weights.forEach((w, i) => {
    if (w > (weights[best] ?? 0)) best = i;
  });
  const confidence = Math.round(((weights[best] ?? 0) / total) * 1000) / 1000;
  const label = CATEGORIES[best] ?? "other";
  return { label: confidence >= minConfidence ? label : "other", confidence };
}
