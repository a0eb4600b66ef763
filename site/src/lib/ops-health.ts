/**
 * Every worker's health (GET /api/health, which answers ops the detail: each worker's dependencies as it checked
 * them, with latency) with the circuit breakers of the providers ai and notify call (GET /api/ops/breakers/ai and
 * /notify), and the audit trail with a check of its hash chain (GET /api/ops/audit, /audit/verify).
 */
import type { BreakerView } from "@statex/shared/api/breakers";
import { authHeaders } from "../session";
import { type View, AccessLost, clearLoadProblem, duration, finder, h, opsApi, showLoadProblem, table, when } from "./ops-ui";

type Check = { ok: boolean; latencyMs: number; required: boolean; error?: string };
type Service = { status: string; latencyMs: number; error?: string; checks?: Record<string, Check> };
type Health = { status: string; time?: string; services?: Record<string, Service> };

/** The health of every worker, refreshed while the view is open: a worker coming back shows without a reload. */
const POLL_MS = 15_000;

/** "ok" was the word before dependencies were checked; the console speaks of up and down either way. */
const word = (status: string) => (status === "ok" ? "up" : status);

export class HealthView implements View {
  readonly id = "health";
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly list: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly status: HTMLElement;
  private readonly breakers: HTMLElement;
  private readonly breakersProblem: HTMLElement;

  constructor(root: HTMLElement, private readonly onLost: (err: unknown) => void) {
    const q = finder(root);
    this.list = q("[data-part=list]");
    this.problem = q("[data-part=problem]");
    this.status = q("[data-part=status]");
    this.breakers = q("[data-part=breakers]");
    this.breakersProblem = q("[data-part=breakers-problem]");
    q("button[data-part=refresh]").addEventListener("click", () => void this.show().catch(onLost));
  }

  async show(): Promise<void> {
    clearTimeout(this.timer);
    try {
      await Promise.all([this.load(), this.loadBreakers()]);
    } finally {
      this.timer = setTimeout(() => void this.show().catch(this.onLost), POLL_MS);
    }
  }

  hide(): void {
    clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    let health: Health;
    try {
      // Not through api(): a 503 is an answer here (something is down), with the same body.
      const res = await fetch("/api/health", { headers: { accept: "application/json", ...(await authHeaders()) } });
      if (res.status === 401 || res.status === 403) throw new AccessLost(res.status);
      health = (await res.json()) as Health;
    } catch (err) {
      this.list.replaceChildren();
      return showLoadProblem(this.problem, err, "Health");
    }
    clearLoadProblem(this.problem);
    const overall = word(health.status);
    this.status.replaceChildren("Platform: ", h("span", { class: `ops-health ${overall}`, text: overall }), health.time ? h("span", { class: "muted" }, " as of ", when(health.time)) : "");
    const services = Object.entries(health.services ?? {});
    this.list.replaceChildren(
      services.length
        ? table("Every worker's health", ["Worker", "Status", "Answered in", "Dependencies"], services.map(([name, s]) => [
            h("strong", { text: name }),
            h("span", { class: `ops-health ${word(s.status)}`, text: word(s.status) }),
            duration(s.latencyMs),
            s.checks && Object.keys(s.checks).length
              ? h("ul", { class: "ops-checks" }, ...Object.entries(s.checks).map(([check, c]) =>
                  h("li", { class: c.ok ? "up" : "down", title: `${c.required ? "required" : "optional"}${c.error ? `: ${c.error}` : ""}` }, h("span", { class: `ops-health ${c.ok ? "up" : "down"}`, text: c.ok ? "ok" : "down" }), ` ${check} `, h("span", { class: "muted", text: `${duration(c.latencyMs)}${c.required ? "" : ", optional"}${c.error ? `: ${c.error}` : ""}` })),
                ))
              : h("span", { class: "muted", text: s.error ?? (s.checks ? "none to check" : "not reported (the platform checks no dependencies yet)") }),
          ]))
        : h("p", { class: "muted", text: "The platform answered only up or down: it gives no detail per worker yet." }),
    );
  }

