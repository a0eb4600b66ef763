/**
 * The alert rules as ops can read them (what each watches, for how long, over which threshold), the alerts firing
 * now and the last hundred that fired or resolved (GET /api/ops/alerts). The overview shows only what is firing;
 * this is where ops see why and since when.
 */
import { type View, clearLoadProblem, finder, h, opsApi, showLoadProblem, table, when } from "./ops-ui";

type Rule = { id: string; title: string; description: string; for: string; threshold: number | null };
type Active = { rule: string; firedAt: string; value: number; summary: string };
type Past = { id: string; rule: string; state: "firing" | "resolved"; firedAt: string; resolvedAt: string | null; value: number; summary: string };
export type Alerts = { rules: Rule[]; active: Active[]; history: Past[] };

/** The site's red status pill, saying "firing". */
const firingNow = () => h("span", { class: "status failed", text: "firing" });

export class AlertsView implements View {
  readonly id = "alerts";
  private readonly out: HTMLElement;
  private readonly problem: HTMLElement;

  constructor(root: HTMLElement) {
    const q = finder(root);
    this.out = q("[data-part=list]");
    this.problem = q("[data-part=problem]");
  }

  async show(): Promise<void> {
    let alerts: Alerts;
    try {
      alerts = await opsApi<Alerts>("/api/ops/alerts");
    } catch (err) {
      this.out.replaceChildren();
      return showLoadProblem(this.problem, err, "Alerts");
    }
    clearLoadProblem(this.problem);
    const firing = new Set(alerts.active.map((a) => a.rule));
    this.out.replaceChildren(
      h(
        "section",
        { class: "card" },
        h("h3", { text: alerts.active.length ? `Firing now (${alerts.active.length})` : "Firing now" }),
        alerts.active.length
          ? table("Alerts firing", ["Rule", "Since", "Value", "Summary"], alerts.active.map((a) => [h("strong", { text: a.rule }), when(a.firedAt), String(a.value), a.summary]))
          : h("p", { class: "ok", text: "No alert is firing." }),
      ),
      h(
        "section",
        { class: "card" },
        h("h3", { text: "Rules" }),
        table("Alert rules", ["Rule", "Watches", "For", "Threshold", "Now"], alerts.rules.map((r) => [
          h("span", {}, h("strong", { text: r.title }), h("div", { class: "muted small", text: r.id })), r.description, r.for, r.threshold === null ? "—" : String(r.threshold),
          firing.has(r.id) ? firingNow() : h("span", { class: "muted", text: "quiet" }),
        ])),
      ),
      h(
        "section",
        { class: "card" },
        h("h3", { text: "History (newest first)" }),
        alerts.history.length
          ? table("Alert history", ["Rule", "Fired", "Resolved", "Value", "Summary"], alerts.history.map((a) => [a.rule, when(a.firedAt), a.resolvedAt ? when(a.resolvedAt) : firingNow(), String(a.value), a.summary]))
          : h("p", { class: "muted", text: "No alert has fired yet." }),
      ),
    );
  }
}
