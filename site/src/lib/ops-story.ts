/**
 * A request's whole story on one page (GET /api/ops/requests/:id/story): the request, its job and tasks with their
 * timings and a way to read each task's result, its notifications, and everything that happened to it in time
 * order: events, every worker's log lines, dead letters, audit entries. Where the platform does not serve the story
 * yet, the console tells it from the routes that exist (the job, its notifications, the logging timeline) and says so.
 */
import { ApiError } from "../api";
import { type View, badge, clearLoadProblem, duration, finder, h, notLanded, opsApi, problemText, showLoadProblem, table, when } from "./ops-ui";

type Task = { id: string; kind: string; fileName?: string; state: string; attempt: number; startedAt?: string; finishedAt?: string; durationMs?: number; provider?: string; error?: string; resultUrl: string };
/** `recipient` only where the source gives it (half hidden): the story leaves addresses out. */
type Notification = { id: string; channel: string; kind: string; status: string; recipient?: string; attempts: number; error: string | null; createdAt: string; sentAt: string | null; deliveredAt: string | null };
type Entry = { at: string; kind: string } & Record<string, unknown>;
export type Story = {
  requestId: string;
  request: { id: string; status?: string; channel: string; createdAt: string; userId: string | null; erased?: boolean } | null;
  job: { status: string; createdAt: string; updatedAt: string; completedAt: string | null; error: string | null; tasks: Task[] } | null;
  notifications: Notification[];
  entries: Entry[];
  truncated: boolean;
};

/** The job as the orchestrator holds it (GET /api/ops/jobs/:id), for the story told from the older routes. */
type JobState = { status: string; startedAt: string; finishedAt: string | null; error: string | null; tasks: Omit<Task, "resultUrl">[] };

/** Treats "not found" as nothing known, so one missing part does not hide the others. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ApiError && err.problem.status === 404 && !notLanded(err)) return null;
    throw err;
  }
}

/** The story from the routes that were there before it: the job, the notifications and the logging timeline. */
async function storyFromParts(id: string): Promise<Story> {
  const e = encodeURIComponent(id);
  const [job, notes, timeline] = await Promise.all([
    orNull(opsApi<JobState>(`/api/ops/jobs/${e}`)),
    orNull(opsApi<{ notifications: Notification[] }>(`/api/ops/notifications?requestId=${e}`)),
    orNull(opsApi<{ entries: Entry[] }>(`/api/ops/timeline/${e}`)),
  ]);
  if (!job && !notes?.notifications.length && !timeline) throw new ApiError({ status: 404, title: "Not found", detail: `Nothing is known of ${id}` });
  const tasks = (job?.tasks ?? []).map((t) => ({ ...t, resultUrl: `/api/ops/jobs/${e}/tasks/${encodeURIComponent(t.id)}/result` }));
  return {
    requestId: id,
    request: null,
    job: job ? { status: job.status, createdAt: job.startedAt, updatedAt: job.finishedAt ?? job.startedAt, completedAt: job.finishedAt, error: job.error, tasks } : null,
    notifications: notes?.notifications ?? [],
    entries: timeline?.entries ?? [],
    truncated: false,
  };
}

/** What one entry of the timeline says, in a line; its whole data is in the row's details. */
function describe(entry: Entry): string {
  const s = (k: string) => (entry[k] === undefined || entry[k] === null ? "" : String(entry[k]));
  switch (entry.kind) {
    case "event":
      return `${s("type")} from ${s("source")}`;
    case "log":
      return `[${s("service")}] ${s("msg")}`;
    case "dead-letter":
      return `dead letter on ${s("queue")}: ${s("reason")} after ${s("attempts")} attempts${entry.redrivenAt ? `, redriven ${s("redrivenAt")}` : ""}`;
    case "task":
      return `task ${s("taskKind")} ${s("state")}${entry.durationMs !== undefined ? ` in ${duration(Number(entry.durationMs))}` : ""}${entry.provider ? ` by ${s("provider")}` : ""}`;
    case "notification":
      return `${s("channel")} message ${s("status")}`;
    case "audit":
      return `${s("action")} by ${typeof entry.actor === "object" && entry.actor ? JSON.stringify(entry.actor) : s("actor")}`;
    default:
      return entry.kind;
  }
}

/** The exact time, to the millisecond: log lines of one request are often within the same second. */
const precise = (iso: string) => {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3, hourCycle: "h23" });
  return h("time", { datetime: iso, title: iso, text: `${at.toLocaleDateString()} ${time}` });
};

export class StoryView implements View {
  readonly id = "request";
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly out: HTMLElement;
  private readonly problem: HTMLElement;

