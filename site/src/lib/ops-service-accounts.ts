/**
 * The console's service accounts (`/api/ops/service-accounts`): each account for a system with its keys (prefix,
 * scopes, created, last used, expiry, revoked); one dialog's form that makes a service account with its first key, or
 * another key for an account (rotating its key keeps the account, and so its requests and webhooks); revoking a live
 * key, once confirmed. A new key is shown once, at the top of the view, and gone when the view is left.
 */
import { type Key, checked, endOfDay, keyState, keysTable, showOnce } from "./api-keys-ui";
import { AccessLost, type View, clearLoadProblem, finder, h, opsApi, opsPost, problemText, showLoadProblem, when } from "./ops-ui";
import { clearFormProblems, handleForm } from "./problems";

type Account = { id: string; email: string; name: string; kind: "service"; createdAt: string; keys: Key[] };
type Lost = (err: unknown) => void;

const FIELDS = ["name", "scopes", "expiresAt"] as const;
/** The most accounts one read answers. */
const MAX_PAGE = 200;
type Created = { account: Pick<Account, "id" | "name">; key: Key & { key: string }; first: boolean };

export class ServiceAccountsView implements View {
  readonly id = "service-accounts";
  private readonly q;
  private readonly list: HTMLElement;
  private readonly problem: HTMLElement;
  /** What an action did (a revocation, or why it failed). */
  private readonly status: HTMLElement;
  /** How many accounts are shown. */
  private readonly summary: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly created: HTMLElement;
  private readonly dialog: HTMLDialogElement;
  /** What the dialog makes: a service account with its first key (undefined), or another key for this account. */
  private keyFor: Account | undefined;
  private next: string | null = null;
  private shown = 0;

  constructor(root: HTMLElement, private readonly onLost: Lost) {
    this.q = finder(root);
    this.list = this.q("[data-part=list]");
    this.problem = this.q("[data-part=problem]");
    this.status = this.q("[data-part=status]");
    this.summary = this.q("[data-part=summary]");
    this.more = this.q<HTMLButtonElement>("[data-part=more]");
    this.created = this.q("#sa-created");
    this.dialog = this.q<HTMLDialogElement>("#sa-dialog");
    handleForm("sa", FIELDS, () => this.create(), ({ account, key, first }, form) => {
      form.reset();
      this.dialog.close();
      this.status.textContent = "";
      showOnce(this.created, first ? `The key of the new service account “${account.name}” (${account.id})` : `The new key “${key.name}” of ${account.name} (${account.id})`, key.key);
      // Read again as far as it was shown, so the new account or key is in the list.
      void this.page(true, Math.min(MAX_PAGE, Math.max(50, this.shown + 1))).catch(this.onLost);
    });
    this.q("[data-part=create]").addEventListener("click", () => this.openDialog(undefined));
    this.q("[data-part=cancel]").addEventListener("click", () => this.dialog.close());
    this.more.addEventListener("click", () => void this.page(false).catch(onLost));
  }

  /** What the dialog's form asks for; a lost session or role takes the whole console back to signing in. */
  private async create(): Promise<Created> {
    const form = this.q<HTMLFormElement>("#sa-form");
    const expiresAt = endOfDay(this.q<HTMLInputElement>("#sa-expiresAt").value);
    const body = { name: this.q<HTMLInputElement>("#sa-name").value, scopes: checked(form, "scopes"), ...(expiresAt ? { expiresAt } : {}) };
    const account = this.keyFor;
    try {
      if (!account) return { ...(await opsPost<{ account: Account; key: Key & { key: string } }>("/api/ops/service-accounts", body)), first: true };
      return { account, key: await opsPost<Key & { key: string }>(`/api/ops/service-accounts/${encodeURIComponent(account.id)}/api-keys`, body), first: false };
    } catch (err) {
      if (err instanceof AccessLost) {
        this.dialog.close();
        this.onLost(err);
      }
      throw err;
    }
  }

