/**
 * The richer parts of a finished analysis on the status page: the request's category, goals, requirements,
 * constraints, budget and deadline, what it names, the questions to ask next, and the first draft (also while a
 * language model writes it). Everything is set as text, so nothing the client, a template author or a model wrote
 * can become markup; the draft's markdown is shown as written, which reads well without rendering.
 */
import { byId } from "./api";

type Entities = Partial<Record<"people" | "organizations" | "products" | "places" | "dates" | "money" | "emails" | "phones", string[]>>;
type Provenance = { provider?: string; model?: string; prompt?: { id: string; version: string } };
export type AnalysisExtras = {
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
function writtenBy(tasks: AnalysisExtras["tasks"]): string {
  const provenance = tasks?.find((t) => t.kind === "prototype")?.provenance;
  if (!provenance?.provider) return "";
  return provenance.prompt ? ` Written by ${provenance.model ?? provenance.provider}.` : " Written by our offline methods.";
}

export function renderAnalysisExtras(result: AnalysisExtras): void {
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
  const draft = result.prototype?.markdown;
  if (draft) showDraft(draft, false);
  else byId("draft-block").hidden = true;
  byId("draft-template").textContent = result.prototype?.template
    ? `On the outline of template ${result.prototype.template.slug}, version ${result.prototype.template.version}.${writtenBy(result.tasks)}`
    : "";
}

/** The draft as text (never markup): finished, or as a language model is still writing it. */
export function showDraft(markdown: string, writing: boolean): void {
  byId("draft-block").hidden = false;
  byId("draft-live").hidden = !writing;
  byId("draft").textContent = markdown;
}
