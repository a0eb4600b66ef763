/**
 * The account page's list of where the client is signed in (`GET /api/me/sessions`): each session's browser, network,
 * start and last use, with a button to end it, and one to end every session but this browser's.
 */
import { ApiError, api, byId } from "../api";

type Listed = { id: string; createdAt: string; lastUsedAt: string | null; userAgent: string | null; network: string | null; current: boolean };

/** Long user agents are cut for the table; the whole string is in the cell's title. */
const AGENT_CHARS = 70;

function timeCell(iso: string | null): HTMLTableCellElement {
  const td = document.createElement("td");
  if (!iso) return td;
  const time = document.createElement("time");
  time.dateTime = iso;
  time.textContent = new Date(iso).toLocaleString();
  td.append(time);
  return td;
}

function textCell(text: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

export class SessionsList {
  readonly #rows = byId("session-rows");
  readonly #problem = byId("sessions-problem");
  readonly #status = byId("sessions-status");
  readonly #endOthers = byId<HTMLButtonElement>("end-others");
  /** Bumped on every load and on clear(), so an answer for a list that is gone is dropped. */
  #generation = 0;

  constructor(private readonly onEnded: () => void) {
    this.#endOthers.addEventListener("click", () => void this.#endAllOthers());
  }

  /** Empties the list (signed out: nothing of the client's stays in the page). */
  clear(): void {
    this.#generation++;
    this.#rows.replaceChildren();
    this.#problem.hidden = true;
    this.#status.textContent = "";
    this.#endOthers.hidden = true;
  }

  async load(): Promise<void> {
    const mine = ++this.#generation;
    try {
      const { sessions } = await api<{ sessions: Listed[] }>("/api/me/sessions");
      if (mine !== this.#generation) return;
      this.#problem.hidden = true;
      this.#rows.replaceChildren(...sessions.map((s) => this.#row(s)));
      this.#endOthers.hidden = !sessions.some((s) => !s.current);
    } catch (err) {
      if (mine !== this.#generation) return;
      if (err instanceof ApiError && err.problem.status === 401) return this.onEnded();
      this.#problem.textContent = "Your sessions could not be loaded; try again in a moment.";
      this.#problem.hidden = false;
    }
  }

  #row(session: Listed): HTMLTableRowElement {
    const tr = document.createElement("tr");
    const agent = session.userAgent ?? "Unknown";
    const who = textCell(agent.length > AGENT_CHARS ? `${agent.slice(0, AGENT_CHARS)}…` : agent);
    who.title = agent;
    if (session.current) {
      const badge = document.createElement("strong");
      badge.textContent = " (this browser)";
      who.append(badge);
    }
    const action = document.createElement("td");
    if (!session.current) {
      const end = document.createElement("button");
      end.type = "button";
      end.className = "secondary";
      end.textContent = "End";
      end.setAttribute("aria-label", `End the session of ${agent} on ${session.network ?? "an unknown network"}`);
      end.addEventListener("click", () => void this.#end(session.id, end));
      action.append(end);
    }
    tr.append(who, textCell(session.network ?? "unknown"), timeCell(session.createdAt), timeCell(session.lastUsedAt), action);
    return tr;
  }

  async #end(id: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await api(`/api/me/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
      this.#status.textContent = "That session is signed out.";
    } catch (err) {
      // Already ended elsewhere (404) comes to the same: the list is read again either way.
      if (!(err instanceof ApiError) || err.problem.status !== 404) this.#status.textContent = "That session could not be ended; try again.";
    }
    await this.load();
    byId("sessions-heading").focus();
  }

  async #endAllOthers(): Promise<void> {
    this.#endOthers.disabled = true;
    try {
      const { ended } = await api<{ ended: number }>("/api/me/sessions", { method: "DELETE" });
      this.#status.textContent = ended === 1 ? "1 other session is signed out." : `${ended} other sessions are signed out.`;
    } catch {
      this.#status.textContent = "The other sessions could not be ended; try again.";
    } finally {
      this.#endOthers.disabled = false;
    }
    await this.load();
  }
}
