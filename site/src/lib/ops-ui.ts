/**
 * What every view of the ops console shares: building elements from data (never from HTML strings, so nothing a
 * log line or a client typed can become markup), formatting times and durations, and telling "this route has not
 * landed on the platform yet" apart from a real failure, so a view can say so and the rest of the console works.
 */
import { ApiError, api } from "../api";

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** An element with attributes (`text` sets its text; false or null leaves an attribute out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") el.textContent = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** Text folded under a label, opened by a click (a dead letter's body, an attempt's answer). */
export const details = (label: string, text: string) => h("details", {}, h("summary", { text: label }), h("pre", { text }));

/** A table with a header row; `rows` are cells (a string, or a node) per row. */
export function table(caption: string, headers: string[], rows: Child[][], className = "ops-table"): HTMLTableElement {
  return h(
    "table",
    { class: className },
    h("caption", { class: "visually-hidden", text: caption }),
    h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col", text })))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

/** A time as the reader's locale writes it, in a <time> that keeps the exact instant (hover shows it in UTC). */
export function when(iso: string | null | undefined): Node | string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return h("time", { datetime: iso, title: iso, text: date.toLocaleString() });
}

/** A duration the way an engineer reads one: 850 ms, 12.4 s, 3 min 5 s. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A status word as a coloured badge (the site's `.status` classes). */
export const badge = (status: string) => h("span", { class: `status ${status}`, text: status });

/** A link to a request's whole story in this console. */
export const storyLink = (requestId: string | null | undefined): Node | string =>
  requestId ? h("a", { href: `#request/${encodeURIComponent(requestId)}`, text: requestId }) : "—";

/**
 * The platform has no such route yet (the gateway answers 404 "No route for …", or 405 for a path it knows by
 * another method): a view built ahead of its API says "not available" instead of failing.
 */
export function notLanded(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const { status, detail } = err.problem;
  return (status === 404 && (detail ?? "").startsWith("No route for")) || status === 405;
}

/** Thrown past a view when the session is gone or is not ops: the console as a whole shows sign-in or "ops only". */
export class AccessLost extends Error {
  constructor(readonly status: 401 | 403) {
    super(status === 401 ? "signed out" : "not ops");
  }
}

/** Calls the API as the signed-in ops user; a 401 or 403 becomes {@link AccessLost}. */
export async function opsApi<T>(path: string, init?: RequestInit): Promise<T> {
  try {
    return await api<T>(path, init);
  } catch (err) {
    if (err instanceof ApiError && (err.problem.status === 401 || err.problem.status === 403)) throw new AccessLost(err.problem.status);
    throw err;
  }
}

/** A POST with a JSON body as the signed-in ops user. */
export const opsPost = <T>(path: string, body: unknown) =>
  opsApi<T>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** What went wrong, in a sentence for the view's alert. */
export function problemText(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = (err.problem.errors ?? []).map((e) => `${e.field}: ${e.message}`).join("; ");
    return `${err.problem.detail ?? err.problem.title}${fields ? ` (${fields})` : ""}`;
  }
  return "Could not reach StateX. Check your connection and try again.";
}

/** Where a view shows the outcome of loading: nothing, "not available yet", or the problem. */
export function showLoadProblem(box: HTMLElement, err: unknown, what: string): void {
  if (err instanceof AccessLost) throw err;
  box.replaceChildren();
  box.hidden = false;
  if (notLanded(err)) {
    box.className = "ops-unavailable";
    box.append(h("strong", { text: `${what}: not available yet. ` }), "The platform does not serve this yet; the rest of the console works.");
  } else {
    box.className = "alert";
    box.append(`${what} could not be loaded: ${problemText(err)}`);
  }
}

/** Hides what {@link showLoadProblem} showed. */
export function clearLoadProblem(box: HTMLElement): void {
  box.hidden = true;
  box.replaceChildren();
}

/** Finds a view's parts by selector, failing loudly where ops.html lacks one (a renamed part, a typo). */
export function finder(root: HTMLElement) {
  return <T extends HTMLElement = HTMLElement>(selector: string): T => {
    const el = root.querySelector<T>(selector);
    if (!el) throw new Error(`#${root.id} has no ${selector}`);
    return el;
  };
}

/** A view of the console: shown (and loaded) when its tab is chosen, told when it is left so it can stop polling. */
export interface View {
  readonly id: string;
  show(arg: string | undefined): Promise<void>;
  hide?(): void;
}

/** Reports a view's failure to the console (sign-in, "ops only") or logs what no view caught. */
export type OnAccessLost = (lost: AccessLost) => void;

/** Runs a view's async work from an event handler, sending a lost session to the console. */
export function run(work: () => Promise<void>, onLost: OnAccessLost): void {
  work().catch((err: unknown) => {
    if (err instanceof AccessLost) onLost(err);
    else console.error(err);
  });
}
