/** The status page: follows one request until it completes, for whoever holds its status link. */
import { ApiError, api, byId } from "./api";

type Step = { id: string; kind: string; state: string; attempt: number; durationMs?: number; error?: string };
type Analysis = { language?: { code: string }; summary?: string; keywords?: { phrase: string }[] };
type RequestView = { id: string; status: string; text: string; steps: Step[]; result: Analysis | null; error: string | null };

const params = new URLSearchParams(location.search);
const id = params.get("id") ?? "";
const token = params.get("token") ?? "";
const finished = new Set(["completed", "failed", "cancelled"]);
const stepLabels: Record<string, string> = { asr: "Transcription", docai: "Documents", nlp: "Analysis", prototype: "First draft" };

function render(view: RequestView): void {
  const status = byId("status");
  status.textContent = view.status;
  status.className = `status ${view.status}`;
  byId("text").textContent = view.text;
  const done = view.steps.filter((s) => finished.has(s.state) || s.state === "succeeded").length;
  const pct = view.status === "completed" ? 100 : view.steps.length ? Math.round((done / view.steps.length) * 100) : 5;
  byId("bar").style.width = `${pct}%`;
  byId("bar").parentElement?.setAttribute("aria-valuenow", String(pct));
  const list = byId("timeline");
  list.replaceChildren(
    ...[{ kind: "received", state: "succeeded", attempt: 1, id: "received" } as Step, ...view.steps].map((s) => {
      const li = document.createElement("li");
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = s.kind === "received" ? "Received" : (stepLabels[s.kind] ?? s.kind);
      const state = document.createElement("span");
      state.className = `status ${s.state}`;
      state.textContent = s.state;
      const meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = [s.attempt > 1 ? `attempt ${s.attempt}` : "", s.durationMs !== undefined ? `${s.durationMs} ms` : "", s.error ?? ""].filter(Boolean).join(" · ");
      li.append(kind, state, meta);
      return li;
    }),
  );
  if (view.result) {
    byId("result").hidden = false;
    byId("language").textContent = view.result.language?.code ?? "unknown";
    byId("summary").textContent = view.result.summary ?? "";
    byId("keywords").replaceChildren(
      ...(view.result.keywords ?? []).map((k) => {
        const li = document.createElement("li");
        li.textContent = k.phrase;
        return li;
      }),
    );
  }
  if (view.error) showProblem(view.error);
}

function showProblem(message: string): void {
  const el = byId("problem");
  el.textContent = message;
  el.hidden = false;
}

async function poll(delay = 500): Promise<void> {
  try {
    const view = await api<RequestView>(`/api/requests/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`);
    render(view);
    if (finished.has(view.status)) return;
  } catch (err) {
    if (err instanceof ApiError && err.problem.status < 500 && err.problem.status !== 429) {
      showProblem(err.problem.status === 404 ? "This link is not valid: no request was found for it." : (err.problem.detail ?? err.problem.title));
      byId("status").textContent = "unavailable";
      return;
    }
  }
  setTimeout(() => void poll(Math.min(delay * 1.5, 5_000)), delay);
}

void poll();
