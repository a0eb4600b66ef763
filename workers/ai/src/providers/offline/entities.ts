/**
 * Named things in a request. People, organisations and places come from
 * compromise (English only: on other languages it calls any capitalised word a
 * name); dates from wink-nlp's entity recogniser; money, emails and phone
 * numbers from patterns, which work in any language.
 */
import type { Entities } from "@statex/shared/tasks";
import nlp from "compromise";
import { amountsIn } from "./money";
import type { ItemEntity } from "wink-nlp";
import { wink } from "./wink";

/** Phone numbers: an optional +country code, then 7 to 15 digits in groups split by spaces, dots, dashes or brackets. */
const PHONE = /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){2,4}(?![\w])/g;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
/** Words wink keeps at the edge of a date ("by March 15") that are not part of it. */
const DATE_EDGE = /^(?:by|on|in|until|before|after|from|till|since)\s+/i;

/** Trailing punctuation compromise leaves on a match ("Google," "London.") and surrounding quotes. */
export function clean(value: string): string {
  return value.replace(/^[\s"'“”‘’(]+|[\s.,;:!?"'“”‘’)]+$/g, "");
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values.map(clean).filter(Boolean)) {
    const key = v.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

/** Phone numbers, digits counted so dates and amounts ("2027-03-15", "20 000") are not taken for phones. */
export function phonesIn(text: string): string[] {
  return (text.match(PHONE) ?? []).filter((p) => {
    const digits = p.replace(/\D/g, "").length;
    return digits >= 7 && digits <= 15 && !/^\d{4}-\d{2}-\d{2}$/.test(p) && (p.startsWith("+") || p.startsWith("(") || /[\s.-]/.test(p) || digits >= 9);
  });
}

/** wink's DATE entities, with a year that follows a date ("March 15" "2027") joined to it. */
function datesIn(text: string): string[] {
  const w = wink();
  const doc = w.readDoc(text);
  const found: { type: string; value: string; span: [number, number] }[] = [];
  doc.entities().each((e: ItemEntity) => {
    const detail = e.out(w.its.detail);
    const span = e.out(w.its.span);
    if (typeof detail === "object" && detail !== null && "type" in detail && Array.isArray(span)) {
      found.push({ type: String(detail.type), value: String(detail.value), span: [Number(span[0]), Number(span[1])] });
    }
  });
  const dates: string[] = [];
  let last: { end: number } | undefined;
  for (const e of found) {
    const year = e.type === "CARDINAL" && /^(?:19|20)\d\d$/.test(e.value);
    // wink reads "March 15, 2027" as a DATE and a CARDINAL; a gap of one token is the comma between them.
    if (year && last && e.span[0] - last.end <= 2) {
      dates[dates.length - 1] += `${e.span[0] - last.end === 2 ? "," : ""} ${e.value}`;
      last = undefined;
    } else if (e.type === "DATE") {
      dates.push(e.value.replace(DATE_EDGE, ""));
      last = { end: e.span[1] };
    } else last = undefined;
  }
  return dates;
}

/** The entities of a text; names only for English, patterns for every language. */
export function extractEntities(text: string, language: string): Entities {
  const english = language === "en";
  const doc = english ? nlp(text) : undefined;
  const dates = english ? datesIn(text) : [];
  const emails = unique(text.match(EMAIL) ?? []);
  return {
    people: unique(doc?.people().out("array") ?? []),
    organizations: unique(doc?.organizations().out("array") ?? []),
    places: unique(doc?.places().out("array") ?? []),
    dates: unique(dates),
    money: unique(amountsIn(text).map((a) => a.text)),
    emails,
    // An email's digits are not a phone number.
    phones: unique(phonesIn(emails.reduce((t, e) => t.replace(e, " "), text))),
  };
}
