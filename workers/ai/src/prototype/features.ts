/**
 * The proposed features: the category's essentials, then capabilities
 * recognised in the client's text and key phrases (a lexicon of what requests
 * typically ask for) and in what they name. Raw key phrases are not turned into
 * features: "dental clinic" is context, not scope, and the draft lists them
 * under the understanding of the need instead. Deterministic and capped.
 */
import type { Category, NlpResult } from "@statex/shared/tasks";

const MAX_FEATURES = 8;

/** Patterns over the request text and its keywords, and the feature each implies. */
const LEXICON: [RegExp, string][] = [
  [/\b(?:book(?:ing|ings)?|appointments?|reservations?|schedul\w*)\b/i, "Online booking with availability and confirmations"],
  [/\b(?:log ?in|sign[ -]?(?:in|up)|accounts?|members?|registration|profiles?)\b/i, "User accounts and sign-in"],
  [/\b(?:pay(?:ment|ments)?|checkout|stripe|paypal|cards?|invoices?|billing|subscriptions?)\b/i, "Payments and invoicing"],
  [/\b(?:cart|basket|catalogue|catalog|products?|stock|inventory)\b/i, "Product catalogue and stock"],
  [/\b(?:remind\w*|notif\w*|alerts?|push|sms|e-?mails?|newsletters?)\b/i, "Notifications and reminders (email, SMS or push)"],
  [/\b(?:dashboards?|reports?|reporting|charts?|analytics|kpis?|metrics)\b/i, "Reports and dashboards"],
  [/\b(?:admin|back ?office|staff|manage\w*|cms|edit)\b/i, "Admin area for staff"],
  [/\b(?:search|filters?)\b/i, "Search and filters"],
  [/\b(?:crm|erp|api|apis|integrat\w*|sync\w*|connect\w*|webhooks?|salesforce|hubspot|sap)\b/i, "Integration with existing systems"],
  [/\b(?:chat\w*|bots?|assistant|telegram|whatsapp|slack|conversation\w*)\b/i, "Conversational interface"],
  [/\b(?:ai|gpt|llm|machine learning|model|classif\w*|summar\w*)\b/i, "AI model with guardrails and evaluation"],
  [/\b(?:multilingual|languages?|translat\w*)\b/i, "Multiple languages"],
  [/\b(?:offline)\b/i, "Offline use"],
  [/\b(?:maps?|gps|locations?|delivery|shipping)\b/i, "Locations, delivery and shipping"],
  [/\b(?:upload\w*|documents?|files?|photos?|camera)\b/i, "Files and photos"],
  [/\b(?:automat\w*|workflows?|scripts?|cron|schedule[ds]?)\b/i, "Automated workflow with error alerts"],
  [/\b(?:seo|search engines?|blog|content)\b/i, "Content pages, blog and SEO"],
];

/** What every project of a category has even when the text names nothing specific. */
const DEFAULTS: Record<Category, string[]> = {
  website: ["Page structure and navigation", "Contact form"],
  "mobile-app": ["App screens and navigation", "App store release"],
  "automation-bot": ["Automated workflow with error alerts"],
  "data-dashboards": ["Reports and dashboards", "Data import and refresh"],
  "ai-assistant": ["AI model with guardrails and evaluation", "Conversational interface"],
  "e-commerce": ["Product catalogue and stock", "Cart and checkout", "Payments and invoicing"],
  integration: ["Integration with existing systems", "Sync monitoring and retries"],
  other: ["Scope definition workshop"],
};

/** What every project of the category includes. */
export function essentials(category: Category): readonly string[] {
  return DEFAULTS[category];
}

/** The features for a request: category essentials first, then what the text, its key phrases and its entities ask for. */
export function proposeFeatures(text: string, analysis: NlpResult, category: Category): string[] {
  const features = [...DEFAULTS[category]];
  const add = (f: string) => {
    if (!features.includes(f)) features.push(f);
  };
  const haystack = [text, ...analysis.keywords.map((k) => k.phrase)].join("\n");
  for (const [pattern, feature] of LEXICON) if (pattern.test(haystack)) add(feature);
  if ((analysis.entities?.places.length ?? 0) > 1) add("Several locations or branches");
  return features.slice(0, MAX_FEATURES);
}
