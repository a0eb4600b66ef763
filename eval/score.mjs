// How `npm run eval` scores one analysis against its labels, and adds the scores up. The rules are written so that a
// reader can check any verdict by hand from the report, and so that they neither favour an analysis that quotes the
// client (the offline methods) nor one that rewrites in English (a language model).
import { z } from "zod";

// ── the labels ─────────────────────────────────────────────────────────────────────────────────────────────────

const Phrasings = z.array(z.string().min(2)).min(1);

/** The shape every labelled request must have; checked before a run, so a mistyped label fails loudly. */
export function labelledRequest(categories) {
  return z
    .object({
      id: z.string().regex(/^[a-z0-9-]+$/),
      style: z.enum(["web form", "email", "chat message", "voice note", "document", "injection"]),
      text: z.string().min(1).optional(),
      parts: z.array(z.object({ kind: z.enum(["request", "transcript", "document"]), name: z.string().min(1), text: z.string().min(1) })).min(1).optional(),
      expect: z.object({
        category: z.enum(categories),
        language: z.string().regex(/^[a-z]{2}$/),
        budget: z.object({ min: z.number().positive(), max: z.number().positive(), currency: z.string().regex(/^[A-Z]{3}$/).nullable() }).refine((b) => b.min <= b.max, "min above max").nullable(),
        deadline: z.object({ text: z.string().min(1), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable() }).nullable(),
        requirements: z.array(Phrasings).min(3).max(6),
      }),
      note: z.string().optional(),
    })
    .refine((r) => (r.text === undefined) !== (r.parts === undefined), "exactly one of text and parts");
}

/** The text the ai worker would be given, and where each part of it came from (its `sources`). */
export function inputOf(request) {
  if (request.text !== undefined) return { text: request.text, sources: undefined };
  return {
    text: request.parts.map((p) => p.text).join("\n\n"),
    sources: request.parts.map((p) => ({ kind: p.kind, name: p.name, chars: p.text.length })),
  };
}

// ── requirement matching ───────────────────────────────────────────────────────────────────────────────────────

// Function words of the dataset's languages, and the verbs of wanting and needing, which say nothing about what is
// wanted. Only a labelled phrase's words are filtered; an analysis' words are all compared. Written plainly and
// folded like the words they meet.
const STOPWORDS_TEXT = `a an the and or of for to in on at with by from per via as is are was be been its it their our your own
  i we us you they them this that these those what which who when where why how each every all any no not only
  into than against off need needs must should want wants can could would will like also so
  der die das den dem des ein eine einer eines einen und oder für mit von zu im am auf aus bei nach nicht
  le la les l un une des du de d et ou pour avec en au aux par sur dans ces nos
  el los las del y o con por al su sus un una
  il lo gli i di del della e da dal nel
  het een en van voor met op bij te naar
  o os as do da dos das no na em um uma ou com
  w z na do dla oraz lub bez nie`;

/** Lower case, accents folded (é → e, ß → ss), split into runs of letters and digits. */
export function tokens(text) {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .replace(/ł/g, "l")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const STOPWORDS = new Set(tokens(STOPWORDS_TEXT));

/** The words of a labelled phrase that must be found: no function words, no single characters. */
export function contentWords(phrase) {
  return [...new Set(tokens(phrase).filter((w) => w.length > 1 && !STOPWORDS.has(w)))];
}

/**
 * Whether two words are the same word as far as a crude stemmer can tell: equal; or, for words of four letters or
 * more, one a prefix of the other (book · booking, remind · reminders, Buchung · Buchungen); or sharing their first
 * six letters (integrate · integration, synchronise · synchronisation, réservation · réserver). Three-letter words
 * (API, CRM, app) match themselves and their plural only.
 */
export function sameWord(a, b) {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 4) return long === `${short}s`;
  if (long.startsWith(short)) return true;
  return short.length >= 6 && long.slice(0, 6) === short.slice(0, 6);
}

/** How many of a phrase's content words appear in one item of an analysis. */
function hitsIn(words, itemWords) {
  return words.filter((w) => itemWords.some((t) => sameWord(w, t))).length;
}

/**
 * The items of an analysis a requirement may be found in, each read on its own: every goal, requirement and
 * constraint, every keyword phrase, and the summary as one item.
 */
