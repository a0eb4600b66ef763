/**
 * The local outbox page (development only): every message the platform sent on each channel with the statuses the
 * provider reported, each channel's controls (fail, throttle, stall, never confirm delivery), forms that write to the
 * platform as a client would (Telegram `/start <code>`, a WhatsApp message), and the webhooks the channels sent.
 * Messages come through the platform (`/api/dev/outbox`); the rest straight from the local services, whose address
 * that answer gives (or `?services=` in the page's address).
 */
import { ApiError, api, byId } from "./api";

type Status = { status: string; time: string; detail?: string };
type Message = {
  id: string;
  channel: string;
  from?: string;
  to: string | string[];
  subject?: string;
  body: string;
  html?: string;
  requestId?: string;
  time: string;
  status?: string;
  statuses?: Status[];
  idempotencyKey?: string;
  details?: Record<string, unknown>;
};
type Control = { mode: string; retryAfter: number; delayMs: number; failRate: number };
type Channels = {
  email: { webhook: string | null };
  telegram: { botUsername: string; webhook: { url: string; hasSecretToken: boolean } | null; pendingUpdateCount: number; lastError: { message: string } | null };
  whatsapp: {
    displayPhoneNumber: string;
    phoneNumberId: string;
    webhook: string | null;
    verified: boolean;
    lastHandshake: { outcome: string } | null;
    windows: { waId: string; openUntil: string; open: boolean }[];
  };
  controls: Record<string, Control>;
};
type Attempt = { time: string; status?: number; error?: string };
type Delivery = { id: string; channel: string; event: string; url?: string; state: string; createdAt: string; attempts: Attempt[]; nextAttemptAt?: string; payload: unknown };

const CHANNEL_NAMES: Record<string, string> = { email: "Email", telegram: "Telegram", whatsapp: "WhatsApp" };
/** Each mode as the select offers it; `receipts` marks those that act on delivery reports, which Telegram has none of. */
const MODES: { mode: string; label: string; receipts?: boolean }[] = [
  { mode: "normal", label: "Normal" },
  { mode: "fail", label: "Fail every send (5xx)" },
  { mode: "fail-4xx", label: "Refuse every send (4xx, permanent)" },
  { mode: "429", label: "Throttle (429 with Retry-After)" },
  { mode: "slow", label: "Answer slowly" },
  { mode: "no-delivery", label: "Accept, never report delivered", receipts: true },
  { mode: "out-of-order", label: "Reports out of order, one twice", receipts: true },
  { mode: "undeliverable", label: "Accept, then report failed (bounce)", receipts: true },
];
const REFRESH_MS = 3_000;

const problem = byId("problem");
const channelFilter = byId<HTMLSelectElement>("filter-channel");
const toFilter = byId<HTMLInputElement>("filter-to");
const requestFilter = byId<HTMLInputElement>("filter");
const pageQuery = new URLSearchParams(location.search);
requestFilter.value = pageQuery.get("requestId") ?? "";
let services = pageQuery.get("services") ?? "";

/** An element with text and children; text only ever goes in as text. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const when = (iso: string) => {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
};

function showProblem(text: string | undefined): void {
  problem.textContent = text ?? "";
  problem.hidden = !text;
}

/** A call to the local services, with the error each API words in its own shape. */
async function local<T>(path: string, init?: RequestInit): Promise<T> {
  if (!services) throw new Error("The local services' address is not known yet");
  const res = await fetch(`${services}${path}`, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!res.ok) {
    const nested = body?.error as { message?: string } | undefined;
    throw new Error(String(body?.message ?? body?.description ?? nested?.message ?? `The local services answered ${res.status}`));
  }
  return body as T;
}

const statusClass = (status: string | undefined) =>
  status === "delivered" || status === "read" ? "completed" : status === "failed" ? "failed" : status === "delayed" ? "processing" : "";

function badge(status: string | undefined): HTMLElement {
  return el("span", { class: `status ${statusClass(status)}`.trim() }, status ?? "—");
}

// ---- Channels: state, controls, simulated clients ----

const cards = Object.fromEntries(Object.keys(CHANNEL_NAMES).map((c) => [c, document.querySelector<HTMLElement>(`section[data-channel="${c}"]`)]));