  /** Opens the dialog for a new service account, or for another key of `account`. */
  private openDialog(account: Account | undefined): void {
    this.keyFor = account;
    const form = this.q<HTMLFormElement>("#sa-form");
    form.reset();
    clearFormProblems(form, "sa");
    this.q("#sa-heading").textContent = account ? `New key for ${account.name}` : "Create a service account";
    this.q("[data-part=intro]").textContent = account
      ? "The account's other keys keep working until you revoke them."
      : "Name it after the system it is for; its first key is named alike. The key is shown once, when it is made.";
    this.q<HTMLInputElement>("#sa-name").placeholder = account ? "Rotated 2026-12" : "Nightly CRM import";
    this.q("#sa-form button[type=submit]").textContent = account ? "Create key" : "Create service account";
    this.dialog.showModal();
  }

  async show(): Promise<void> {
    this.status.textContent = "";
    this.created.hidden = true;
    this.created.replaceChildren();
    await this.page(true);
  }

  hide(): void {
    // A key shown once is not left on a view that is not on screen.
    this.created.hidden = true;
    this.created.replaceChildren();
    if (this.dialog.open) this.dialog.close();
  }

  /** The first page (again), or the next; `limit` reads as many as were shown, after a change. */
  private async page(first: boolean, limit = 50): Promise<void> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (!first && this.next) query.set("before", this.next);
    try {
      const { accounts, next } = await opsApi<{ accounts: Account[]; next: string | null }>(`/api/ops/service-accounts?${query}`);
      clearLoadProblem(this.problem);
      const cards = accounts.map((a) => this.card(a));
      if (first) this.list.replaceChildren(...cards);
      else this.list.append(...cards);
      this.next = next;
      this.more.hidden = next === null;
      this.shown = this.list.querySelectorAll("article").length;
      this.summary.textContent = this.shown ? `${this.shown} service account${this.shown === 1 ? "" : "s"} shown, newest first.` : "No service accounts yet: create one above.";
    } catch (err) {
      showLoadProblem(this.problem, err, "Service accounts");
    }
  }

  private card(account: Account): HTMLElement {
    const live = account.keys.filter((k) => keyState(k) === "live").length;
    const newKey = h("button", { type: "button", class: "small", text: "New key", "aria-label": `New key for ${account.name}` });
    newKey.addEventListener("click", () => this.openDialog(account));
    return h(
      "article",
      { class: "card service-account", "data-account": account.id },
      h("div", { class: "ops-bar" }, h("h3", { text: account.name }), newKey),
      h("p", { class: "muted" }, h("code", { text: account.id }), " · created ", when(account.createdAt), ` · ${live} live key${live === 1 ? "" : "s"} of ${account.keys.length}`),
      account.keys.length ? keysTable(`The keys of ${account.name}`, account.keys, (k) => this.revokeButton(account, k)) : h("p", { class: "muted", text: "No keys: it cannot call the API until it has one." }),
    );
  }

  private revokeButton(account: Account, key: Key): HTMLButtonElement {
    const button = h("button", { type: "button", class: "small danger", text: "Revoke", "aria-label": `Revoke the key ${key.name} (${key.prefix}…) of ${account.name}` });
    button.addEventListener("click", () => {
      if (!confirm(`Revoke the key “${key.name}” (${key.prefix}…) of ${account.name}? A system calling with it is refused from its next call.`)) return;
      button.disabled = true;
      opsApi(`/api/ops/api-keys/${encodeURIComponent(key.id)}`, { method: "DELETE" })
        .then(() => {
          this.status.textContent = `Revoked ${key.prefix}… of ${account.name}.`;
        })
        .catch((err: unknown) => {
          if (err instanceof AccessLost) throw err;
          this.status.textContent = `${key.prefix}… was not revoked: ${problemText(err)}`;
        })
        .then(() => this.page(true, Math.min(MAX_PAGE, Math.max(50, this.shown))))
        .catch(this.onLost);
    });
    return button;
  }
}
