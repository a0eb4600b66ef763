/**
 * The richer parts of a finished analysis on the status page: the request's
 * category, what it names, and the first draft. Everything is set as text, so
 * nothing the client (or a template author) wrote can become markup; the
 * draft's markdown is shown as written, which reads well without rendering.
 */
import { byId } from "./api";

type Entities = Partial<Record<"people" | "organizations" | "places" | "dates" | "money" | "emails" | "phones", string[]>>;
export type AnalysisExtras = {
  category?: { label: string; confidence: number };
  entities?: Entities;
  prototype?: { markdown?: string; template?: { slug: string; version: number } };
};

const entityLabels: [keyof Entities, string][] = [
  ["people", "People"], ["organizations", "Organisations"], ["places", "Places"], ["dates", "Dates"], ["money", "Amounts"], ["emails", "Emails"], ["phones", "Phones"],
];

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
  const draft = result.prototype?.markdown;
  byId("draft-block").hidden = !draft;
  byId("draft").textContent = draft ?? "";
  byId("draft-template").textContent = result.prototype?.template ? `From template ${result.prototype.template.slug}, version ${result.prototype.template.version}.` : "";
}
