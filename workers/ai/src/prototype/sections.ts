/**
 * The architecture sketch and the open questions: rules over the category,
 * the proposed features and what the analysis found (or did not find).
 */
import type { Category, NlpResult } from "@statex/shared/tasks";

/** The shape of a typical solution of each category, as the components a client can recognise. */
const SHAPES: Record<Category, string[]> = {
  website: ["Browser", "Static pages on a CDN", "Edge functions (forms, API)", "Database"],
  "mobile-app": ["iOS / Android app (one cross-platform codebase)", "API on the edge", "Database and file storage", "Push notification service"],
  "automation-bot": ["Trigger (schedule, message or webhook)", "Workflow worker with retries", "The tools it connects", "Alerts to a person on failure"],
  "data-dashboards": ["Data sources", "Scheduled import and cleaning", "Analytics database", "Dashboard web app"],
  "ai-assistant": ["Chat widget or channel", "Assistant service (prompting, guardrails)", "Knowledge index over your documents", "Language model provider"],
  "e-commerce": ["Storefront", "Cart and checkout API", "Catalogue, orders and customers database", "Payment provider"],
  integration: ["System A", "Integration service (mapping, retries, audit log)", "System B", "Monitoring and alerts"],
  other: ["To be defined in discovery"],
};

/** Components a feature adds beyond the category's shape. */
const EXTRAS: [RegExp, string][] = [
  [/payments/i, "Payment provider (e.g. Stripe)"],
  [/email|notifications/i, "Email / notification delivery"],
  [/accounts/i, "Authentication"],
  [/integration/i, "Connectors to your existing systems"],
  [/reports|dashboards/i, "Reporting views"],
  [/files|photos/i, "File storage"],
];

export function architecture(category: Category, features: string[]): string {
  const shape = SHAPES[category];
  const extras = EXTRAS.filter(([p, c]) => features.some((f) => p.test(f)) && !shape.some((s) => s.toLowerCase() === c.toLowerCase())).map(([, c]) => c);
  const flow = shape.join(" → ");
  return ["```text", flow, ...extras.map((e) => `  + ${e}`), "```"].join("\n");
}

const CATEGORY_QUESTIONS: Record<Category, string> = {
  website: "Do you already have the content (texts, photos), a domain and a brand guide?",
  "mobile-app": "Which platforms do you need (iOS, Android or both), and must the app work offline?",
  "automation-bot": "Which tools and accounts does the process touch today, and who handles the cases it cannot?",
  "data-dashboards": "Where does the data live today, who may see which figures, and how fresh must they be?",
  "ai-assistant": "Which sources may the assistant use, and what must it never answer or do?",
  "e-commerce": "How many products, which payment methods and which shipping regions?",
  integration: "Which systems exactly, do they offer APIs, and which one is the source of truth for each record?",
  other: "Could you describe the outcome you expect and how you will judge success?",
};

/** The questions to settle before a fixed offer: category specifics, then what the request left unsaid. */
export function openQuestions(analysis: NlpResult, category: Category, confident: boolean): string[] {
  const questions = [CATEGORY_QUESTIONS[category]];
  if (!confident) questions.push("We read this as a general request: which best describes it — a website, an app, an automation, dashboards, an AI assistant, an online shop or an integration?");
  if (!analysis.budget) questions.push("What budget range do you have in mind?");
  if (!analysis.urgency) questions.push("When do you need it live, and is a fixed date driving that?");
  const org = analysis.entities?.organizations[0];
  questions.push(org ? `Who at ${org} decides on scope and accepts the result?` : "Who on your side decides on scope and accepts the result?");
  if (analysis.language.code !== "en" && analysis.language.code !== "und") {
    questions.push(`Should the product and its documentation be in your language (${analysis.language.code}) as well as English?`);
  }
  return questions;
}

const PERSONAL = /\b(?:personal data|gdpr|privacy|patients?|health|medical|customers?'? data|addresses|birth|passport|sign[ -]?(?:in|up)|accounts?|profiles?|payments?)\b/i;

/** What could derail the first version, from the request's text and what the analysis found (or did not). */
export function risksOf(text: string, analysis: NlpResult, category: Category): string[] {
  const risks: string[] = [];
  const stated = [text, ...(analysis.requirements ?? []), ...(analysis.constraints ?? [])].join(" ");
  if (category === "integration" || /\b(?:integrat\w*|api|existing|legacy|sync\w*)\b/i.test(stated)) {
    risks.push("Integrations depend on the other systems' APIs and on access being granted in time: an unknown there moves the estimate most.");
  }
  if (!analysis.budget) risks.push("No budget is stated: the scope may have to shrink once one is known.");
  if (analysis.deadline || analysis.urgency?.level === "high") risks.push("The timeline is tight for the scope: a fixed date may force a smaller first release.");
  if (PERSONAL.test(stated) || (analysis.entities?.emails.length ?? 0) > 0 || (analysis.entities?.phones.length ?? 0) > 0) {
    risks.push("Personal data is involved: data protection terms, access rules and retention must be settled before the build.");
  }
  if (!risks.length) risks.push("Requirements not yet stated may surface in discovery and change the estimate.");
  return risks;
}