  constructor(root: HTMLElement) {
    const q = finder(root);
    this.form = q<HTMLFormElement>("form");
    this.input = q<HTMLInputElement>("input[name=id]");
    this.out = q("[data-part=story]");
    this.problem = q("[data-part=problem]");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const id = this.input.value.trim();
      if (id) location.hash = `#request/${encodeURIComponent(id)}`;
    });
  }

  async show(arg: string | undefined): Promise<void> {
    const id = arg ? decodeURIComponent(arg) : "";
    this.input.value = id;
    this.out.replaceChildren();
    clearLoadProblem(this.problem);
    if (!id) return;
    let story: Story;
    let told = "";
    try {
      story = await opsApi<Story>(`/api/ops/requests/${encodeURIComponent(id)}/story`).catch((err: unknown) => {
        if (!notLanded(err)) throw err;
        told = "Told from the job, its notifications and the logging timeline: the platform does not serve a request's story in one call yet.";
        return storyFromParts(id);
      });
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 404) {
        this.problem.hidden = false;
        this.problem.className = "alert";
        this.problem.textContent = `Nothing is known of ${id}: check the id (req_…).`;
      } else showLoadProblem(this.problem, err, "The request's story");
      return;
    }
    this.render(story, told);
  }

  /** The messages about the request; the "To" column only where the source says to whom. */
  private notifications(notes: Notification[]): HTMLTableElement {
    const to = notes.some((n) => n.recipient);
    const headers = ["Channel", "Kind", "Status", ...(to ? ["To"] : []), "Attempts", "Created", "Sent", "Delivered", "Error"];
    return table("Notifications", headers, notes.map((n) => [
      n.channel, n.kind, badge(n.status), ...(to ? [n.recipient ?? "—"] : []), String(n.attempts), when(n.createdAt), when(n.sentAt), when(n.deliveredAt), n.error ?? "",
    ]));
  }

  private render(story: Story, told: string): void {
    const { request, job } = story;
    const facts = h(
      "dl",
      { class: "ops-facts" },
      h("dt", { text: "Request" }), h("dd", {}, h("code", { text: story.requestId }), " · ", h("a", { href: `#logs/${encodeURIComponent(story.requestId)}`, text: "search its log lines" })),
      // Told from the older routes, the story has no request row: its lines are left out rather than shown empty.
      ...(request ? [
        ...(request.status ? [h("dt", { text: "Status" }), h("dd", {}, badge(request.status))] : []),
        h("dt", { text: "Channel" }), h("dd", { text: request.channel }),
        h("dt", { text: "Account" }), h("dd", { text: request.userId ?? "none (sent without signing in)" }),
        ...(request.erased ? [h("dt", { text: "Erased" }), h("dd", { text: "yes: its person's data is gone" })] : []),
        h("dt", { text: "Submitted" }), h("dd", {}, when(request.createdAt)),
      ] : []),
      h("dt", { text: "Job" }), h("dd", {}, job ? badge(job.status) : request?.erased ? "none" : h("span", {}, "not started: in line for a job slot (", h("a", { href: "#overview", text: "job slots" }), ")")),
      h("dt", { text: "Job started" }), h("dd", {}, when(job?.createdAt)),
      h("dt", { text: "Completed" }), h("dd", {}, when(job?.completedAt)),
      h("dt", { text: "Error" }), h("dd", { text: job?.error ?? "—" }),
    );
    const tasks = job?.tasks ?? [];
    const resultButton = (task: Task) => {
      const button = h("button", { type: "button", class: "secondary small", text: "Result" });
      const out = h("div", { class: "ops-result" });
      button.addEventListener("click", () => {
        button.disabled = true;
        opsApi<unknown>(task.resultUrl)
          .then((result) => out.replaceChildren(h("pre", { text: JSON.stringify(result, null, 2) })))
          .catch((err: unknown) => out.replaceChildren(h("p", { class: "alert", text: problemText(err) })))
          .finally(() => {
            button.disabled = false;
          });
      });
      return h("div", {}, task.state === "succeeded" ? button : h("span", { class: "muted", text: "none" }), out);
    };
    this.out.replaceChildren(
      told ? h("p", { class: "ops-unavailable", text: told }) : "",
      h("section", { class: "card" }, h("h3", { text: "Request and job" }), facts),
      h(
        "section",
        { class: "card" },
        h("h3", { text: `Tasks (${tasks.length})` }),
        tasks.length
          ? table("Tasks", ["Task", "State", "Attempt", "Started", "Finished", "Took", "Provider", "Error", "Result"], tasks.map((t) => [
              h("span", {}, h("strong", { text: t.kind }), t.fileName ? h("span", { class: "muted", text: ` ${t.fileName}` }) : ""),
              badge(t.state), String(t.attempt), when(t.startedAt), when(t.finishedAt), duration(t.durationMs), t.provider ?? "—", t.error ?? "", resultButton(t),
            ]))
          : h("p", { class: "muted", text: "No tasks." }),
      ),
      h(
        "section",
        { class: "card" },
        h("h3", { text: `Notifications (${story.notifications.length})` }),
        story.notifications.length
          ? this.notifications(story.notifications)
          : h("p", { class: "muted", text: "No notifications." }),
      ),
      h(
        "section",
        { class: "card" },
        h("h3", { text: `Everything in time order (${story.entries.length})` }),
        story.truncated ? h("p", { class: "alert", text: "Cut short: one kind of entry reached its 2,000-entry cap." }) : "",
        h("ol", { class: "ops-story" }, ...story.entries.map((entry) => {
          const level = typeof entry.level === "string" ? entry.level : "";
          const { at: _at, kind: _kind, ...rest } = entry;
          return h(
            "li",
            { class: `ops-entry ${entry.kind} ${level}` },
            precise(entry.at),
            h("span", { class: "ops-kind", text: level ? `${entry.kind} ${level}` : entry.kind }),
            h("div", { class: "ops-what" }, describe(entry), " ", h("details", {}, h("summary", { text: "details" }), h("pre", { text: JSON.stringify(rest, null, 2) }))),
          );
        })),
      ),
    );
  }
}
