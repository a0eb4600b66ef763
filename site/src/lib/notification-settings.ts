/**
 * The account page's notifications: the channels in their order, the kinds of message the client is told of, the
 * language, the WhatsApp number and the LinkedIn profile (`GET`/`PUT /api/me/preferences`), and the Telegram chats
 * linked to the account, with a link to link one (`POST /api/me/telegram-link`) and a button to unlink
 * (`DELETE /api/me/telegram-chats`).
 */
import type { NotificationChannel, NotificationLocale } from "@statex/shared/notifications";
import { ApiError, api, byId } from "../api";
import { ChannelOrder, errorsOnList, orderInWords } from "./channel-order";
import { clearFormProblems, handleForm } from "./problems";

/** The kinds a client may opt out of; account mail is essential. */
const KINDS = ["received", "ready", "failed"] as const;
type Kind = (typeof KINDS)[number];

type Preferences = {
  channels: NotificationChannel[] | null;
  order: NotificationChannel[];
  optOuts: Kind[];
  locale: NotificationLocale | null;
  whatsapp: string | null;
  linkedin: string | null;
  telegramChats: { username: string | null; linkedAt: string }[];
  available: NotificationChannel[];
};
type Link = { url: string; code: string; expiresAt: string };

/** The form's fields, named as the API's problems name them (inputs `prefs-<field>`). */
const FIELDS = ["channels", "optOuts", "locale", "whatsapp", "linkedin"];
/**
 * While a link waits for the client to press Start in Telegram, the chats are read again this often, and whenever
 * the page comes back into view (they went to Telegram and came back).
 */
const LINK_POLL_MS = 4_000;

const time = (iso: string) => new Date(iso).toLocaleString();

export class NotificationSettings {
  readonly #form = byId<HTMLFormElement>("prefs-form");
  readonly #problem = byId("prefs-problem");
  readonly #status = byId("prefs-status");
  readonly #order = new ChannelOrder(byId("prefs-channels"), "prefs-channel", "prefs-channels-hint prefs-channels-error");
  readonly #telegramProblem = byId("telegram-problem");
  readonly #telegramStatus = byId("telegram-status");
  readonly #offer = byId("telegram-offer");
  readonly #linkButton = byId<HTMLButtonElement>("telegram-link");
  /** Bumped on every load and on clear(), so an answer for a page that was signed out meanwhile is dropped. */
  #generation = 0;
  /** When each listed chat was linked, which tells a chat linked since apart. */
  #listed = new Set<string>();
  /** The chats listed when the client asked for a link: a chat not among them is the one they just linked. */
  #waiting: { before: Set<string>; until: number; timer: ReturnType<typeof setTimeout> | undefined } | null = null;