/** The control form of a channel, put after its state line. */
function controlForm(channel: string): HTMLFormElement {
  const id = (name: string) => `${channel}-${name}`;
  const select = el("select", { id: id("mode"), name: "mode" });
  for (const m of MODES) {
    const option = el("option", { value: m.mode }, m.label + (m.receipts && channel === "telegram" ? " (no receipts on Telegram)" : ""));
    if (m.receipts && channel === "telegram") option.disabled = true;
    select.append(option);
  }
  const field = (name: string, label: string, attrs: Record<string, string>, showFor?: string) =>
    el("div", { class: "field", ...(showFor ? { "data-for": showFor } : {}) }, el("label", { for: id(name) }, label), el("input", { id: id(name), name, type: "number", ...attrs }));
  const form = el(
    "form",
    { "aria-label": `${CHANNEL_NAMES[channel]} controls`, "data-control": channel, novalidate: "" },
    el("h4", {}, "How the provider behaves"),
    el(
      "div",
      { class: "row" },
      el("div", { class: "field wide" }, el("label", { for: id("mode") }, "Behaviour"), select),
      field("retryAfter", "Retry-After (s)", { min: "1", max: "3600", step: "1" }, "429"),
      field("delayMs", "Delay (ms)", { min: "0", max: "600000", step: "100" }, "slow"),
      field("failRate", "Share failing (0–1)", { min: "0", max: "1", step: "0.05" }),
    ),
    el("p", {}, el("button", { type: "submit", class: "secondary" }, "Apply")),
    el("output", { role: "status" }),
  );
  const showFields = () => {
    for (const f of form.querySelectorAll<HTMLElement>("[data-for]")) f.hidden = f.dataset.for !== select.value;
  };
  select.addEventListener("change", showFields);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void applyControl(channel, form);
  });
  showFields();
  return form;
}

function describeControl(c: Control): string {
  const extra = c.mode === "429" ? ` (Retry-After ${c.retryAfter} s)` : c.mode === "slow" ? ` (${c.delayMs} ms)` : "";
  const rate = c.failRate > 0 ? `, ${Math.round(c.failRate * 100)}% of sends fail` : "";
  return `Now: ${MODES.find((m) => m.mode === c.mode)?.label ?? c.mode}${extra}${rate}.`;
}

function fillControl(channel: string, c: Control): void {
  const form = document.querySelector<HTMLFormElement>(`form[data-control="${channel}"]`);
  if (!form) return;
  const set = (name: string, value: string) => {
    const input = form.elements.namedItem(name);
    if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) input.value = value;
  };
  set("mode", c.mode);
  set("retryAfter", String(c.retryAfter));
  set("delayMs", String(c.delayMs));
  set("failRate", String(c.failRate));
  form.querySelector("select")?.dispatchEvent(new Event("change"));
  const output = form.querySelector("output");
  if (output) output.textContent = describeControl(c);
}

async function applyControl(channel: string, form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const output = form.querySelector("output");
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  try {
    const control = await local<Control>(`/outbox/controls/${channel}`, {
      method: "PUT",
      body: JSON.stringify({ mode: data.get("mode"), retryAfter: Number(data.get("retryAfter")), delayMs: Number(data.get("delayMs")), failRate: Number(data.get("failRate")) }),
    });
    fillControl(channel, control);
  } catch (err) {
    if (output) output.textContent = err instanceof Error ? err.message : String(err);
  } finally {
    if (button) button.disabled = false;
  }
}

function stateLine(channel: string, parts: (Node | string)[]): void {
  cards[channel]?.querySelector("[data-state]")?.replaceChildren(...parts);
}

function renderChannels(state: Channels): void {
  const target = (url: string | null | undefined, missing: string) => (url ? ["Webhooks go to ", el("code", {}, url), "."] : [missing]);
  stateLine("email", target(state.email.webhook, "No webhooks: LOCAL_WEBHOOK_BASE is not set for the local services."));
  const tg = state.telegram;
  stateLine("telegram", [
    "Bot ",
    el("strong", {}, `@${tg.botUsername}`),
    ". ",
    ...(tg.webhook
      ? ["Updates go to ", el("code", {}, tg.webhook.url), tg.webhook.hasSecretToken ? " with its secret token" : " without a secret token", "."]
      : ["No webhook set yet (setWebhook): updates wait for getUpdates."]),
    ...(tg.pendingUpdateCount ? [` ${tg.pendingUpdateCount} update(s) pending.`] : []),
    ...(tg.lastError ? [` Last error: ${tg.lastError.message}.`] : []),
  ]);
  const wa = state.whatsapp;
  const windows = wa.windows.filter((w) => w.open).map((w) => `+${w.waId} until ${when(w.openUntil)}`);
  stateLine("whatsapp", [
    "Business number ",
    el("strong", {}, `+${wa.displayPhoneNumber}`),
    ` (id ${wa.phoneNumberId}). `,
    ...target(wa.webhook, "No webhooks: LOCAL_WEBHOOK_BASE is not set for the local services."),
    wa.webhook ? (wa.verified ? " Verified." : ` Not verified yet${wa.lastHandshake ? ` (the handshake ${wa.lastHandshake.outcome})` : " (it is verified before the first webhook)"}.`) : "",
    ` Open windows: ${windows.length ? windows.join(", ") : "none"}.`,
  ]);
}

