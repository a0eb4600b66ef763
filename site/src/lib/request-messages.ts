/**
 * The request page's messages: what was sent about the request, on which channel, to which (masked) address, and
 * how far each got (`GET /api/requests/:id/notifications`), and, to someone who gave a Telegram name but has no chat
 * linked, a link that links one (`POST /api/requests/:id/telegram-link`).
 */
import type { NotificationChannel, NotificationKind, NotificationStatus } from "@statex/shared/notifications";
import { ApiError, api, byId } from "../api";
import { CHANNEL_NAMES } from "./channel-order";

type Message = {
  id: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  status: NotificationStatus;
  to: string;
  step: number;
  fallbackFrom: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
};
type Messages = { requestId: string; telegram: { linked: boolean; offered: boolean }; notifications: Message[] };
type Link = { url: string; code: string; expiresAt: string };

const KIND_WORDS: Record<NotificationKind, string> = {
  received: "Request received",
  ready: "Analysis and draft ready",
  failed: "Request could not be completed",
  account: "Your account",
};

/** Each status as a client reads it; the badge's class is the status itself (styles.css colours them). */
const STATUS_WORDS: Record<NotificationStatus, string> = {
  queued: "Waiting to go out",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Did not arrive",
  manual: "With our team",
  skipped: "Not sent",
};

/** A request's messages change after its status does (written, sent, then reported delivered): read this long after. */
const WATCH_MS = 120_000;
/** How often they are read meanwhile. */
const POLL_MS = 5_000;

/** Today's times by the clock alone. */
function when(iso: string): string {
  const d = new Date(iso);
  const clock = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return d.toDateString() === new Date().toDateString() ? clock : `${d.toLocaleDateString()} ${clock}`;
}

export class RequestMessages {
  readonly #section = byId("messages");
  readonly #status = byId("telegram-status");
  #until = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Until when a Telegram link waits for the client to press Start: the messages are read meanwhile. */
  #linkUntil = 0;
  /** Nothing more is read: the route refused (no such request for this link, or it was erased). */
  #stopped = false;

  /** `base` is the request's API path, `query` its status link's `?token=` (or "" for the signed-in owner). */
  constructor(
    private readonly base: string,
    private readonly query: string,
  ) {
    byId("telegram-link").addEventListener("click", (e) => void this.#link(e.currentTarget as HTMLButtonElement));
  }

  /** Reads the messages now and for a while after: called at the start and whenever the request's status changes. */
  watch(): void {
    this.#until = Date.now() + WATCH_MS;
    void this.#read();
  }

  async #read(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped) return;
    try {
      this.#render(await api<Messages>(`${this.base}/notifications${this.query}`));
    } catch (err) {
      // A refusal will not change by asking again; the page's own reading of the request says why.
      if (err instanceof ApiError && err.problem.status >= 400 && err.problem.status < 500 && err.problem.status !== 429) {
        this.#stopped = true;
        this.#section.hidden = true;
        return;
      }
    }
    // Two reads may overlap (a status change during a read): the last to answer keeps the one timer.
    clearTimeout(this.#timer);
    // A waiting link is read once past its expiry too, which then says it expired.
    if (Date.now() < Math.max(this.#until, this.#linkUntil && this.#linkUntil + POLL_MS)) this.#timer = setTimeout(() => void this.#read(), POLL_MS);
  }

  #render(view: Messages): void {
    this.#section.hidden = false;
    const byIdOf = new Map(view.notifications.map((m) => [m.id, m]));
    byId("message-rows").replaceChildren(...view.notifications.map((m) => this.#row(m, byIdOf.get(m.fallbackFrom ?? ""))));
    byId("messages-table").hidden = view.notifications.length === 0;
    byId("messages-empty").hidden = view.notifications.length > 0;
    const offer = byId("telegram-offer");
    if (this.#linkUntil && (view.telegram.linked || Date.now() > this.#linkUntil)) {
      byId("telegram-ready").hidden = true;
      byId("telegram-link").hidden = false;
      this.#status.textContent = view.telegram.linked
        ? "Telegram is linked: our next messages about this request come there."
        : "The link has expired. Press Get updates on Telegram for a new one.";
      this.#linkUntil = 0;
    }
    offer.hidden = !view.telegram.offered;
  }

  #row(m: Message, replaced: Message | undefined): HTMLTableRowElement {
    const tr = document.createElement("tr");
    const by = document.createElement("td");
    by.textContent = CHANNEL_NAMES[m.channel];
    const about = document.createElement("td");
    about.textContent = KIND_WORDS[m.kind];
    if (m.fallbackFrom) {
      // A later step of the ladder: the message before it did not reach the client, so this one went instead.
      const note = document.createElement("div");
      note.className = "muted hint";
      note.textContent = replaced ? `Instead of the ${CHANNEL_NAMES[replaced.channel]} message, which did not arrive` : "Instead of an earlier message, which did not arrive";
      about.append(note);
    }
    const status = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = `status ${m.status}`;
    badge.textContent = STATUS_WORDS[m.status];
    status.append(badge);
    const to = document.createElement("td");
    to.textContent = m.to;
    const times = document.createElement("td");
    // The steps the message went through; one not sent yet shows when it was written.
    const steps: [string, string | null][] = [["Sent", m.sentAt], ["Delivered", m.deliveredAt], ["Read", m.readAt], ["Failed", m.failedAt]];
    const reached = steps.filter((s): s is [string, string] => s[1] !== null);
    times.append(
      ...(reached.length ? reached : [["Written", m.createdAt] as [string, string]]).map(([word, iso]) => {
        const line = document.createElement("div");
        const time = document.createElement("time");
        time.dateTime = iso;
        time.textContent = when(iso);
        line.append(`${word} `, time);
        return line;
      }),
    );
    tr.append(by, about, status, to, times);
    return tr;
  }

  /**
   * A link to the bot that links the chat it is opened in to this request. It opens in Telegram only when the person
   * taps it (a window opened after an answer is blocked), so the page shows it.
   */
  async #link(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const link = await api<Link>(`${this.base}/telegram-link${this.query}`, { method: "POST" });
      const open = byId<HTMLAnchorElement>("telegram-open");
      open.href = link.url;
      const until = new Date(link.expiresAt);
      byId("telegram-expiry").textContent = `The link works once, until ${until.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`;
      byId("telegram-ready").hidden = false;
      // One thing to tap while the link waits: asking for another would only make this one look wrong.
      button.hidden = true;
      this.#status.textContent = "";
      this.#linkUntil = until.getTime();
      if (this.#timer === undefined) this.#timer = setTimeout(() => void this.#read(), POLL_MS);
      open.focus();
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 409) {
        byId("telegram-offer").hidden = true;
        this.#status.textContent = "Telegram is already linked for this request.";
      } else this.#status.textContent = err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : "Could not reach StateX. Check your connection and try again.";
    } finally {
      button.disabled = false;
    }
  }
}
