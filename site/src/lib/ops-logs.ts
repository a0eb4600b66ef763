/**
 * Log search (GET /api/ops/logs): every worker's lines by worker, level (and above), time range, correlation id and
 * text, newest first, a page at a time by the answer's cursor. The form's fields are the query's names, so a bad
 * value the API names (errors[].field) shows by its field.
 */
import { ApiError } from "../api";
import { type View, clearLoadProblem, finder, h, opsApi, showLoadProblem, storyLink } from "./ops-ui";

type Line = { id: number; ts: string; level: string; service: string; correlationId: string | null; requestId: string | null; msg: string; fields: Record<string, unknown> | null };
type Page = { lines: Line[]; next: string | null };

/** A datetime-local value (the reader's local time, no zone) as the ISO instant the API wants. */
const iso = (local: string) => (local ? new Date(local).toISOString() : "");

export class LogsView implements View {
  readonly id = "logs";
  private readonly form: HTMLFormElement;
  private readonly rows: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly problem: HTMLElement;
  private readonly summary: HTMLElement;
  private query = new URLSearchParams();
  private cursor: string | null = null;
  private searched = false;

  constructor(
    root: HTMLElement,
    private readonly onLost: (err: unknown) => void,
  ) {
    const q = finder(root);
    this.form = q<HTMLFormElement>("form");
    this.rows = q("tbody");
    this.more = q<HTMLButtonElement>("[data-part=more]");
    this.problem = q("[data-part=problem]");
    this.summary = q("[data-part=summary]");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.search();
    });
    this.more.addEventListener("click", () => void this.page().catch(this.onLost));
  }

  /** Opening the view searches once with the form as it is (the last 24 hours); `arg` is a correlation id to look for. */
  async show(arg: string | undefined): Promise<void> {
    if (arg) {
      const input = this.form.elements.namedItem("correlationId");
      if (input instanceof HTMLInputElement) input.value = decodeURIComponent(arg);
      this.searched = false;
    }
    if (!this.searched) this.search();
  }

  private search(): void {
    this.searched = true;
    const data = new FormData(this.form);
    this.query = new URLSearchParams();
    for (const [name, value] of data) {
      const text = String(value).trim();
      if (!text) continue;
      this.query.set(name, name === "from" || name === "to" ? iso(text) : text);
    }
    for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    this.rows.replaceChildren();
    this.cursor = null;
    void this.page().catch(this.onLost);
  }

  private async page(): Promise<void> {
    this.more.disabled = true;
    const query = new URLSearchParams(this.query);
    if (this.cursor) query.set("cursor", this.cursor);
    try {
      const page = await opsApi<Page>(`/api/ops/logs?${query}`);
      clearLoadProblem(this.problem);
      this.rows.append(...page.lines.map((line) => this.row(line)));
      this.cursor = page.next;
      this.more.hidden = page.next === null;
      const shown = this.rows.childElementCount;
      this.summary.textContent = shown ? `${shown} line${shown === 1 ? "" : "s"} shown, newest first${page.next ? "; older lines below" : ""}.` : "No log lines match.";
    } catch (err) {
      this.more.hidden = true;
      this.summary.textContent = "";
      if (err instanceof ApiError) {
        for (const { field } of err.problem.errors ?? []) {
          // The API names a query parameter `query.<name>`; the form's fields are named as the parameters.
          const input = this.form.elements.namedItem(field.replace(/^query\./, ""));
          if (input instanceof Element) input.setAttribute("aria-invalid", "true");
        }
      }
      showLoadProblem(this.problem, err, "Log search");
    } finally {
      this.more.disabled = false;
    }
  }

  private row(line: Line): HTMLTableRowElement {
    const fields = line.fields && Object.keys(line.fields).length ? h("details", {}, h("summary", { text: "fields" }), h("pre", { text: JSON.stringify(line.fields, null, 2) })) : "";
    return h(
      "tr",
      { class: `ops-log ${line.level}` },
      h("td", {}, h("time", { datetime: line.ts, title: line.ts, text: new Date(line.ts).toLocaleString() })),
      h("td", {}, h("span", { class: `ops-level ${line.level}`, text: line.level })),
      h("td", { text: line.service }),
      h("td", {}, line.correlationId?.startsWith("req_") ? storyLink(line.correlationId) : (line.correlationId ?? "—"), line.requestId ? h("div", { class: "muted small", text: `HTTP ${line.requestId}` }) : ""),
      h("td", {}, h("div", { class: "ops-msg", text: line.msg }), fields),
    );
  }
}
