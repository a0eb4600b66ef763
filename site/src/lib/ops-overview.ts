/**
 * The console's overview: how the platform is doing over the last hour, day or week (GET /api/ops/overview: requests
 * and how their jobs ended, time to completed, gateway traffic, tasks, notifications, queues and dead letters), the
 * job slots in use and the line (GET /api/ops/job-slots), and the alerts firing (GET /api/ops/alerts). Polled while
 * the view is open and the tab visible, so it stays live without a connection held open; each source fails alone.
 */
import type { Alerts } from "./ops-alerts";
import { TimeChart } from "./ops-charts";
import { type View, badge, clearLoadProblem, duration, h, opsApi, showLoadProblem, storyLink, table, when } from "./ops-ui";

type Series = (number | null)[];
export type Overview = {
  range: string;
  from: string;
  to: string;
  bucketSeconds: number;
  source: string;
  buckets: string[];
  requests: { totals: Record<"created" | "completed" | "failed" | "cancelled", number>; series: Record<"created" | "completed" | "failed" | "cancelled", Series> };
  timeToCompleted: { p50Ms: number | null; p95Ms: number | null; series: { p50Ms: Series; p95Ms: Series } };
  http: { totals: { requests: number; errors: number }; series: { requests: Series; errors: Series; p95Ms: Series }; routes: { route: string; count: number; errors: number; p50Ms: number; p95Ms: number }[] };
  tasks: { kind: string; provider: string; outcome: string; count: number; p50Ms: number | null; p95Ms: number | null; tokens: number | null }[];
  notifications: { channel: string; outcome: string; count: number }[];
  queues: { queue: string; backlog: number | null; retries: number; deadLetters: number }[];
  deadLetters: { open: number; series: Series };
};
type Slots = { slots: number; running: { requestId: string; since: string }[]; waiting: { requestId: string; since: string }[] };

/** Often enough to watch an incident unfold; the contract calls the overview cheap at 15–30 s. */
const POLL_MS = 20_000;

