/**
 * The channels a client wants to be told on, in their order, asked as ranked choices: a select per place ("First",
 * "Second", …), each channel chosen in one place at most. The account page and the request form ask it the same way.
 * Nothing chosen means no order stated: the platform's usual order applies.
 */
import type { Problem } from "../api";
import type { NotificationChannel } from "@statex/shared/notifications";

/** Each channel as a client knows it. */
export const CHANNEL_NAMES: Record<NotificationChannel, string> = { email: "Email", telegram: "Telegram", whatsapp: "WhatsApp", linkedin: "LinkedIn" };

const PLACES = ["First", "Second", "Third", "Fourth"];

/** Channels as a sentence: "Telegram, then email". */
export function orderInWords(order: readonly NotificationChannel[]): string {
  return order.map((c, i) => (i > 0 && c === "email" ? "email" : CHANNEL_NAMES[c])).join(", then ");
}

export class ChannelOrder {
  #selects: HTMLSelectElement[] = [];

  /**
   * `holder` (a fieldset, whose legend stays) receives one labelled select per channel offered; their ids are
   * `<idPrefix>-1`, `<idPrefix>-2`, …, and each names `describedBy` (the field's hint and error line).
   */
  constructor(
    private readonly holder: HTMLElement,
    private readonly idPrefix: string,
    private readonly describedBy: string,
  ) {}

  /** Offers these channels (the places are rebuilt), with `chosen` in its order. */
  offer(channels: readonly NotificationChannel[], chosen: readonly NotificationChannel[] = []): void {
    const offered = [...new Set([...channels, ...chosen])];
    this.#selects = offered.map((_, i) => {
      const select = document.createElement("select");
      select.id = `${this.idPrefix}-${i + 1}`;
      select.setAttribute("aria-describedby", this.describedBy);
      select.append(new Option("(none)", ""), ...offered.map((c) => new Option(CHANNEL_NAMES[c], c)));
      select.value = chosen[i] ?? "";
      select.addEventListener("change", () => this.#exclude());
      return select;
    });
    for (const place of this.holder.querySelectorAll(":scope > .place")) place.remove();
    this.holder.append(
      ...this.#selects.map((select, i) => {
        const div = document.createElement("div");
        div.className = "place";
        const label = document.createElement("label");
        label.htmlFor = select.id;
        label.textContent = PLACES[i] ?? `Choice ${i + 1}`;
        div.append(label, select);
        return div;
      }),
    );
    this.#exclude();
  }

  /** The chosen channels in their places' order: [] when none is chosen (no order stated). */
  value(): NotificationChannel[] {
    return this.#selects.map((s) => s.value).filter((v): v is NotificationChannel => v !== "");
  }

  /** The first place, for focus. */
  get first(): HTMLSelectElement | undefined {
    return this.#selects[0];
  }

  /** A channel chosen in one place is not offered in the others, so no order names one twice. */
  #exclude(): void {
    const taken = this.#selects.map((s) => s.value);
    this.#selects.forEach((select, i) => {
      for (const option of select.options) option.disabled = option.value !== "" && taken.some((v, j) => j !== i && v === option.value);
    });
  }
}

/**
 * A problem whose errors about one place of a list (`channels.1`) name the list (`channels`), which has the one error
 * line on the form.
 */
export function errorsOnList(problem: Problem, field: string): Problem {
  return { ...problem, errors: problem.errors?.map((e) => (e.field.startsWith(`${field}.`) ? { ...e, field } : e)) };
}
