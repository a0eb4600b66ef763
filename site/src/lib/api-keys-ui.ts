/**
 * What every page that makes API keys shares: the key as a list shows it, its table, the form's scopes and expiry as
 * the API wants them, and a new key (or secret) shown once. The account page's keys and webhooks and the ops
 * console's service accounts use it, so a key reads alike wherever it is shown.
 */
import { badge, h, table, when } from "./ops-ui";

/** A key as `/api/me/api-keys` and `/api/ops/service-accounts` list it: never the key itself. */
export type Key = { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null };

/** The checked boxes of a form's group, by their name. */
export const checked = (form: HTMLFormElement, name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);

/** A date input's day as the end of that day in the reader's time zone, as the API wants it (ISO with offset). */
export function endOfDay(day: string): string | undefined {
  if (!day) return undefined;
  const at = new Date(`${day}T23:59:59`);
  return Number.isNaN(at.getTime()) ? day : at.toISOString();
}

/** A secret shown once: its text to select or copy, and the warning that it will not be shown again. */
export function showOnce(into: HTMLElement, label: string, value: string): void {
  const code = h("code", { class: "secret", text: value });
  const copy = h("button", { type: "button", class: "secondary", text: "Copy" });
  copy.addEventListener("click", () => {
    void navigator.clipboard?.writeText(value).then(() => {
      copy.textContent = "Copied";
    });
  });
  into.replaceChildren(h("p", { text: `${label} — copy it now: it is shown only this once.` }), h("p", { class: "secret-line" }, code, " ", copy));
  into.hidden = false;
  into.focus();
}

export function keyState(key: Key): string {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return "expired";
  return "live";
}

/** Keys as a table, newest first as listed; `revoke` makes the button of a live key. */
export function keysTable(caption: string, keys: Key[], revoke: (key: Key) => HTMLButtonElement): HTMLTableElement {
  return table(
    caption,
    ["Name", "Key", "Scopes", "Created", "Last used", "Expires", "State", ""],
    keys.map((k) => [k.name, h("code", { text: `${k.prefix}…` }), k.scopes.join(", "), when(k.createdAt), when(k.lastUsedAt), k.expiresAt ? when(k.expiresAt) : "never", badge(keyState(k)), keyState(k) === "live" ? revoke(k) : ""]),
    "keys-table",
  );
}
