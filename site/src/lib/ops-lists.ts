/**
 * The console's lists that ops act on or read through: dead letters with their redrive (one, or every open letter of
 * a queue), the spam log, security events (failed sign-ins, locks, refresh reuse) and the LinkedIn messages to send
 * by hand. Each is a form of filters over a table; an action reloads its list, so what was acted on visibly leaves.
 */
import { ApiError } from "../api";
import { type View, badge, clearLoadProblem, details, finder, h, opsApi, opsPost, problemText, showLoadProblem, storyLink, table, when } from "./ops-ui";

type Lost = (err: unknown) => void;

/** The parts every list view has: its filter form, where the table goes, a problem box and a status line. */
function parts(root: HTMLElement) {
  const q = finder(root);
  return { form: q<HTMLFormElement>("form"), list: q("[data-part=list]"), problem: q("[data-part=problem]"), status: q("[data-part=status]") };
}

/** The form's filled-in fields as a query string. */
function queryOf(form: HTMLFormElement): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (String(value).trim()) query.set(name, String(value).trim());
  return query;
}

/** A body as stored (JSON text) shown readably, or as it is. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

type DeadLetter = { id: string; queue: string; body: string; eventType: string | null; correlationId: string | null; attempts: number; reason: string; receivedAt: string; redrivenAt: string | null };

export class DeadLettersView implements View {
  readonly id = "dead-letters";
  private readonly p;
  private readonly all: HTMLButtonElement;
  private readonly queues = new Set<string>();

  constructor(root: HTMLElement, private readonly onLost: Lost) {
    this.p = parts(root);
    this.all = finder(root)<HTMLButtonElement>("[data-part=redrive-all]");
    this.p.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.p.status.textContent = "";
      void this.load().catch(onLost);
    });
    this.p.form.addEventListener("change", () => this.syncAll());
    this.all.addEventListener("click", () => void this.redriveAll().catch(onLost));
  }

  private get queue(): string {
    return String(new FormData(this.p.form).get("queue") ?? "").trim();
  }

  /** "Redrive all" needs a queue: sending every queue's letters back at once is not one decision. */
  private syncAll(): void {
    this.all.disabled = !this.queue;
    this.all.textContent = this.queue ? `Redrive every open letter of ${this.queue}` : "Choose a queue to redrive all of it";
  }

  async show(arg: string | undefined): Promise<void> {
    if (arg) {
      const input = this.p.form.elements.namedItem("queue");
      if (input instanceof HTMLInputElement) input.value = decodeURIComponent(arg);
    }
    this.p.status.textContent = "";
    await this.load();
  }

  private async load(): Promise<void> {
    this.syncAll();
    const query = queryOf(this.p.form);
    query.set("limit", "200");
    const state = query.get("state") ?? "open";
    let letters: DeadLetter[];
    try {
      letters = (await opsApi<{ deadLetters: DeadLetter[] }>(`/api/ops/dead-letters?${query}`)).deadLetters;
    } catch (err) {
      // Before the list learnt `state` it refused it (400 naming the field): ask without it and filter here.
      if (!(err instanceof ApiError && err.problem.status === 400 && (err.problem.errors ?? []).some((e) => e.field.replace(/^query\./, "") === "state"))) {
        this.p.list.replaceChildren();
        return showLoadProblem(this.p.problem, err, "Dead letters");
      }
      query.delete("state");
      letters = (await opsApi<{ deadLetters: DeadLetter[] }>(`/api/ops/dead-letters?${query}`)).deadLetters;
    }
    letters = letters.filter((d) => state === "all" || (state === "open") === (d.redrivenAt === null));
    clearLoadProblem(this.p.problem);
    for (const d of letters) this.queues.add(d.queue);
    const list = document.getElementById("dead-letter-queues");
    list?.replaceChildren(...[...this.queues].sort().map((value) => h("option", { value })));
    this.p.list.replaceChildren(
      letters.length
        ? table("Dead letters", ["Received", "Queue", "Event", "Request", "Attempts", "Reason", "Body", ""], letters.map((d) => [
            when(d.receivedAt), d.queue, d.eventType ?? "—", d.correlationId?.startsWith("req_") ? storyLink(d.correlationId) : (d.correlationId ?? "—"), String(d.attempts), d.reason, details("body", pretty(d.body)),
            d.redrivenAt ? h("span", {}, "redriven ", when(d.redrivenAt)) : this.redriveButton(d),
          ]), "ops-table dead-letters")
        : h("p", { class: "muted", text: state === "open" ? "No open dead letters: nothing is waiting to be redriven." : "No dead letters match." }),
    );
  }

  private redriveButton(d: DeadLetter): HTMLButtonElement {
    const button = h("button", { type: "button", class: "small", "data-id": d.id, text: "Redrive", "aria-label": `Redrive ${d.id} to ${d.queue}` });
    button.addEventListener("click", () => {
      button.disabled = true;
      void opsPost<{ id: string; queue: string; redrivenAt: string }>(`/api/ops/dead-letters/${encodeURIComponent(d.id)}/redrive`, {})
        .then((r) => {
          this.p.status.textContent = `Sent ${r.id} back to ${r.queue}.`;
        })
        .catch((err: unknown) => {
          if (!(err instanceof ApiError)) throw err;
          this.p.status.textContent = `${d.id} was not redriven: ${problemText(err)}`;
        })
        .then(() => this.load())
        .catch(this.onLost);
    });
    return button;
  }

  private async redriveAll(): Promise<void> {
    const queue = this.queue;
    if (!queue || !confirm(`Send every open dead letter of ${queue} back to its queue?`)) return;
    this.all.disabled = true;
    try {
      const r = await opsPost<{ queue: string; redriven: number; failed: number; skipped: number }>("/api/ops/dead-letters/redrive", { queue });
      this.p.status.textContent = `${r.queue}: ${r.redriven} redriven, ${r.failed} failed, ${r.skipped} skipped (their bodies were erased).`;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      this.p.status.textContent = "";
      showLoadProblem(this.p.problem, err, "Redriving a whole queue");
      this.syncAll();
      return;
    }
    await this.load();
  }
}

