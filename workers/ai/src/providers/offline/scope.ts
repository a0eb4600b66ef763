/**
 * Goals, requirements, constraints and the deadline, from cue words: the sentences that state them, as the client
 * wrote them. Patterns, not a model, and English ones: other languages simply yield fewer findings. A language
 * model on the chain does this properly; this is what the offline link can still say.
 */
import type { NlpResult } from "@statex/shared/tasks";
import { sentences } from "./text";

export type Deadline = NonNullable<NlpResult["deadline"]>;

const REQUIREMENT = /\b(?:need|needs|needed|must(?! not)|should|want|wants|would like|require[sd]?|has to|have to|looking for|able to|allow(?:s|ing)?|let (?:us|them|customers|clients|users|staff)|include|includes|support|supports)\b/i;
const GOAL = /\b(?:so that|in order to|goal|aim|objective|we hope to|help us|to (?:increase|reduce|improve|grow|save|cut|boost|attract|get more|win|speed up|automate|replace))\b/i;
const CONSTRAINT = /\b(?:must not|mustn't|cannot|can't|may not|only|without|no more than|at most|comply|compliance|gdpr|hipaa|pci|on-?premises?|self-hosted|existing|legacy|must (?:use|run|integrate|work with|stay|be hosted)|in-house|our (?:it|dev|development) team)\b/i;

const MAX_ITEMS = 8;
const MAX_CHARS = 240;

function matching(list: string[], pattern: RegExp, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const s of list) {
    const sentence = s.trim().replace(/\s+/g, " ");
    if (!pattern.test(sentence) || skip.has(sentence) || out.includes(sentence)) continue;
    out.push(sentence.length > MAX_CHARS ? `${sentence.slice(0, MAX_CHARS - 1)}…` : sentence);
    if (out.length === MAX_ITEMS) break;
  }
  return out;
}

/** The sentences that state goals, requirements and constraints; a sentence counts once, as a constraint first. */
export function scopeOf(text: string): Pick<NlpResult, "goals" | "requirements" | "constraints"> {
  const list = sentences(text);
  const constraints = matching(list, CONSTRAINT);
  const goals = matching(list, GOAL, new Set(constraints));
  const requirements = matching(list, REQUIREMENT, new Set([...constraints, ...goals]));
  return { goals, requirements, constraints };
}

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const DAY = "\\d{1,2}(?:st|nd|rd|th)?";
const DATE = `(?:\\d{4}-\\d{2}-\\d{2}|${DAY} (?:of )?(?:${MONTH})(?:,? \\d{4})?|(?:${MONTH}) ${DAY}(?:,? \\d{4})?|(?:the )?(?:end|start|beginning|middle) of (?:${MONTH}|q[1-4]|the year|next month)(?: \\d{4})?|(?:${MONTH})(?: \\d{4})?|q[1-4](?: \\d{4})?|christmas|easter|summer|autumn|spring|winter|next (?:week|month|year))`;
const DEADLINE = new RegExp(
  `\\b(?:(?:by|before|until|no later than|in time for|ready (?:by|for|in)|live (?:by|in|on)|launch(?:ed)? (?:by|in|on|before)|deadline(?: is| of)?:?|due(?: by| on)?)\\s+${DATE}|within (?:\\d+|a few|one|two|three|four|six|eight|twelve) (?:days?|weeks?|months?)|in (?:\\d+|two|three|four|six|eight|twelve) (?:weeks?|months?))\\b`,
  "i",
);

/** The day a phrase pins down, as YYYY-MM-DD: only an ISO date, or a day, a month and a year. */
function isoDate(phrase: string): string | null {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(phrase);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const dayFirst = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH}),? (\\d{4})\\b`, "i").exec(phrase);
  const monthFirst = new RegExp(`\\b(${MONTH}) (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`, "i").exec(phrase);
  const [day, month, year] = dayFirst ? [dayFirst[1], dayFirst[2], dayFirst[3]] : monthFirst ? [monthFirst[2], monthFirst[1], monthFirst[3]] : [];
  if (!day || !month || !year) return null;
  const m = MONTH_NAMES.findIndex((name) => name.startsWith(month.toLowerCase().slice(0, 3))) + 1;
  const d = Number(day);
  if (m < 1 || d < 1 || d > 31) return null;
  return `${year}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** When the client says it must be ready, or undefined when the text says nothing of it. */
export function deadlineOf(text: string): Deadline | undefined {
  for (const sentence of sentences(text)) {
    const match = DEADLINE.exec(sentence);
    if (!match) continue;
    return { text: match[0], date: isoDate(match[0]), evidence: sentence.trim().slice(0, MAX_CHARS) };
  }
  return undefined;
}
