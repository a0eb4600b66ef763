/** The local outbox page: what the platform sent while running locally (development only). */
import { ApiError, api, byId } from "./api";

type Message = { id: string; channel: string; to: string | string[]; subject?: string; body: string; requestId?: string; time: string };

const filter = byId<HTMLInputElement>("filter");
filter.value = new URLSearchParams(location.search).get("requestId") ?? "";

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function load(): Promise<void> {
  const q = filter.value.trim() ? `?requestId=${encodeURIComponent(filter.value.trim())}` : "";
  try {
    const body = await api<{ messages: Message[] }>(`/api/dev/outbox${q}`);
    byId("messages").replaceChildren(
      ...body.messages.map((m) => {
        const tr = document.createElement("tr");
        const subject = cell(m.subject ?? "");
        const details = document.createElement("details");
        const summary = document.createElement("summary");
        summary.textContent = "message";
        const pre = document.createElement("pre");
        pre.textContent = m.body;
        details.append(summary, pre);
        subject.append(details);
        tr.append(cell(new Date(m.time).toLocaleString()), cell(m.channel), cell(Array.isArray(m.to) ? m.to.join(", ") : m.to), subject, cell(m.requestId ?? ""));
        return tr;
      }),
    );
  } catch (err) {
    const el = byId("problem");
    el.textContent = err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : "Could not load the outbox";
    el.hidden = false;
  }
}

filter.addEventListener("change", () => void load());
void load();
setInterval(() => void load(), 3_000);