type Spam = { id: string; reason: string; channel: string; clientIp: string | null; email: string | null; excerpt: string | null; createdAt: string };

export class SpamView implements View {
  readonly id = "spam";
  private readonly p;

  constructor(root: HTMLElement, onLost: Lost) {
    this.p = parts(root);
    this.p.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.show().catch(onLost);
    });
  }

  async show(): Promise<void> {
    try {
      const { entries } = await opsApi<{ entries: Spam[] }>(`/api/ops/spam-log?${queryOf(this.p.form)}`);
      clearLoadProblem(this.p.problem);
      this.p.status.textContent = `${entries.length} refused submission${entries.length === 1 ? "" : "s"}, newest first.`;
      this.p.list.replaceChildren(
        entries.length
          ? table("Spam log", ["When", "Why refused", "Channel", "Network", "Email", "What they sent"], entries.map((e) => [when(e.createdAt), h("strong", { text: e.reason }), e.channel, e.clientIp ?? "—", e.email ?? "—", e.excerpt ?? ""]))
          : h("p", { class: "muted", text: "No submission was refused as spam." }),
      );
    } catch (err) {
      showLoadProblem(this.p.problem, err, "The spam log");
    }
  }
}

type SecurityEvent = { id: string; kind: string; emailHash: string | null; userId: string | null; network: string | null; detail: string | null; at: string };

export class SecurityView implements View {
  readonly id = "security";
  private readonly p;
  private readonly more: HTMLButtonElement;
  private next: string | null = null;

