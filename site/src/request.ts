/**
 * The status page: follows one request live until it finishes, for whoever
 * holds its status link, or for its signed-in owner (the dashboard links here
 * without a token). The job's state is pushed (see live.ts); the request
 * itself (text, result) is read from the status URL at the start and the end,
 * and the analysis as soon as its step succeeded. The messages sent about it
 * are read again whenever its status changes.
 */
import { type Analysis, renderAnalysis, renderDraft, showDraft } from "./analysis";
import { ApiError, api, byId } from "./api";
import { RequestMessages } from "./lib/request-messages";
import { type LiveMessage, followLive } from "./live";
import { currentSession } from "./session";

type Step = { id: string; kind: string; fileName?: string; state: string; attempt: number; durationMs?: number; error?: string };
type RequestView = { id: string; status: string; line: { ahead: number } | null; text: string; steps: Step[]; result: Analysis | null; error: string | null };

const params = new URLSearchParams(location.search);
const id = params.get("id") ?? "";
const token = params.get("token") ?? "";
// Without a token the page reads as the signed-in owner: api() sends the session with every call.
const query = token ? `?token=${encodeURIComponent(token)}` : "";
const base = `/api/requests/${encodeURIComponent(id)}`;
const finished = new Set(["completed", "failed", "cancelled"]);
const stepLabels: Record<string, string> = { asr: "Transcription", docai: "Documents", nlp: "Analysis", prototype: "First draft" };
const messages = new RequestMessages(base, query);
/** The status last shown: a new one means new messages about the request (received, ready, failed). */
let shownStatus: string | undefined;

function renderStatus(status: string): void {
  if (status !== shownStatus) {
    shownStatus = status;
    messages.watch();
  }
  const el = byId("status");
  el.textContent = status;
  el.className = `status ${status}`;
  byId<HTMLButtonElement>("cancel").hidden = finished.has(status);
}

function renderProgress(pct: number): void {
  byId("bar").style.width = `${pct}%`;
  byId("bar").parentElement?.setAttribute("aria-valuenow", String(pct));
}

/** What a recording was heard as, or a document read as: fetched once, when the client first opens it. */
const outputs = new Map<string, Promise<string>>();
/** Steps whose text the client has open, kept open across the timeline's re-renders. */
const openSteps = new Set<string>();

type TaskResult = { output?: { text?: string; markdown?: string } };

function outputText(step: Step): Promise<string> {
  let text = outputs.get(step.id);
  if (!text) {
    text = api<TaskResult>(`${base}/tasks/${encodeURIComponent(step.id)}/result${query}`).then(({ output }) => (output?.markdown || output?.text || "").trim());
    // A failed read is asked again the next time the step is opened.
    text.catch(() => outputs.delete(step.id));
    outputs.set(step.id, text);
  }
  return text;
}

/** A succeeded transcription's or document's text, behind a disclosure on its timeline row. */
function outputDisclosure(step: Step): HTMLDetailsElement {
  const details = document.createElement("details");
  details.className = "output";
  const summary = document.createElement("summary");
  summary.textContent = step.kind === "asr" ? "What we heard" : "The text we read";
  const body = document.createElement("pre");
  body.textContent = "Loading…";
  details.append(summary, body);
  details.addEventListener("toggle", () => {
    if (!details.open) return void openSteps.delete(step.id);
    openSteps.add(step.id);
    outputText(step).then(
      (text) => (body.textContent = text || (step.kind === "asr" ? "No speech was recognised." : "No text was found.")),
      () => (body.textContent = "It could not be loaded; close and open this again."),
    );
  });
  details.open = openSteps.has(step.id);
  return details;
}

function renderSteps(steps: Step[]): void {
  byId("timeline").replaceChildren(
    ...[{ kind: "received", state: "succeeded", attempt: 1, id: "received" } as Step, ...steps].map((s) => {
      const li = document.createElement("li");
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = s.kind === "received" ? "Received" : (stepLabels[s.kind] ?? s.kind);
      if (s.fileName) {
        const file = document.createElement("span");
        file.className = "step-file";
        file.textContent = s.fileName;
        kind.append(document.createElement("br"), file);
      }
      const state = document.createElement("span");
      state.className = `status ${s.state}`;
      state.textContent = s.state;
      const meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = [s.attempt > 1 ? `attempt ${s.attempt}` : "", s.durationMs !== undefined ? `${s.durationMs} ms` : "", s.error ?? ""].filter(Boolean).join(" · ");
      li.append(kind, state, meta);
      if (s.state === "succeeded" && (s.kind === "asr" || s.kind === "docai")) li.append(outputDisclosure(s));
      return li;
    }),
  );
}

/** While the job waits in line for a slot its state is not pushed (it has none yet): the place is read again this often. */
const LINE_REFRESH_MS = 3_000;
let lineTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Reads the place in line again. A read that failed for a while (the network, a 5xx) is tried again after the same
 * wait; a refusal (the session ended) is shown and stops it.
 */
