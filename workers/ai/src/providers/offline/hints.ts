/**
 * Urgency and budget, only when the client states them. Patterns, not a model:
 * the evidence is the client's own words, so ops can see why a hint was given.
 * English patterns; other languages simply yield no hint.
 */
import type { NlpResult } from "@statex/shared/tasks";
import { amountsIn, multiplier, parseNumber } from "./money";
import { sentences } from "./text";

export type Urgency = NonNullable<NlpResult["urgency"]>;
export type Budget = NonNullable<NlpResult["budget"]>;

const MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/** Checked from the calmest level up, so "not urgent" is read as low before "urgent" can count as high. */
const URGENCY: [Urgency["level"], RegExp][] = [
  ["low", /\b(?:no rush|not urgent|no hurry|whenever (?:you|it)|flexible (?:on|with) (?:time|timing|the deadline)|no (?:fixed |hard )?deadline)\b/gi],
  ["high", /\b(?:asap|a\.s\.a\.p\.?|as soon as possible|urgent(?:ly)?|immediately|right away|critical|emergency|by (?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|end of (?:the )?week)|this week|within (?:\d+|a few|one|two|three) (?:hours?|days?))\b/gi],
  ["medium", new RegExp(`\\b(?:deadline|due (?:date|by)|launch (?:date|in|by)|go live (?:in|by|on) \\w+|before (?:${MONTHS}|the end of)|by (?:the end of |end of )?(?:${MONTHS}|q[1-4]|next (?:week|month)|\\d{1,2}(?:st|nd|rd|th)? (?:${MONTHS}))|within (?:\\d+|a few|one|two|three|six) (?:weeks?|months?)|next month|this month)\\b`, "gi")],
];

/** How pressing the request is, or undefined when the text says nothing about time. */
export function urgencyOf(text: string): Urgency | undefined {
  for (const [level, pattern] of URGENCY) {
    const evidence = [...new Set([...text.matchAll(pattern)].map((m) => m[0].toLowerCase()))];
    if (evidence.length) {
      // "No deadline" and "deadline" both match; the calmer statement is the one the client made.
      return { level, evidence };
    }
  }
  return undefined;
}

const BUDGET_WORDS = /\b(?:budget|spend|afford|cost|costs|price|pay|invest|up to|maximum|max|at most|around|about|roughly|approximately|no more than)\b/i;
/** A bare number right after the word budget ("budget of 20k"), taken when no currency is named. */
const BARE_BUDGET = /\bbudget\b[^.\d]{0,30}?(?<n>\d[\d,.]*\d|\d)(?<k>\s?[kKmM]\b)?/i;

/** The first amount stated in a sentence that speaks of budget or cost, or undefined. */
export function budgetOf(text: string): Budget | undefined {
  for (const sentence of sentences(text)) {
    if (!BUDGET_WORDS.test(sentence)) continue;
    const [first] = amountsIn(sentence);
    if (first) return { amount: first.amount, currency: first.currency, evidence: sentence };
    const bare = BARE_BUDGET.exec(sentence)?.groups;
    if (bare?.n) {
      const amount = parseNumber(bare.n) * multiplier(bare.k);
      if (Number.isFinite(amount) && amount > 0) return { amount, currency: null, evidence: sentence };
    }
  }
  return undefined;
}