  constructor(root: HTMLElement, onLost: Lost) {
    this.p = parts(root);
    this.more = finder(root)<HTMLButtonElement>("[data-part=more]");
    this.p.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.show().catch(onLost);
    });
    this.more.addEventListener("click", () => void this.page(false).catch(onLost));
  }

  async show(): Promise<void> {
    await this.page(true);
  }

  private async page(first: boolean): Promise<void> {
    const query = queryOf(this.p.form);
    query.set("limit", "50");
    if (!first && this.next) query.set("before", this.next);
    try {
      const { events, next } = await opsApi<{ events: SecurityEvent[]; next: string | null }>(`/api/ops/security-events?${query}`);
      clearLoadProblem(this.p.problem);
      const rows = events.map((e) => [when(e.at), badge(e.kind), e.userId ?? "—", e.emailHash ? h("code", { title: e.emailHash, text: `${e.emailHash.slice(0, 12)}…` }) : "—", e.network ?? "—", e.detail ?? ""]);
      const headers = ["When", "What", "Account", "Address (sha256)", "Network", "Detail"];
      if (first) this.p.list.replaceChildren(events.length ? table("Security events", headers, rows) : h("p", { class: "muted", text: "No security events match." }));
      else this.p.list.querySelector("tbody")?.append(...table("", headers, rows).tBodies[0]?.rows ?? []);
      this.next = next;
      this.more.hidden = next === null;
      const shown = this.p.list.querySelectorAll("tbody tr").length;
      this.p.status.textContent = shown ? `${shown} event${shown === 1 ? "" : "s"} shown, newest first.` : "No security events match.";
    } catch (err) {
      showLoadProblem(this.p.problem, err, "Security events");
    }
  }
}

type LinkedinTask = { id: string; requestId: string; profile: string; text: string; status: string; createdAt: string; doneBy: string | null; doneAt: string | null };

export class LinkedinView implements View {
  readonly id = "linkedin";
  private readonly p;

  constructor(root: HTMLElement, private readonly onLost: Lost) {
    this.p = parts(root);
    this.p.form.addEventListener("change", () => void this.show().catch(onLost));
    this.p.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.show().catch(onLost);
    });
  }

  async show(): Promise<void> {
    const query = queryOf(this.p.form);
    try {
      const { tasks } = await opsApi<{ tasks: LinkedinTask[] }>(`/api/ops/linkedin-tasks?${query}`);
      clearLoadProblem(this.p.problem);
      const open = (query.get("status") ?? "open") === "open";
      this.p.list.replaceChildren(
        tasks.length
          ? table("LinkedIn tasks", ["Created", "Request", "Profile", "Message to send", open ? "Mark" : "Marked"], tasks.map((t) => [
              when(t.createdAt), storyLink(t.requestId),
              /^https:\/\//.test(t.profile) ? h("a", { href: t.profile, target: "_blank", rel: "noopener noreferrer", text: t.profile }) : t.profile,
              h("pre", { class: "prose", text: t.text }),
              open ? this.actions(t) : h("span", {}, badge(t.status), " ", when(t.doneAt)),
            ]))
          : h("p", { class: "muted", text: open ? "No LinkedIn messages waiting to be sent by hand." : "None." }),
      );
    } catch (err) {
      showLoadProblem(this.p.problem, err, "LinkedIn tasks");
    }
  }

  private actions(t: LinkedinTask): HTMLElement {
    const mark = (outcome: "done" | "skipped", text: string, cls: string) => {
      const button = h("button", { type: "button", class: `small ${cls}`, text, "aria-label": `${text}: ${t.id}` });
      button.addEventListener("click", () => {
        button.disabled = true;
        void opsPost(`/api/ops/linkedin-tasks/${encodeURIComponent(t.id)}`, { outcome })
          .then(() => {
            this.p.status.textContent = outcome === "done" ? `${t.id} marked sent: delivered.` : `${t.id} skipped: the next channel is tried.`;
          })
          .catch((err: unknown) => {
            if (!(err instanceof ApiError)) throw err;
            this.p.status.textContent = `${t.id}: ${problemText(err)}`;
          })
          .then(() => this.show())
          .catch(this.onLost);
      });
      return button;
    };
    return h("div", { class: "ops-actions" }, mark("done", "Sent it", ""), mark("skipped", "Skip", "secondary"));
  }
}
