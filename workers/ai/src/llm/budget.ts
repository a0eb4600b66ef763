/**
 * A model call's input, budgeted by tokens. The request's own words always go in; the transcripts and documents
 * that fit go in whole; a source too long for its share is replaced by a digest the model writes of it first (the
 * offline extractive summary when that fails), so one long attachment never crowds out the rest.
 *
 * Tokens are estimated as characters / 4: the providers' tokenizers differ by model and the real counts come back
 * in every answer's usage, so the estimate only has to keep inputs within a model's window, and a tokenizer's
 * vocabulary would cost the worker's bundle a megabyte.
 */
import type { TextSource } from "@statex/shared/tasks";

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** One part of a task's input, as the prompt carries it. */
export type SourceText = { kind: TextSource["kind"]; name: string; text: string; digest?: true };

/** The task's text cut back into its sources (they were joined with a blank line); one "request" source without. */
export function splitSources(text: string, sources: readonly TextSource[] | undefined): SourceText[] {
  if (!sources?.length) return [{ kind: "request", name: "request", text }];
  const parts: SourceText[] = [];
  let at = 0;
  for (const source of sources) {
    parts.push({ kind: source.kind, name: source.name, text: text.slice(at, at + source.chars) });
    at += source.chars + 2;
  }
  // Text beyond what the sources account for (there should be none) is kept, not lost.
  if (at < text.length) parts.push({ kind: "document", name: "more", text: text.slice(at) });
  return parts;
}

const cut = (text: string, tokens: number) => (estimateTokens(text) <= tokens ? text : `${text.slice(0, tokens * 4)}\n[… cut to fit]`);

/**
 * Fits the sources into `budget` tokens: the request first (at most half the budget), then each other source
 * whole while it fits its fair share of what is left, the others digested (`digest` gets the source cut to what
 * one call may read).
 */
export async function fitSources(parts: SourceText[], budget: number, digest: (part: SourceText) => Promise<string>): Promise<SourceText[]> {
  const total = parts.reduce((n, p) => n + estimateTokens(p.text), 0);
  if (total <= budget) return parts;
  const out: SourceText[] = [...parts];
  let left = budget;
  parts.forEach((p, i) => {
    if (p.kind !== "request") return;
    out[i] = { ...p, text: cut(p.text, Math.floor(budget / 2)) };
    left -= estimateTokens(out[i]?.text ?? "");
  });
  // Shortest first: small sources fit whole, and what they leave goes to the longer ones.
  const order = parts.map((p, i) => ({ p, i })).filter(({ p }) => p.kind !== "request").sort((a, b) => a.p.text.length - b.p.text.length);
  for (const [n, { p, i }] of order.entries()) {
    const share = Math.floor(left / (order.length - n));
    if (estimateTokens(p.text) > share) {
      out[i] = { kind: p.kind, name: p.name, text: cut(await digest({ ...p, text: cut(p.text, budget) }), share), digest: true };
    }
    left -= estimateTokens(out[i]?.text ?? "");
  }
  return out;
}
