/**
 * The effort estimate and milestones, by fixed rules so the same request
 * always gets the same numbers and every number can be explained: a base for
 * the category, days per feature, a factor for how much detail the text
 * gives, and a range for what is not yet known. The rules are the assumptions.
 */
import type { Category, PrototypeResult } from "@statex/shared/tasks";

/** Person-days for the category's groundwork: setup, design system, deployment, project management. */
const BASE_DAYS: Record<Category, number> = {
  website: 8, "mobile-app": 20, "automation-bot": 6, "data-dashboards": 10, "ai-assistant": 12, "e-commerce": 15, integration: 8, other: 5,
};
const DAYS_PER_FEATURE: Record<Category, number> = {
  website: 2, "mobile-app": 4, "automation-bot": 2, "data-dashboards": 3, "ai-assistant": 4, "e-commerce": 3, integration: 3, other: 2,
};
const TEAM = 2;
const LOW = 0.8;
const HIGH = 1.3;

export type Estimate = PrototypeResult["estimate"] & { lowWeeks: number; highWeeks: number };

/** A long description usually means more requirements than the feature list caught. */
function detailFactor(words: number): number {
  return words > 400 ? 1.3 : words > 150 ? 1.15 : 1;
}

export function estimate(category: Category, featureCount: number, words: number): Estimate {
  const factor = detailFactor(words);
  const days = (BASE_DAYS[category] + featureCount * DAYS_PER_FEATURE[category]) * factor;
  const lowDays = Math.round(days * LOW);
  const highDays = Math.round(days * HIGH);
  const weeks = (d: number) => Math.max(1, Math.ceil(d / TEAM / 5));
  return {
    lowDays,
    highDays,
    lowWeeks: weeks(lowDays),
    highWeeks: weeks(highDays),
    assumptions: [
      `Groundwork for a ${category} project: ${BASE_DAYS[category]} person-days (setup, design, deployment, coordination).`,
      `${featureCount} features at about ${DAYS_PER_FEATURE[category]} person-days each, including tests.`,
      factor > 1 ? `The description runs to ${words} words, which suggests more detail: ×${factor}.` : `The description is short (${words} words): no allowance for hidden detail.`,
      `The range is −${Math.round((1 - LOW) * 100)}% / +${Math.round((HIGH - 1) * 100)}% around that, for what is not yet known.`,
      `A team of ${TEAM} working full time; weeks are person-days ÷ ${TEAM} ÷ 5.`,
      "Content, licences, hosting fees and third-party costs are not included.",
    ],
  };
}

/** The milestones over the high estimate's weeks: discovery, two build iterations, launch. */
export function milestones(features: string[], highWeeks: number): string[] {
  const discovery = Math.max(1, Math.round(highWeeks * 0.15));
  const launch = Math.max(1, Math.round(highWeeks * 0.15));
  const build = Math.max(2, highWeeks - discovery - launch);
  const half = Math.ceil(features.length / 2);
  const first = discovery + Math.ceil(build / 2);
  const second = discovery + build;
  const span = (from: number, to: number) => (from === to ? `week ${from}` : `weeks ${from}–${to}`);
  return [
    `**Discovery and design** (${span(1, discovery)}): confirm scope, answer the open questions, wireframes.`,
    `**Build, iteration 1** (${span(discovery + 1, first)}): ${features.slice(0, half).join("; ") || "core flows"}.`,
    `**Build, iteration 2** (${span(first + 1, second)}): ${features.slice(half).join("; ") || "polish and edge cases"}.`,
    `**Testing, launch and handover** (${span(second + 1, second + launch)}): acceptance tests, go-live, documentation.`,
  ];
}