  /** A line per provider: its state, failures in a row, when it opened and when its next probe goes. */
  private async loadBreakers(): Promise<void> {
    let rows: { worker: string; b: BreakerView }[];
    try {
      const answers = await Promise.all(["ai", "notify"].map((w) => opsApi<{ worker: string; breakers: BreakerView[] }>(`/api/ops/breakers/${w}`)));
      rows = answers.flatMap((a) => a.breakers.map((b) => ({ worker: a.worker, b })));
    } catch (err) {
      if (err instanceof AccessLost) throw err;
      this.breakers.replaceChildren();
      return showLoadProblem(this.breakersProblem, err, "The circuit breakers");
    }
    clearLoadProblem(this.breakersProblem);
    const health = { closed: "up", "half-open": "degraded", open: "down" } as const;
    this.breakers.replaceChildren(
      rows.length
        ? table("Circuit breakers", ["Worker", "Provider", "State", "Failures in a row", "Opened", "Next probe", "Last failure"], rows.map(({ worker, b }) => [
            worker,
            h("strong", { text: b.name }),
            h("span", { class: `ops-health ${health[b.state]}`, text: b.state }),
            `${b.failures}${b.recentCalls ? ` (${b.recentFailures} of ${b.recentCalls} lately)` : ""}`,
            when(b.openedAt),
            when(b.nextProbeAt),
            b.lastFailure ? h("span", { title: b.lastFailure }, when(b.lastFailureAt), " ", h("span", { class: "muted", text: b.lastFailure.slice(0, 120) })) : "—",
          ]))
        : h("p", { class: "muted", text: "No provider here has a breaker." }),
    );
  }
}

type AuditEntry = {
  seq: number;
  at: string;
  action: string;
  actor: { id: string | null; role: string | null };
  target: { type: string; id: string };
  change: unknown;
  correlationId: string | null;
  prevHash: string;
  hash: string;
};
type Verify = { ok: boolean; entries: number; head: { seq: number; hash: string } | null; brokenAt?: { seq: number; reason: string; expected: string; found: string | null }; checkedAt: string };

export class AuditView implements View {
  readonly id = "audit";
  private readonly form: HTMLFormElement;
  private readonly list: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly verdict: HTMLElement;
  private readonly more: HTMLButtonElement;
  private next: string | null = null;

  constructor(root: HTMLElement, onLost: (err: unknown) => void) {
    const q = finder(root);
    this.form = q<HTMLFormElement>("form");
    this.list = q("[data-part=list]");
    this.problem = q("[data-part=problem]");
    this.verdict = q("[data-part=verdict]");
    this.more = q<HTMLButtonElement>("[data-part=more]");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.page(true).catch(onLost);
    });
    this.more.addEventListener("click", () => void this.page(false).catch(onLost));
    q("button[data-part=verify]").addEventListener("click", () => void this.verify().catch(onLost));
  }

  async show(): Promise<void> {
    await this.page(true);
  }

  private async page(first: boolean): Promise<void> {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(this.form)) if (String(value).trim()) query.set(name, String(value).trim());
    if (!first && this.next) query.set("cursor", this.next);
    try {
      const { entries, next } = await opsApi<{ entries: AuditEntry[]; next: string | null }>(`/api/ops/audit?${query}`);
      clearLoadProblem(this.problem);
      const rows = entries.map((e) => [
        String(e.seq), when(e.at), h("strong", { text: e.action }), `${e.actor.role ?? "?"} ${e.actor.id ?? ""}`.trim(), `${e.target.type} ${e.target.id}`,
        e.change ? h("pre", { text: JSON.stringify(e.change) }) : "—", h("code", { title: `previous ${e.prevHash}`, text: `${e.hash.slice(0, 10)}…` }),
      ]);
      const headers = ["#", "When", "Action", "Actor", "Target", "Change", "Hash"];
      if (first) this.list.replaceChildren(entries.length ? table("Audit trail", headers, rows) : h("p", { class: "muted", text: "No audit entries match." }));
      else this.list.querySelector("tbody")?.append(...table("", headers, rows).tBodies[0]?.rows ?? []);
      this.next = next;
      this.more.hidden = next === null;
    } catch (err) {
      this.more.hidden = true;
      showLoadProblem(this.problem, err, "The audit trail");
    }
  }

  private async verify(): Promise<void> {
    try {
      const v = await opsApi<Verify>("/api/ops/audit/verify");
      this.verdict.hidden = false;
      this.verdict.className = v.ok ? "note" : "alert";
      this.verdict.textContent = v.ok
        ? `The chain is intact: ${v.entries} ${v.entries === 1 ? "entry" : "entries"}, head #${v.head?.seq ?? 0}, checked ${new Date(v.checkedAt).toLocaleString()}.`
        : `The chain breaks at entry #${v.brokenAt?.seq ?? "?"} (${v.brokenAt?.reason ?? "unknown"}): expected ${v.brokenAt?.expected ?? "?"}, found ${v.brokenAt?.found ?? "nothing"}.`;
    } catch (err) {
      showLoadProblem(this.verdict, err, "Verifying the audit trail");
    }
  }
}