async function simulate(form: HTMLFormElement, path: string, body: () => Record<string, unknown>, done: (answer: Record<string, unknown>) => string): Promise<void> {
  const output = form.querySelector("output");
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  try {
    const answer = await local<Record<string, unknown>>(path, { method: "POST", body: JSON.stringify(body()) });
    if (output) output.textContent = done(answer);
    output?.classList.remove("bad");
    void refresh();
  } catch (err) {
    if (output) output.textContent = err instanceof Error ? err.message : String(err);
    output?.classList.add("bad");
  } finally {
    if (button) button.disabled = false;
  }
}

const telegramForm = byId<HTMLFormElement>("telegram-client");
telegramForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(telegramForm);
  void simulate(
    telegramForm,
    "/telegram/standin/updates",
    () => ({ chatId: Number(data.get("chatId")), firstName: data.get("firstName"), text: data.get("text") }),
    (a) => (a.delivery ? "Sent to the bot's webhook (see Webhooks below)." : "No webhook set: the update waits for getUpdates."),
  );
});
const whatsappForm = byId<HTMLFormElement>("whatsapp-client");
whatsappForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(whatsappForm);
  void simulate(
    whatsappForm,
    "/whatsapp/standin/inbound",
    () => ({ from: data.get("from"), name: data.get("name"), text: data.get("text") }),
    (a) => `Sent to the platform's webhook; free text to this number is allowed until ${when(String(a.windowOpenUntil))}.`,
  );
});

// ---- Messages ----

const messageRows = new Map<string, { row: HTMLTableRowElement; status: HTMLTableCellElement; signature: string }>();

function statusCell(m: Message): HTMLTableCellElement {
  const td = el("td", {}, badge(m.status));
  const history = (m.statuses ?? []).map((s) => el("li", {}, `${s.status} ${when(s.time)}${s.detail ? ` — ${s.detail}` : ""}`));
  if (history.length) td.append(el("ol", { class: "statuses", "aria-label": "Status history" }, ...history));
  return td;
}

function contentCell(m: Message): HTMLTableCellElement {
  const summary = m.subject ?? m.body.split("\n")[0] ?? "";
  const details = el("details", {}, el("summary", {}, m.channel === "email" ? "Show the email" : "Show the message"));
  const html = m.channel === "email" ? m.html : undefined;
  if (html) {
    // The email's own HTML, as a mail client shows it, in a frame that runs no script and reaches nothing of this page;
    // made when first opened, so a long list holds no frames nobody looks at.
    const label = el("p", { class: "muted hint" }, "Text version:");
    details.append(label);
    details.addEventListener(
      "toggle",
      () => {
        const frame = el("iframe", { sandbox: "", title: `The email "${m.subject ?? ""}" as HTML` });
        frame.srcdoc = html;
        label.before(frame);
      },
      { once: true },
    );
  }
  details.append(el("pre", { class: "prose" }, m.body));
  if (m.channel === "telegram" && m.html) details.append(el("p", { class: "muted hint" }, "Sent as Telegram HTML:"), el("pre", {}, m.html));
  return el("td", {}, el("strong", {}, summary.length > 90 ? `${summary.slice(0, 90)}…` : summary), details);
}

function messageRow(m: Message): HTMLTableRowElement {
  const to = Array.isArray(m.to) ? m.to.join(", ") : m.to;
  return el(
    "tr",
    { "data-id": m.id },
    el("td", { class: "when" }, when(m.time)),
    el("td", {}, CHANNEL_NAMES[m.channel] ?? m.channel),
    el("td", {}, m.channel === "whatsapp" ? `+${to}` : to),
    contentCell(m),
    statusCell(m),
    el("td", {}, m.requestId ?? "", ...(m.idempotencyKey ? [el("p", { class: "muted hint" }, `Idempotency-Key ${m.idempotencyKey}`)] : [])),
  );
}

