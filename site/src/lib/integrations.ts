/**
 * The account page's part for the client's own systems: API keys (`/api/me/api-keys`: create with a name, scopes and
 * an optional expiry, shown once; list; revoke) and webhook endpoints (`/api/me/webhooks`: subscribe a URL to
 * request events, its signing secret shown once; list; disable, enable, roll the secret, delete; each endpoint's
 * recent deliveries with their attempts, any of them sent again). A key or secret is shown once, in the page only,
 * and gone from it when the page is signed out or the list is read again.
 */
import { ApiError, api, byId } from "../api";
import { type Key, checked, endOfDay, keysTable, showOnce } from "./api-keys-ui";
import { badge, details, h, table, when } from "./ops-ui";
import { clearFormProblems, handleForm } from "./problems";

type Endpoint = { id: string; url: string; description: string | null; events: string[]; enabled: boolean; disabledReason: string | null; failingSince: string | null; previousSecretExpiresAt: string | null; createdAt: string };
type Attempt = { n: number; at: string; trigger: string; statusCode: number | null; latencyMs: number; responseBody: string | null; error: string | null };
type Delivery = { id: string; eventType: string; requestId: string; status: string; attempts: Attempt[]; nextAttemptAt: string | null; createdAt: string };

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** How one attempt went: its answer (or why there was none) and how long it took. */
const outcome = (a: Attempt) => `${a.statusCode ?? a.error ?? "—"} in ${a.latencyMs} ms`;

/**
 * A delivery's attempts, folded under their count and the last one's outcome: each one's time, whether it was
 * scheduled or sent by hand, its outcome and the start of the endpoint's answer, as the API records them — what an
 * integrator debugs a failing endpoint with.
 */
function attemptsOf(d: Delivery): HTMLElement | string {
  const last = d.attempts.at(-1);
  if (!last) return "none yet";
  return h(
    "details",
    { class: "attempts" },
    h("summary", { text: `${d.attempts.length} · ${outcome(last)}`, "aria-label": `${d.attempts.length} attempts of the ${d.eventType} of ${d.requestId}, the last ${outcome(last)}` }),
    h(
      "ol",
      {},
      ...d.attempts.map((a) =>
        h(
          "li",
          {},
          when(a.at),
          ` · ${a.trigger === "manual" ? "sent by hand" : "scheduled"} · ${outcome(a)}`,
          a.responseBody ? details("the answer", a.responseBody) : "",
        ),
      ),
    ),
  );
}

/** What the page says on a failure: a session that ended goes back to signing in; anything else in `problem`. */
function failed(err: unknown, problem: HTMLElement, what: string, onEnded: () => void): void {
  if (err instanceof ApiError && err.problem.status === 401) return onEnded();
  problem.textContent = err instanceof ApiError ? `${what}: ${err.problem.detail ?? err.problem.title}` : `${what}: StateX could not be reached; try again.`;
  problem.hidden = false;
}

/**
 * What the two parts share: a create form whose answer holds something shown once, a list read again after each
 * change, a problem line, and forgetting all of it when the page is signed out.
 */
abstract class OwnedList {
  protected readonly list: HTMLElement;
  protected readonly problem: HTMLElement;
  readonly #created: HTMLElement;
  readonly #form: HTMLFormElement;
  /** Bumped on every load and on clear(), so an answer for a list that is gone is dropped. */
  #generation = 0;

