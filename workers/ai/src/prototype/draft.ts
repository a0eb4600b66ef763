/**
 * The prototype: a markdown draft from the NLP analysis and a template. The
 * sections are computed here; the template arranges them and adds its own
 * category-specific prose. The draft names the template id and version it used.
 */
import { type Category, type NlpResult, PrototypeResult } from "@statex/shared/tasks";
import { type Placeholder, fill } from "@statex/shared/placeholders";
import type { Template } from "../templates/store";
import { architecture, openQuestions, risksOf } from "./sections";
import { estimate, milestones } from "./estimate";
import { essentials, proposeFeatures } from "./features";

const bullets = (items: string[]) => items.map((i) => `- ${i}`).join("\n");

/** Thrown when a template's required field would be empty: the template, not the request, needs fixing. */
export class TemplateError extends Error {}

function understanding(analysis: NlpResult, category: Category): string {
  const found = [
    `Category: **${category}**${analysis.category ? ` (confidence ${analysis.category.confidence.toFixed(2)})` : ""}`,
    `Language: ${analysis.language.code}`,
    analysis.urgency ? `Urgency: ${analysis.urgency.level} (“${analysis.urgency.evidence.join("”, “")}”)` : undefined,
    analysis.budget ? `Budget: ${analysis.budget.amount.toLocaleString("en-US")} ${analysis.budget.currency ?? "(currency not stated)"}` : undefined,
  ].filter((l): l is string => l !== undefined);
  return `> ${analysis.summary.replace(/\n+/g, " ")}\n\n${bullets(found)}`;
}

function named(analysis: NlpResult): string {
  const e = analysis.entities;
  if (!e) return "- Nothing specific named.";
  const rows: [string, string[]][] = [["People", e.people], ["Organisations", e.organizations], ["Places", e.places], ["Dates", e.dates], ["Amounts", e.money]];
  const lines = rows.filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.join(", ")}`);
  return lines.length ? bullets(lines) : "- Nothing specific named.";
}

/** The draft for a request. `text` is the client's own text, which the features are read from too. */
export function draftPrototype(text: string, analysis: NlpResult, template: Template): PrototypeResult {
  const category = analysis.category?.label ?? "other";
  const features = proposeFeatures(text, analysis, category);
  const effort = estimate(category, features.length, analysis.stats.words);
  const questions = analysis.questions?.length ? analysis.questions : openQuestions(analysis, category, category !== "other");
  const plan = milestones(features, effort.highWeeks);
  // The title names what is specific to this request: the first feature beyond the category's essentials.
  const lead = features.find((f) => !essentials(category).includes(f)) ?? features[0] ?? "first version";
  const values: Record<Placeholder, string> = {
    title: `Draft proposal: ${category.replace(/-/g, " ")} — ${lead.toLowerCase()}`,
    summary: understanding(analysis, category),
    category,
    language: analysis.language.code,
    keywords: analysis.keywords.map((k) => k.phrase).join(", ") || "none found",
    entities: named(analysis),
    features: bullets(features),
    architecture: architecture(category, features),
    milestones: plan.map((m, i) => `${i + 1}. ${m}`).join("\n"),
    estimate: `**${effort.lowDays}–${effort.highDays} person-days**, about ${effort.lowWeeks}–${effort.highWeeks} weeks.`,
    assumptions: bullets(effort.assumptions),
    questions: bullets(questions),
    budget: analysis.budget ? `${analysis.budget.amount.toLocaleString("en-US")} ${analysis.budget.currency ?? ""}`.trim() : "not stated",
    urgency: analysis.urgency?.level ?? "not stated",
  };
  const empty = template.requiredFields.filter((f) => f in values && !values[f as Placeholder].trim());
  if (empty.length) throw new TemplateError(`template ${template.slug} v${template.version}: required fields empty: ${empty.join(", ")}`);
  const markdown = `${fill(template.body, values).trim()}\n\n---\n_Drafted from template ${template.slug} (id ${template.id}, version ${template.version})._\n`;
  return PrototypeResult.parse({
    markdown,
    template: { id: template.id, slug: template.slug, version: template.version },
    category,
    features,
    estimate: { lowDays: effort.lowDays, highDays: effort.highDays, assumptions: effort.assumptions },
    questions,
    milestones: plan,
    risks: risksOf(text, analysis, category),
  });
}