function refreshLine(): void {
  lineTimer = undefined;
  void load().then((valid) => {
    if (!valid) byId("line").hidden = true;
    else if (lineTimer === undefined && !byId("line").hidden) lineTimer = setTimeout(refreshLine, LINE_REFRESH_MS);
  });
}

/** Says where the request waits in line, and keeps saying it until its job starts. */
function renderLine(line: RequestView["line"]): void {
  const el = byId("line");
  clearTimeout(lineTimer);
  lineTimer = undefined;
  el.hidden = !line;
  if (!line) return;
  el.textContent =
    line.ahead === 0
      ? "Your request is next in line: its analysis starts as soon as one of the requests being analysed now is done."
      : `Your request is in line behind ${line.ahead} other${line.ahead === 1 ? "" : "s"}: its analysis starts as soon as their turn is over.`;
  lineTimer = setTimeout(refreshLine, LINE_REFRESH_MS);
}

function render(view: RequestView): void {
  renderStatus(view.status);
  renderLine(view.line);
  byId("text").textContent = view.text;
  const done = view.steps.filter((s) => finished.has(s.state) || s.state === "succeeded").length;
  renderProgress(view.status === "completed" ? 100 : view.steps.length ? Math.round((done / view.steps.length) * 100) : 5);
  renderSteps(view.steps);
  if (view.result) {
    renderAnalysis(view.result);
    renderDraft(view.result);
  } else followAnalysis(view.steps);
  if (view.error) showProblem(view.error);
}

/** The analysis task's output, read once its step succeeded; a failed read is tried at the next state. */
let analysisRead: Promise<void> | undefined;

/**
 * Shows the analysis as soon as its step succeeded, while the draft that builds on it is still being written (a
 * language model takes a while); the status URL holds it only once the whole job finished.
 */
function followAnalysis(steps: Step[]): void {
  const step = steps.find((s) => s.kind === "nlp" && s.state === "succeeded");
  if (!step || analysisRead) return;
  analysisRead = api<{ output?: Analysis }>(`${base}/tasks/${encodeURIComponent(step.id)}/result${query}`).then(
    ({ output }) => {
      // The finished job's result, read meanwhile, holds the same analysis: showing it again changes nothing.
      if (output) renderAnalysis(output);
    },
    () => void (analysisRead = undefined),
  );
}

/** One pushed state: the job's tasks and progress; the result is read once the job finished. */
function renderLive(message: LiveMessage): void {
  const job = message.job;
  if (!job) return;
  renderLine(null);
  renderProgress(Math.max(job.progress.percent, 5));
  renderSteps(job.tasks);
  followAnalysis(job.tasks);
  // The final status is shown together with the result it announces, which the status URL holds.
  if (!finished.has(job.status)) renderStatus(job.status);
  else void load().then(() => renderStatus(job.status));
}

function showProblem(message: string): void {
  const el = byId("problem");
  el.textContent = message;
  el.hidden = false;
}

/** Reads the request once; false when the link is not valid (nothing to follow). */
async function load(): Promise<boolean> {
  try {
    render(await api<RequestView>(`${base}${query}`));
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.problem.status < 500 && err.problem.status !== 429) {
      showProblem(
        err.problem.status === 401
          ? "Your session has ended. Sign in again under Your requests to see this request."
          : err.problem.status !== 404
          ? (err.problem.detail ?? err.problem.title)
          : token || currentSession()
            ? "This link is not valid: no request was found for it."
            : "Sign in to see this request (Your requests, at the top of the page), or open the link from your email.",
      );
      byId("status").textContent = "unavailable";
      return false;
    }
    return true;
  }
}

/** The last resort when neither WebSocket nor SSE gets through. */
async function poll(delay = 500): Promise<void> {
  try {
    const view = await api<RequestView>(`${base}${query}`);
    render(view);
    if (finished.has(view.status)) return;
  } catch (err) {
    // A refusal (the link or the session is no longer valid) will not change by asking again; anything else is
    // transient.
    if (err instanceof ApiError && err.problem.status >= 400 && err.problem.status < 500 && err.problem.status !== 429) {
      showProblem(err.problem.detail ?? err.problem.title);
      return;
    }
  }
  setTimeout(() => void poll(Math.min(delay * 1.5, 5_000)), delay);
}

byId<HTMLButtonElement>("cancel").addEventListener("click", async (e) => {
  const button = e.currentTarget as HTMLButtonElement;
  button.disabled = true;
  try {
    await api(`${base}/cancel${query}`, { method: "POST" });
  } catch (err) {
    showProblem(err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : "The request could not be cancelled; try again.");
    button.disabled = false;
  }
});

/**
 * Where to follow the job live. A browser cannot send the owner's session with a WebSocket or an EventSource, so
 * the owner's page asks for a short-lived ticket before each connection.
 */
const liveAt = token
  ? `${base}/live${query}`
  : async () => (await api<{ url: string }>(`${base}/live-ticket`, { method: "POST" })).url;

void load().then((valid) => {
  if (valid && !finished.has(byId("status").textContent ?? "")) followLive(liveAt, { onState: renderLive, onDraft: (d) => showDraft(d.markdown, true), onGiveUp: () => void poll() });
});