  constructor(private readonly onEnded: () => void) {
    handleForm("prefs", FIELDS, () => this.#save(), (saved) => this.#saved(saved));
    this.#linkButton.addEventListener("click", () => void this.#link());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.#waiting) void this.#checkLinked();
    });
  }

  /** Reads the preferences and shows them, the form with them. */
  async load(): Promise<void> {
    const mine = ++this.#generation;
    try {
      const prefs = await api<Preferences>("/api/me/preferences");
      if (mine !== this.#generation) return;
      this.#problem.hidden = true;
      this.#fill(prefs);
      this.#form.hidden = false;
    } catch (err) {
      if (mine !== this.#generation) return;
      if (err instanceof ApiError && err.problem.status === 401) return this.onEnded();
      // The form stays hidden: saving what was never read would overwrite the client's settings with blanks.
      this.#problem.textContent = "Your notification settings could not be loaded; try again in a moment.";
      this.#problem.hidden = false;
    }
  }

  /** Empties everything (signed out: nothing of the client's stays in the page). */
  clear(): void {
    this.#generation++;
    this.#stopWaiting();
    this.#offer.hidden = true;
    this.#form.reset();
    clearFormProblems(this.#form, "prefs");
    this.#form.hidden = true;
    this.#problem.hidden = true;
    this.#status.textContent = "";
    byId("prefs-now").textContent = "";
    this.#order.offer([]);
    this.#listed.clear();
    byId("telegram-card").hidden = true;
    byId("telegram-rows").replaceChildren();
    byId("telegram-chats").hidden = true;
    byId("telegram-none").hidden = true;
    this.#telegramProblem.hidden = true;
    this.#telegramStatus.textContent = "";
  }

  #fill(prefs: Preferences): void {
    this.#order.offer(prefs.available, prefs.channels ?? []);
    for (const kind of KINDS) byId<HTMLInputElement>(`prefs-${kind}`).checked = !prefs.optOuts.includes(kind);
    for (const radio of this.#form.querySelectorAll<HTMLInputElement>("input[name=locale]")) radio.checked = radio.value === prefs.locale;
    byId<HTMLInputElement>("prefs-whatsapp").value = prefs.whatsapp ?? "";
    byId<HTMLInputElement>("prefs-linkedin").value = prefs.linkedin ?? "";
    this.#showNow(prefs);
    this.#showChats(prefs);
  }

  /** The order that applies now: the stated one, or the usual one among the channels the client can be reached on. */
  #showNow(prefs: Preferences): void {
    byId("prefs-now").textContent = prefs.order.length
      ? `Your messages go by ${orderInWords(prefs.order)}${prefs.channels ? "" : " (our usual order)"}.`
      : "There is no channel we can reach you on yet.";
  }

  async #save(): Promise<Preferences> {
    const checked = this.#form.querySelector<HTMLInputElement>("input[name=locale]:checked");
    const channels = this.#order.value();
    const text = (id: string) => byId<HTMLInputElement>(id).value.trim() || null;
    const body = {
      channels: channels.length ? channels : null,
      optOuts: KINDS.filter((kind) => !byId<HTMLInputElement>(`prefs-${kind}`).checked),
      locale: checked ? checked.value : null,
      whatsapp: text("prefs-whatsapp"),
      linkedin: text("prefs-linkedin"),
    };
    try {
      return await api<Preferences>("/api/me/preferences", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.problem.status === 401) this.onEnded();
      // An error about one place of a list (`channels.1`) belongs to the list's one error line.
      throw new ApiError(errorsOnList(errorsOnList(err.problem, "channels"), "optOuts"));
    }
  }

  #saved(prefs: Preferences): void {
    this.#fill(prefs);
    this.#status.textContent = `Saved. ${byId("prefs-now").textContent ?? ""}`;
    this.#status.focus();
  }

  #showChats(prefs: Preferences): void {
    const rows = prefs.telegramChats.map((chat) => {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      name.textContent = chat.username ? `@${chat.username}` : "A Telegram chat";
      const linked = document.createElement("td");
      const when = document.createElement("time");
      when.dateTime = chat.linkedAt;
      when.textContent = time(chat.linkedAt);
      linked.append(when);
      const action = document.createElement("td");
      const unlink = document.createElement("button");
      unlink.type = "button";
      unlink.className = "secondary";
      unlink.textContent = "Unlink";
      unlink.setAttribute("aria-label", `Unlink the Telegram chat ${name.textContent}`);
      unlink.addEventListener("click", () => void this.#unlink(unlink));
      action.append(unlink);
      tr.append(name, linked, action);
      return tr;
    });
    // A platform without a bot has nothing to link; a chat linked before it lost its bot is still shown, to unlink.
    byId("telegram-card").hidden = !prefs.available.includes("telegram") && rows.length === 0;
    this.#linkButton.hidden = !prefs.available.includes("telegram") || this.#waiting !== null;
    this.#listed = new Set(prefs.telegramChats.map((c) => c.linkedAt));
    byId("telegram-rows").replaceChildren(...rows);
    byId("telegram-chats").hidden = rows.length === 0;
    byId("telegram-none").hidden = rows.length > 0;
  }

  async #unlink(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await api<{ unlinked: number }>("/api/me/telegram-chats", { method: "DELETE" });
      this.#telegramStatus.textContent = "Unlinked: the bot sends you nothing more.";
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 401) return this.onEnded();
      this.#telegramStatus.textContent = "The chat could not be unlinked; try again.";
      button.disabled = false;
      return;
    }
    await this.#reread();
    byId("telegram-heading").focus();
  }

  /**
   * A link to the bot that links the chat the client opens it in. It opens in Telegram only when the person taps it
   * (a window opened after an answer is blocked), so the page shows it rather than opening it.
   */
  async #link(): Promise<void> {
    this.#linkButton.disabled = true;
    this.#telegramProblem.hidden = true;
    try {
      const link = await api<Link>("/api/me/telegram-link", { method: "POST" });
      const open = byId<HTMLAnchorElement>("telegram-open");
      open.href = link.url;
      const until = new Date(link.expiresAt);
      const at = until.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      byId("telegram-expiry").textContent = `The link works once, until ${at}. Once you pressed Start in Telegram, the chat is listed here.`;
      this.#offer.hidden = false;
      // One thing to tap while the link waits: asking for another would only make this one look wrong.
      this.#linkButton.hidden = true;
      this.#telegramStatus.textContent = "";
      this.#stopWaiting();
      this.#waiting = { before: new Set(this.#listed), until: until.getTime(), timer: undefined };
      this.#schedule();
      open.focus();
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 401) return this.onEnded();
      this.#telegramProblem.textContent = err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : "Could not reach StateX. Check your connection and try again.";
      this.#telegramProblem.hidden = false;
    } finally {
      this.#linkButton.disabled = false;
    }
  }

  #schedule(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    clearTimeout(waiting.timer);
    if (Date.now() > waiting.until) {
      this.#stopWaiting();
      this.#offer.hidden = true;
      this.#linkButton.hidden = false;
      this.#telegramStatus.textContent = "The link has expired. Press Link Telegram for a new one.";
      return;
    }
    waiting.timer = setTimeout(() => void this.#checkLinked(), LINK_POLL_MS);
  }

  /** Reads the chats again; one not listed before is the one just linked, and the link is done with. */
  async #checkLinked(): Promise<void> {
    const waiting = this.#waiting;
    if (!waiting) return;
    const prefs = await this.#reread();
    if (waiting !== this.#waiting) return;
    const linked = prefs?.telegramChats.find((c) => !waiting.before.has(c.linkedAt));
    if (!linked) return this.#schedule();
    this.#stopWaiting();
    this.#offer.hidden = true;
    this.#linkButton.hidden = false;
    this.#telegramStatus.textContent = `Linked${linked.username ? `: @${linked.username}` : ""}. Our messages can now come by Telegram.`;
  }

  /**
   * The chats and the order that applies now, read again after a chat was linked or unlinked; the form keeps what the
   * client may be changing in it.
   */
  async #reread(): Promise<Preferences | undefined> {
    const mine = this.#generation;
    try {
      const prefs = await api<Preferences>("/api/me/preferences");
      if (mine !== this.#generation) return undefined;
      this.#showChats(prefs);
      this.#showNow(prefs);
      return prefs;
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 401) this.onEnded();
      return undefined;
    }
  }

  #stopWaiting(): void {
    clearTimeout(this.#waiting?.timer);
    this.#waiting = null;
  }
}
