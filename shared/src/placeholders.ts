/**
 * Template placeholders: `{{name}}` in a template body, filled by the prototype
 * from the analysis. The names are a fixed vocabulary, so an author's typo is
 * refused when the template is saved, not discovered in a client's draft. Shared: the template schemas of the
 * public API (shared/src/api/templates.ts) check against them, and the ai worker fills them.
 */

/** Every placeholder a template may use, and what the prototype puts there. */
export const PLACEHOLDERS = {
  title: "a one-line title for the draft",
  summary: "the understanding of the need: the request's summary and what the analysis found",
  category: "the request's category",
  language: "the request's language code",
  keywords: "the key phrases, comma-separated",
  entities: "the people, organisations, places and dates named, as a list",
  features: "the proposed features, as a list",
  architecture: "an architecture sketch for the category and features",
  milestones: "the milestones with their weeks",
  estimate: "the effort estimate in person-days and weeks",
  assumptions: "the assumptions behind the estimate, as a list",
  questions: "open questions for the client, as a list",
  budget: "the budget the client stated, or that none was",
  urgency: "the urgency the client stated, or that none was",
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;
export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as Placeholder[];

const PATTERN = /\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g;

export function isPlaceholder(name: string): name is Placeholder {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** The placeholder names a body uses, each once, in order of first use. */
export function placeholdersIn(body: string): string[] {
  return [...new Set([...body.matchAll(PATTERN)].map((m) => m[1] ?? ""))];
}

/**
 * The body with every placeholder replaced. A value is inserted as given, never re-scanned, so
 * a client's text that contains "{{…}}" stays as written.
 */
export function fill(body: string, values: Readonly<Record<Placeholder, string>>): string {
  return body.replace(PATTERN, (whole, name: string) => (isPlaceholder(name) ? values[name] : whole));
}