  constructor(
    private readonly prefix: string,
    fields: readonly string[],
    create: (form: HTMLFormElement) => Promise<{ label: string; secret: string }>,
    protected readonly onEnded: () => void,
  ) {
    this.list = byId(`${prefix}-list`);
    this.problem = byId(`${prefix}-problem`);
    this.#created = byId(`${prefix}-created`);
    this.#form = handleForm(prefix, fields, () => create(this.#form), (created, form) => {
      form.reset();
      showOnce(this.#created, created.label, created.secret);
      void this.load();
    });
  }

  abstract load(): Promise<void>;

  clear(): void {
    this.#generation++;
    this.list.replaceChildren();
    this.#created.replaceChildren();
    this.#created.hidden = true;
    this.problem.hidden = true;
    this.#form.reset();
    clearFormProblems(this.#form, this.prefix);
  }

  /** Reads `path` and shows what `render` makes of it, unless the list was cleared or read again meanwhile. */
  protected async show<T>(path: string, what: string, render: (answer: T) => Node[]): Promise<void> {
    const mine = ++this.#generation;
    try {
      const answer = await api<T>(path);
      if (mine !== this.#generation) return;
      this.problem.hidden = true;
      this.list.replaceChildren(...render(answer));
    } catch (err) {
      if (mine === this.#generation) failed(err, this.problem, what, this.onEnded);
    }
  }
}

export class ApiKeys extends OwnedList {
  constructor(onEnded: () => void) {
    super(
      "apikey",
      ["name", "scopes", "expiresAt"],
      async (form) => {
        const expiresAt = endOfDay(byId<HTMLInputElement>("apikey-expiresAt").value);
        const created = await api<Key & { key: string }>("/api/me/api-keys", json("POST", { name: byId<HTMLInputElement>("apikey-name").value, scopes: checked(form, "scopes"), ...(expiresAt ? { expiresAt } : {}) }));
        return { label: `Your new key “${created.name}”`, secret: created.key };
      },
      onEnded,
    );
  }

  load(): Promise<void> {
    return this.show<{ keys: Key[] }>("/api/me/api-keys", "Your API keys could not be loaded", ({ keys }) => [
      keys.length
        ? keysTable("Your API keys", keys, (k) => this.#revokeButton(k))
        : h("p", { class: "muted", text: "No API keys yet." }),
    ]);
  }

  #revokeButton(key: Key): HTMLButtonElement {
    const button = h("button", { type: "button", class: "secondary", text: "Revoke", "aria-label": `Revoke the key ${key.name}` });
    button.addEventListener("click", () => {
      button.disabled = true;
      api(`/api/me/api-keys/${encodeURIComponent(key.id)}`, { method: "DELETE" })
        .catch((err: unknown) => failed(err, this.problem, "The key could not be revoked", this.onEnded))
        .finally(() => void this.load());
    });
    return button;
  }
}

export class WebhookEndpoints extends OwnedList {
  constructor(onEnded: () => void) {
    super(
      "webhook",
      ["url", "events", "description"],
      async (form) => {
        const description = byId<HTMLInputElement>("webhook-description").value.trim();
        const created = await api<Endpoint & { secret: string }>("/api/me/webhooks", json("POST", { url: byId<HTMLInputElement>("webhook-url").value.trim(), events: checked(form, "events"), ...(description ? { description } : {}) }));
        return { label: `The signing secret of ${created.url}`, secret: created.secret };
      },
      onEnded,
    );
  }

  load(): Promise<void> {
    return this.show<{ endpoints: Endpoint[] }>("/api/me/webhooks", "Your webhooks could not be loaded", ({ endpoints }) =>
      endpoints.length ? endpoints.map((e) => this.#card(e)) : [h("p", { class: "muted", text: "No webhooks yet." })],
    );
  }

  #card(endpoint: Endpoint): HTMLElement {
    const path = `/api/me/webhooks/${encodeURIComponent(endpoint.id)}`;
    const deliveries = h("div", { class: "deliveries wide" });
    const secret = h("div", { class: "once", tabindex: -1, hidden: true });
    const act = (label: string, run: () => Promise<unknown>, className = "secondary") => {
      const button = h("button", { type: "button", class: className, text: label, "aria-label": `${label}: ${endpoint.url}` });
      button.addEventListener("click", () => {
        button.disabled = true;
        run()
          .catch((err: unknown) => failed(err, this.problem, `${label} did not work`, this.onEnded))
          .finally(() => {
            button.disabled = false;
          });
      });
      return button;
    };
    const state = endpoint.enabled ? (endpoint.failingSince ? "failing" : "enabled") : "disabled";
    return h(
      "article",
      { class: "card webhook", "data-endpoint": endpoint.id },
      h("h4", {}, h("code", { text: endpoint.url }), " ", badge(state)),
      endpoint.description ? h("p", { text: endpoint.description }) : null,
      h("p", { class: "muted", text: `Events: ${endpoint.events.join(", ")}.${endpoint.disabledReason ? ` Disabled: ${endpoint.disabledReason}.` : ""}${endpoint.failingSince ? ` Failing since ${new Date(endpoint.failingSince).toLocaleString()}.` : ""}` }),
      endpoint.previousSecretExpiresAt ? h("p", { class: "muted", text: `The previous secret signs too until ${new Date(endpoint.previousSecretExpiresAt).toLocaleString()}.` }) : null,
      h(
        "p",
        { class: "actions" },
        act("Deliveries", () => this.#deliveries(endpoint, deliveries)),
        " ",
        act("Roll the secret", async () => showOnce(secret, "The new signing secret", (await api<{ secret: string }>(`${path}/rotate-secret`, { method: "POST" })).secret)),
        " ",
        act(endpoint.enabled ? "Disable" : "Enable", async () => {
          await api(path, json("PATCH", { enabled: !endpoint.enabled }));
          await this.load();
        }),
        " ",
        act(
          "Delete",
          async () => {
            if (!confirm(`Delete the webhook to ${endpoint.url} and its deliveries?`)) return;
            await api(path, { method: "DELETE" });
            await this.load();
          },
          "danger",
        ),
      ),
      secret,
      deliveries,
    );
  }

  async #deliveries(endpoint: Endpoint, into: HTMLElement): Promise<void> {
    const { deliveries } = await api<{ deliveries: Delivery[] }>(`/api/me/webhooks/${encodeURIComponent(endpoint.id)}/deliveries?limit=20`);
    into.replaceChildren(
      deliveries.length
        ? table(
            `Deliveries to ${endpoint.url}`,
            ["Event", "Request", "Status", "Attempts · the last", "Next attempt", ""],
            deliveries.map((d) => [
              h("span", {}, d.eventType, h("br"), h("small", { class: "muted" }, when(d.createdAt))),
              h("a", { href: `/request.html?id=${encodeURIComponent(d.requestId)}`, text: d.requestId }),
              badge(d.status),
              attemptsOf(d),
              when(d.nextAttemptAt),
              this.#resendButton(endpoint, d, into),
            ]),
            "deliveries-table",
          )
        : h("p", { class: "muted", text: "Nothing sent to this webhook yet." }),
    );
  }

  #resendButton(endpoint: Endpoint, delivery: Delivery, list: HTMLElement): HTMLButtonElement {
    const button = h("button", { type: "button", class: "secondary", text: "Send again", "aria-label": `Send the ${delivery.eventType} of ${delivery.requestId} again` });
    button.addEventListener("click", () => {
      button.disabled = true;
      api(`/api/me/webhooks/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(delivery.id)}/resend`, { method: "POST" })
        .catch((err: unknown) => failed(err, this.problem, "The delivery could not be sent again", this.onEnded))
        .finally(() => void this.#deliveries(endpoint, list).catch(() => undefined));
    });
    return button;
  }
}