/** Adds new messages on top and updates the statuses of those shown, leaving open frames and details as they are. */
function renderMessages(messages: Message[]): void {
  const body = byId("messages");
  const seen = new Set<string>();
  let previous: HTMLTableRowElement | undefined;
  for (const m of messages) {
    seen.add(m.id);
    const signature = JSON.stringify(m.statuses ?? []);
    let entry = messageRows.get(m.id);
    if (!entry) {
      const row = messageRow(m);
      entry = { row, status: row.cells[4] as HTMLTableCellElement, signature };
      messageRows.set(m.id, entry);
      if (previous) previous.after(row);
      else body.prepend(row);
    } else if (entry.signature !== signature) {
      const cell = statusCell(m);
      entry.status.replaceWith(cell);
      entry.status = cell;
      entry.signature = signature;
    }
    previous = entry.row;
  }
  for (const [id, entry] of messageRows) {
    if (seen.has(id)) continue;
    entry.row.remove();
    messageRows.delete(id);
  }
  byId("empty").hidden = messages.length > 0;
}

// ---- Webhooks ----

function result(d: Delivery): HTMLElement {
  const last = d.attempts[d.attempts.length - 1];
  if (d.state === "no-target") return el("span", { class: "status" }, "not sent: no target");
  if (d.state === "delivered") return el("span", { class: "status completed" }, `delivered (${last?.status ?? ""})`);
  const reason = last ? (last.status ? `answered ${last.status}` : String(last.error)) : "";
  if (d.state === "failed") return el("span", { class: "status failed" }, `gave up: ${reason}`);
  return el("span", { class: "status processing" }, d.nextAttemptAt ? `retrying at ${when(d.nextAttemptAt)}${reason ? ` (${reason})` : ""}` : "sending");
}

function renderWebhooks(deliveries: Delivery[]): void {
  const open = new Set([...document.querySelectorAll<HTMLDetailsElement>("#webhooks details[open]")].map((d) => d.dataset.id));
  byId("webhooks").replaceChildren(
    ...deliveries.map((d) => {
      const payload = el("details", { "data-id": d.id }, el("summary", {}, "payload"), el("pre", {}, JSON.stringify(d.payload, null, 2)));
      payload.open = open.has(d.id);
      return el(
        "tr",
        {},
        el("td", { class: "when" }, when(d.createdAt)),
        el("td", {}, CHANNEL_NAMES[d.channel] ?? d.channel),
        el("td", {}, d.event, payload),
        el("td", {}, result(d)),
        el("td", {}, d.attempts.map((a) => (a.status ? String(a.status) : "✕")).join(" · ") || "—"),
      );
    }),
  );
  byId("no-webhooks").hidden = deliveries.length > 0;
}

// ---- Refreshing ----

let controlsShown = false;

async function refresh(): Promise<void> {
  const q = new URLSearchParams();
  if (channelFilter.value) q.set("channel", channelFilter.value);
  if (toFilter.value.trim()) q.set("to", toFilter.value.trim().replace(/^\+/, ""));
  if (requestFilter.value.trim()) q.set("requestId", requestFilter.value.trim());
  try {
    const list = await api<{ messages: Message[]; localServicesUrl?: string }>(`/api/dev/outbox${q.size ? `?${q}` : ""}`);
    services ||= list.localServicesUrl ?? "";
    renderMessages(list.messages);
    const [state, hooks] = await Promise.all([local<Channels>("/outbox/channels"), local<{ deliveries: Delivery[] }>("/outbox/webhooks?limit=50")]);
    renderChannels(state);
    if (!controlsShown) {
      // The forms are filled once, so a refresh never undoes what a developer is typing.
      for (const channel of Object.keys(CHANNEL_NAMES)) {
        cards[channel]?.querySelector("[data-state]")?.after(controlForm(channel));
        const control = state.controls[channel];
        if (control) fillControl(channel, control);
      }
      controlsShown = true;
    }
    renderWebhooks(hooks.deliveries);
    showProblem(undefined);
  } catch (err) {
    showProblem(err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : `Could not reach the local services: ${err instanceof Error ? err.message : String(err)}`);
  }
}

byId("filters").addEventListener("submit", (event) => event.preventDefault());
for (const input of [channelFilter, toFilter, requestFilter]) input.addEventListener("change", () => void refresh());
void refresh();
setInterval(() => void refresh(), REFRESH_MS);
