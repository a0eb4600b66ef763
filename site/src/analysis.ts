/**
 * The analysis on the status page (language, summary, key points, the request's category, goals, requirements,
 * constraints, budget and deadline, what it names, the questions to ask next) and the first draft (also while a
 * language model writes it). The analysis is set as text, so nothing the client or a model wrote can become markup;
 * the draft is formatted by the platform's one renderer, which shows any HTML in it as text and keeps only http(s),
 * mailto and relative links, as on the site's pages and in the "ready" email.
 */
import { renderMarkdown } from "@statex/shared/markdown-render";
import { byId } from "./api";

type Entities = Partial<Record<"people" | "organizations" | "products" | "places" | "dates" | "money" | "emails" | "phones", string[]>>;
type Provenance = { provider?: string; model?: string; prompt?: { id: string; version: string } };
/** The analysis (the nlp task's output), and once the job finished the draft and who wrote each part. */
export type Analysis = {
  language?: { code: string };
  summary?: string;
  keywords?: { phrase: string }[];
  category?: { label: string; confidence: number };
  entities?: Entities;
  goals?: string[];
  requirements?: string[];
  constraints?: string[];
  questions?: string[];
  budget?: { amount: number; currency: string | null; evidence: string };
  deadline?: { text: string; date: string | null; evidence: string };
  prototype?: { markdown?: string; template?: { slug: string; version: number } };
  tasks?: { kind: string; provenance: Provenance | null }[];
};

const entityLabels: [keyof Entities, string][] = [
  ["people", "People"], ["organizations", "Organisations"], ["products", "Products and tools"], ["places", "Places"], ["dates", "Dates"], ["money", "Amounts"], ["emails", "Emails"], ["phones", "Phones"],
];

/** A list of plain strings into `<ul id=…>`, its block hidden when there is nothing to show. */
function list(id: string, items: string[] | undefined): void {
  byId(id).replaceChildren(
    ...(items ?? []).map((item) => {
      const li = document.createElement("li");
      li.textContent = item;
      return li;
    }),
  );
  byId(`${id}-block`).hidden = !items?.length;
}

/** A one-line finding (budget, deadline) with the client's own words behind it. */
function line(id: string, text: string | undefined): void {
  byId(id).textContent = text ?? "";
  byId(`${id}-line`).hidden = !text;
}

/** Who wrote the draft, as its provenance says: a language model (and which), or the offline methods. */
function writtenBy(tasks: Analysis["tasks"]): string {
  const provenance = tasks?.find((t) => t.kind === "prototype")?.provenance;
  if (!provenance?.provider) return "";
  return provenance.prompt ? `Written by ${provenance.model ?? provenance.provider}, a language model` : "Written by our offline methods";
}

/** The analysis section: shown as soon as the analysis is done, before the draft that builds on it. */
export function renderAnalysis(result: Analysis): void {
  byId("result").hidden = false;
  byId("language").textContent = result.language?.code ?? "unknown";
  byId("summary").textContent = result.summary ?? "";
  byId("keywords").replaceChildren(
    ...(result.keywords ?? []).map((k) => {
      const li = document.createElement("li");
      li.textContent = k.phrase;
      return li;
    }),
  );
  byId("category").textContent = result.category ? `${result.category.label} (${Math.round(result.category.confidence * 100)}% sure)` : "—";
  const rows = entityLabels.filter(([key]) => (result.entities?.[key] ?? []).length > 0).map(([key, label]) => {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = `${label}: `;
    li.append(name, (result.entities?.[key] ?? []).join(", "));
    return li;
  });
  byId("entities").replaceChildren(...rows);
  byId("entities-block").hidden = rows.length === 0;
  list("goals", result.goals);
  list("requirements", result.requirements);
  list("constraints", result.constraints);
  list("questions", result.questions);
  const budget = result.budget;
  line("budget", budget ? `${budget.amount.toLocaleString("en-US")} ${budget.currency ?? "(currency not stated)"} — “${budget.evidence}”` : undefined);
  const deadline = result.deadline;
  line("deadline", deadline ? `${deadline.date ?? deadline.text} — “${deadline.evidence}”` : undefined);
}

/** The finished draft, and who wrote it on which of the studio's outlines; hidden when the job has none. */
export function renderDraft(result: Analysis): void {
  const draft = result.prototype?.markdown;
  if (draft) showDraft(draft, false);
  else byId("draft-block").hidden = true;
  const template = result.prototype?.template;
  const said = [writtenBy(result.tasks), template ? `following our “${template.slug}” proposal outline, version ${template.version}` : ""].filter(Boolean).join(", ");
  // Either part may be missing (a result stored before provenance named its writer): the line starts with the other.
  byId("draft-template").textContent = said && `${said.charAt(0).toUpperCase()}${said.slice(1)}.`;
}

/** The draft formatted: finished, or as a language model is still writing it. Its heading ids are prefixed: the page has ids of its own. */
export function showDraft(markdown: string, writing: boolean): void {
  byId("draft-block").hidden = false;
  byId("draft-live").hidden = !writing;
  byId("draft").innerHTML = renderMarkdown(markdown, { idPrefix: "draft-", siteOrigin: location.origin }).html;
}