export function itemsOf(output) {
  const list = (v) => (Array.isArray(v) ? v.filter((s) => typeof s === "string") : []);
  const keywords = Array.isArray(output?.keywords) ? output.keywords.map((k) => k?.phrase).filter((s) => typeof s === "string") : [];
  const summary = typeof output?.summary === "string" && output.summary ? [output.summary] : [];
  return [
    ...list(output?.requirements).map((text) => ({ field: "requirements", text })),
    ...list(output?.goals).map((text) => ({ field: "goals", text })),
    ...list(output?.constraints).map((text) => ({ field: "constraints", text })),
    ...keywords.map((text) => ({ field: "keywords", text })),
    ...summary.map((text) => ({ field: "summary", text })),
  ];
}

/**
 * A labelled requirement is found when, for one of its phrasings, more than half of that phrasing's content words
 * (both of two, two of three, three of four or five) appear in a single item. Returns the item that showed it.
 */
export function findRequirement(phrasings, items) {
  const read = items.map((item) => ({ ...item, words: tokens(item.text) }));
  for (const phrasing of phrasings) {
    const words = contentWords(phrasing);
    const item = read.find((it) => hitsIn(words, it.words) * 2 > words.length);
    if (item) return { phrasing, field: item.field, text: item.text };
  }
  return null;
}

// ── one request's scores ───────────────────────────────────────────────────────────────────────────────────────

/** "pt-BR" and "PT" both read as "pt". */
const languageOf = (code) => (typeof code === "string" ? code.toLowerCase().split(/[-_]/)[0] : null);

/**
 * The budget verdict: "right" (amount within 1% of the label, anywhere in a labelled range, and the same currency,
 * where an unnamed currency must stay null), "wrong-amount", "wrong-currency", "missed" (stated, not found),
 * "invented" (found where none is stated) or "none" (rightly none).
 */
export function budgetVerdict(expected, found) {
  const has = found && typeof found === "object" && typeof found.amount === "number";
  if (!expected) return has ? "invented" : "none";
  if (!has) return "missed";
  if (found.amount < expected.min * 0.99 || found.amount > expected.max * 1.01) return "wrong-amount";
  const currency = typeof found.currency === "string" && found.currency ? found.currency.toUpperCase() : null;
  return currency === expected.currency ? "right" : "wrong-currency";
}

/**
 * The deadline verdict: "right" (stated and found, and the same date where the label names a day), "wrong-date",
 * "missed", "invented" or "none". Where the label has no day, any date the analysis gives is left unjudged.
 */
export function deadlineVerdict(expected, found) {
  const has = found && typeof found === "object" && typeof found.text === "string";
  if (!expected) return has ? "invented" : "none";
  if (!has) return "missed";
  if (expected.date && found.date !== expected.date) return "wrong-date";
  return "right";
}

/** The fields an analysis states requirements in, as against the keywords and summary that describe the text. */
const STRUCTURED = ["requirements", "goals", "constraints"];

/**
 * Every score of one analysis against its labels. Besides the recall by the rule above, the requirements score
 * says how many were found in the structured fields alone, and how many the request's own text would show if it
 * were the whole analysis: the recall that merely repeating the client earns, against which the rest is read.
 */
export function scoreOne(request, run, nlpSchema) {
  const { expect } = request;
  const output = run.output ?? null;
  const schemaCheck = output ? nlpSchema.safeParse(output) : null;
  const items = itemsOf(output);
  const structured = items.filter((it) => STRUCTURED.includes(it.field));
  const echo = [{ field: "request", text: inputOf(request).text }];
  const requirements = expect.requirements.map((phrasings) => ({
    label: phrasings[0],
    found: findRequirement(phrasings, items),
    inStructured: findRequirement(phrasings, structured) !== null,
    inRequest: findRequirement(phrasings, echo) !== null,
  }));
  return {
    category: { expected: expect.category, got: output?.category?.label ?? null, right: output?.category?.label === expect.category },
    language: { expected: expect.language, got: languageOf(output?.language?.code), right: languageOf(output?.language?.code) === expect.language },
    budget: { expected: expect.budget, got: output?.budget ?? null, verdict: budgetVerdict(expect.budget, output?.budget) },
    deadline: { expected: expect.deadline, got: output?.deadline ?? null, verdict: deadlineVerdict(expect.deadline, output?.deadline) },
    requirements: {
      found: requirements.filter((r) => r.found).length,
      structured: requirements.filter((r) => r.inStructured).length,
      echo: requirements.filter((r) => r.inRequest).length,
      total: requirements.length,
      each: requirements,
    },
    schema: { valid: schemaCheck?.success ?? false, issues: schemaCheck && !schemaCheck.success ? schemaCheck.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) : [] },
    tokens: { input: run.usage?.inputTokens ?? 0, output: run.usage?.outputTokens ?? 0, total: (run.usage?.inputTokens ?? 0) + (run.usage?.outputTokens ?? 0) },
  };
}