const ms = (v: number) => duration(v);
/** A bucket's length as people say it: 5 minutes, 1 hour, 6 hours. */
const bucketWords = (seconds: number) => (seconds % 3600 ? `${seconds / 60} minutes` : seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`);
const COLORS = { created: "#1f5eff", completed: "#13795b", failed: "#b42318", cancelled: "#8a94a6", p95: "#a15c00" };

export class OverviewView implements View {
  readonly id = "overview";
  private range = "day";
  private timer: ReturnType<typeof setTimeout> | undefined;
  private active = false;
  private readonly requests = new TimeChart("Requests per bucket: created and how their jobs ended", [
    { label: "created", color: COLORS.created },
    { label: "completed", color: COLORS.completed },
    { label: "failed", color: COLORS.failed },
    { label: "cancelled", color: COLORS.cancelled, dashed: true },
  ]);
  private readonly latency = new TimeChart("Time from submission to completed", [
    { label: "p50", color: COLORS.created },
    { label: "p95", color: COLORS.p95 },
  ], ms);
  private readonly http = new TimeChart("Gateway: requests and 5xx errors", [
    { label: "requests", color: COLORS.created },
    { label: "errors (5xx)", color: COLORS.failed },
  ]);
  private readonly dead = new TimeChart("Dead letters arrived", [{ label: "dead letters", color: COLORS.failed }]);

  constructor(
    private readonly root: HTMLElement,
    private readonly onLost: (err: unknown) => void,
  ) {
    for (const input of root.querySelectorAll<HTMLInputElement>("input[name=range]")) {
      input.addEventListener("change", () => {
        this.range = input.value;
        void this.refresh();
      });
    }
    this.byRole("charts").append(this.requests.card, this.latency.card, this.http.card, this.dead.card);
    document.addEventListener("visibilitychange", () => {
      if (this.active && document.visibilityState === "visible") void this.refresh();
    });
  }

  private byRole(name: string): HTMLElement {
    const el = this.root.querySelector<HTMLElement>(`[data-part=${name}]`);
    if (!el) throw new Error(`the overview has no ${name}`);
    return el;
  }

  async show(): Promise<void> {
    this.active = true;
    await this.refresh();
  }

  hide(): void {
    this.active = false;
    clearTimeout(this.timer);
  }

  /** Loads every source at once; the next poll is scheduled whatever they answered. */
  private async refresh(): Promise<void> {
    clearTimeout(this.timer);
    try {
      await Promise.all([this.loadOverview(), this.loadSlots(), this.loadAlerts()]);
      this.byRole("updated").textContent = `Live: updated ${new Date().toLocaleTimeString()}, every ${POLL_MS / 1000} s.`;
    } catch (err) {
      this.onLost(err);
      return;
    } finally {
      // A hidden tab is not polled; it refreshes when it is seen again.
      if (this.active && document.visibilityState === "visible") this.timer = setTimeout(() => void this.refresh(), POLL_MS);
    }
  }

  private async loadOverview(): Promise<void> {
    const problem = this.byRole("overview-problem");
    try {
      const o = await opsApi<Overview>(`/api/ops/overview?range=${this.range}`);
      clearLoadProblem(problem);
      this.byRole("metrics").hidden = false;
      this.render(o);
    } catch (err) {
      this.byRole("metrics").hidden = true;
      showLoadProblem(problem, err, "Metrics (requests, timings, tasks, notifications, queues)");
    }
  }

  private render(o: Overview): void {
    const t = o.requests.totals;
    const failRate = t.completed + t.failed ? Math.round((100 * t.failed) / (t.completed + t.failed)) : 0;
    const stat = (label: string, value: string, tone = "") => h("div", { class: `ops-stat ${tone}` }, h("span", { class: "ops-stat-value", text: value }), h("span", { class: "ops-stat-label", text: label }));
    this.byRole("stats").replaceChildren(
      stat("requests", String(t.created)),
      stat("completed", String(t.completed), "good"),
      stat(`failed (${failRate}%)`, String(t.failed), t.failed ? "bad" : ""),
      stat("cancelled", String(t.cancelled)),
      stat("p50 to completed", duration(o.timeToCompleted.p50Ms)),
      stat("p95 to completed", duration(o.timeToCompleted.p95Ms)),
      stat("dead letters open", String(o.deadLetters.open), o.deadLetters.open ? "bad" : ""),
      stat(`gateway 5xx of ${o.http.totals.requests}`, String(o.http.totals.errors), o.http.totals.errors ? "bad" : ""),
    );
    this.byRole("span").textContent = `${new Date(o.from).toLocaleString()} – ${new Date(o.to).toLocaleString()}, in buckets of ${bucketWords(o.bucketSeconds)}; numbers from ${o.source === "d1" ? "the local D1 roll-up" : "Workers Analytics Engine"}.`;
    const r = o.requests.series;
    this.requests.set(o.buckets, [r.created, r.completed, r.failed, r.cancelled]);
    this.latency.set(o.buckets, [o.timeToCompleted.series.p50Ms, o.timeToCompleted.series.p95Ms]);
    this.http.set(o.buckets, [o.http.series.requests, o.http.series.errors]);
    this.dead.set(o.buckets, [o.deadLetters.series]);

    const none = (rows: unknown[], text: string) => (rows.length ? null : h("p", { class: "muted", text }));
    this.byRole("tasks").replaceChildren(
      table("AI tasks by kind, provider and outcome", ["Kind", "Provider", "Outcome", "Count", "p50", "p95", "Tokens"], o.tasks.map((x) => [x.kind, x.provider, badge(x.outcome), String(x.count), duration(x.p50Ms), duration(x.p95Ms), x.tokens === null ? "—" : String(x.tokens)])),
      none(o.tasks, "No tasks ran in this range.") ?? "",
    );
    this.byRole("notifications").replaceChildren(
      table("Notifications by channel and outcome", ["Channel", "Outcome", "Count"], o.notifications.map((x) => [x.channel, badge(x.outcome), String(x.count)])),
      none(o.notifications, "No notifications in this range.") ?? "",
    );
    this.byRole("queues").replaceChildren(
      table("Queues", ["Queue", "Backlog now", "Retries", "Dead letters open"], o.queues.map((q) => [
        q.queue,
        q.backlog === null ? h("span", { class: "muted", title: "The platform does not report queue backlogs locally", text: "not reported" }) : String(q.backlog),
        String(q.retries),
        q.deadLetters ? h("a", { href: `#dead-letters/${encodeURIComponent(q.queue)}`, class: "ops-bad", text: String(q.deadLetters) }) : "0",
      ])),
    );
    this.byRole("routes").replaceChildren(
      table("Busiest gateway routes", ["Route", "Count", "5xx", "p50", "p95"], o.http.routes.map((x) => [h("code", { text: x.route }), String(x.count), String(x.errors), duration(x.p50Ms), duration(x.p95Ms)])),
      none(o.http.routes, "No gateway traffic in this range.") ?? "",
    );
  }

  private async loadSlots(): Promise<void> {
    const box = this.byRole("slots");
    try {
      const s = await opsApi<Slots>("/api/ops/job-slots");
      const line = (list: Slots["running"], empty: string) =>
        list.length ? h("ol", { class: "ops-line" }, ...list.map((x) => h("li", {}, storyLink(x.requestId), " since ", when(x.since)))) : h("p", { class: "muted", text: empty });
      box.replaceChildren(
        h("p", {}, h("strong", { text: `${s.running.length} of ${s.slots || "?"} job slots in use` }), `, ${s.waiting.length} waiting in line.`),
        h("h4", { text: "Running" }),
        line(s.running, "No job is running."),
        h("h4", { text: "Waiting in line (first in line first)" }),
        line(s.waiting, "No one is waiting."),
      );
    } catch (err) {
      showLoadProblem(box, err, "Job slots");
    }
  }

  private async loadAlerts(): Promise<void> {
    const box = this.byRole("alerts");
    try {
      const { active } = await opsApi<Alerts>("/api/ops/alerts");
      box.hidden = false;
      box.className = active.length ? "alert ops-alerts" : "note ops-alerts";
      box.replaceChildren(
        active.length
          ? h("div", {}, h("strong", { text: `${active.length} alert${active.length === 1 ? "" : "s"} firing` }), " · ", h("a", { href: "#alerts", text: "rules and history" }), h("ul", {}, ...active.map((a) => h("li", {}, h("strong", { text: a.rule }), `: ${a.summary} (since `, when(a.firedAt), ")"))))
          : "No alert is firing.",
      );
    } catch (err) {
      // The alerts are a line above the overview; until they exist the line says so quietly.
      showLoadProblem(box, err, "Alerts");
    }
  }
}