// ── totals ─────────────────────────────────────────────────────────────────────────────────────────────────────

const rate = (n, d) => ({ n, of: d, rate: d ? Math.round((n / d) * 1000) / 1000 : null });

function countBy(rows, key) {
  const counts = {};
  for (const r of rows) counts[key(r)] = (counts[key(r)] ?? 0) + 1;
  return counts;
}

/** Accuracy of one score within each group (per category, per language). */
function perGroup(rows, group, right) {
  const out = {};
  for (const r of rows) {
    const g = (out[group(r)] ??= { n: 0, of: 0 });
    g.of++;
    if (right(r)) g.n++;
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, rate(v.n, v.of)]));
}

/** The run's totals; `rows` are `{ request, scores }` for every request, failed runs included. */
export function summarise(rows) {
  const s = rows.map((r) => r.scores);
  const stated = (key) => s.filter((x) => x[key].expected);
  const unstated = (key) => s.filter((x) => !x[key].expected);
  const verdicts = (key) => countBy(s, (x) => x[key].verdict);
  const tokens = s.map((x) => x.tokens.total);
  return {
    requests: rows.length,
    category: { ...rate(s.filter((x) => x.category.right).length, s.length), byCategory: perGroup(rows, (r) => r.request.expect.category, (r) => r.scores.category.right) },
    language: { ...rate(s.filter((x) => x.language.right).length, s.length), byLanguage: perGroup(rows, (r) => r.request.expect.language, (r) => r.scores.language.right) },
    budget: {
      ...rate(s.filter((x) => ["right", "none"].includes(x.budget.verdict)).length, s.length),
      statedRight: rate(stated("budget").filter((x) => x.budget.verdict === "right").length, stated("budget").length),
      invented: rate(unstated("budget").filter((x) => x.budget.verdict === "invented").length, unstated("budget").length),
      verdicts: verdicts("budget"),
    },
    deadline: {
      ...rate(s.filter((x) => ["right", "none"].includes(x.deadline.verdict)).length, s.length),
      statedFound: rate(stated("deadline").filter((x) => ["right", "wrong-date"].includes(x.deadline.verdict)).length, stated("deadline").length),
      dateRight: rate(
        s.filter((x) => x.deadline.expected?.date && x.deadline.verdict === "right").length,
        s.filter((x) => x.deadline.expected?.date).length,
      ),
      invented: rate(unstated("deadline").filter((x) => x.deadline.verdict === "invented").length, unstated("deadline").length),
      verdicts: verdicts("deadline"),
    },
    requirements: {
      ...rate(
        s.reduce((a, x) => a + x.requirements.found, 0),
        s.reduce((a, x) => a + x.requirements.total, 0),
      ),
      structured: rate(
        s.reduce((a, x) => a + x.requirements.structured, 0),
        s.reduce((a, x) => a + x.requirements.total, 0),
      ),
      echo: rate(
        s.reduce((a, x) => a + x.requirements.echo, 0),
        s.reduce((a, x) => a + x.requirements.total, 0),
      ),
      byLanguage: Object.fromEntries(
        Object.entries(Object.groupBy(rows, (r) => r.request.expect.language)).map(([lang, group]) => [
          lang,
          rate(
            group.reduce((a, r) => a + r.scores.requirements.found, 0),
            group.reduce((a, r) => a + r.scores.requirements.total, 0),
          ),
        ]),
      ),
    },
    schema: rate(s.filter((x) => x.schema.valid).length, s.length),
    tokens: { total: tokens.reduce((a, b) => a + b, 0), perRequest: Math.round(tokens.reduce((a, b) => a + b, 0) / Math.max(1, tokens.length)), max: Math.max(0, ...tokens) },
  };
}
