/**
 * The client's account page: sign in or create an account; once signed in, the dashboard of their own requests
 * (newest first, older ones a page at a time), each linking to its live status page, and signing out. The status
 * of a request still in progress is pushed to the list as it changes, as on its own page.
 */
import { ApiError, api, byId } from "./api";
import { fieldErrors } from "./lib/problems";
import { followLive } from "./live";
import { type Session, type User, authHeaders, clearSession, currentSession, saveSession } from "./session";

type Item = { id: string; channel: string; excerpt: string; truncated: boolean; createdAt: string; status: string; completedAt: string | null };
type Page = { items: Item[]; nextCursor: string | null };

const signedOut = byId("signed-out");
const signedIn = byId("signed-in");
const rows = byId("request-rows");
const more = byId<HTMLButtonElement>("more");
let cursor: string | null = null;
const FINISHED = new Set(["completed", "failed", "cancelled"]);
/** How many unfinished requests of the list are followed live at once (each holds a connection). */
const MAX_LIVE = 10;
let live = 0;
/** Bumped whenever the list is rebuilt or the client signs out, so pushes for an old list are dropped. */
let generation = 0;
/** Stops the list's live connections: on signing out (nothing of theirs keeps streaming to this browser) or a rebuild. */
const stops: (() => void)[] = [];

function stopFollowing(): void {
  for (const stop of stops.splice(0)) stop();
  live = 0;
  generation++;
}

function setStatus(badge: HTMLElement, status: string): void {
  badge.className = `status ${status}`;
  badge.textContent = status;
}

/** Pushes a request's status to its badge until it finishes; each connection asks for a fresh owner's ticket. */
function follow(id: string, badge: HTMLElement): void {
  if (live >= MAX_LIVE) return;
  live++;
  const mine = generation;
  let ended = false;
  const end = () => {
    if (!ended && mine === generation) live--;
    ended = true;
  };
  const ticket = async () => (await api<{ url: string }>(`/api/requests/${encodeURIComponent(id)}/live-ticket`, { method: "POST" })).url;
  const stop = followLive(ticket, {
    onState: (message) => {
      if (mine !== generation || !message.job) return;
      setStatus(badge, message.job.status);
      if (FINISHED.has(message.job.status)) end();
    },
    // Neither transport got through: the badge keeps what the list said; reloading the page shows the rest.
    onGiveUp: end,
  });
  stops.push(stop);
}

/** The fields each form has, named as the API's problems name them; their inputs' ids are `<prefix>-<field>`. */
const FORM_FIELDS: Record<string, readonly string[]> = { signin: ["email", "password"], register: ["name", "email", "password"] };

/** Puts a problem's field errors next to the form's inputs, anything else in its summary. */
function showProblem(prefix: string, err: unknown): void {
  const summary = byId(`${prefix}-error`);
  if (!(err instanceof ApiError)) {
    summary.textContent = "Could not reach StateX. Check your connection and try again.";
    summary.hidden = false;
    return;
  }
  const idOf = (field: string) => `${prefix}-${field}`;
  const placed = fieldErrors(err.problem, FORM_FIELDS[prefix] ?? [], undefined, idOf);
  for (const { field, message } of placed.fields) {
    byId(`${idOf(field)}-error`).textContent = message;
    byId(idOf(field)).setAttribute("aria-invalid", "true");
  }
  if (placed.other.length || !placed.first) {
    summary.textContent = placed.other.length ? placed.other.join(" ") : (err.problem.detail ?? err.problem.title);
    summary.hidden = false;
    summary.focus();
  } else placed.first.focus();
}

function clearProblems(form: HTMLFormElement, prefix: string): void {
  byId(`${prefix}-error`).hidden = true;
  for (const line of form.querySelectorAll<HTMLElement>(".error")) line.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Sends a form's fields as JSON; on success keeps the session it answers and shows the dashboard. */
function onSubmit<A>(prefix: string, path: string, session: (answer: A) => Session): void {
  const form = byId<HTMLFormElement>(`${prefix}-form`);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    if (button.disabled) return;
    clearProblems(form, prefix);
    button.disabled = true;
    const body = Object.fromEntries(new FormData(form));
    api<A>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then((answer) => {
        saveSession(session(answer));
        form.reset();
        showDashboard();
        byId("heading").focus();
      })
      .catch((err: unknown) => showProblem(prefix, err))
      .finally(() => {
        button.disabled = false;
      });
  });
}

onSubmit("signin", "/api/sessions", (a: { token: string; expiresAt: string; user: User }) => ({ token: a.token, expiresAt: a.expiresAt, user: a.user }));
onSubmit("register", "/api/users", (a: { user: User; session: { token: string; expiresAt: string } }) => ({ ...a.session, user: a.user }));

function row(item: Item): HTMLTableRowElement {
  const tr = document.createElement("tr");
  const sent = document.createElement("td");
  const time = document.createElement("time");
  time.dateTime = item.createdAt;
  time.textContent = new Date(item.createdAt).toLocaleString();
  sent.append(time);
  const what = document.createElement("td");
  const link = document.createElement("a");
  link.href = `/request.html?id=${encodeURIComponent(item.id)}`;
  link.textContent = item.truncated ? `${item.excerpt}…` : item.excerpt || item.id;
  what.append(link);
  const status = document.createElement("td");
  const badge = document.createElement("span");
  setStatus(badge, item.status);
  status.append(badge);
  tr.append(sent, what, status);
  if (!FINISHED.has(item.status)) follow(item.id, badge);
  return tr;
}

async function loadPage(): Promise<void> {
  more.disabled = true;
  try {
    const page = await api<Page>(`/api/me/requests${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
    byId("list-problem").hidden = true;
    rows.append(...page.items.map(row));
    cursor = page.nextCursor;
    byId("requests").hidden = rows.childElementCount === 0;
    byId("empty").hidden = rows.childElementCount > 0;
    more.hidden = cursor === null;
  } catch (err) {
    // The session ended on the server (expired, or signed out elsewhere): api() forgot it; ask to sign in again.
    if (err instanceof ApiError && err.problem.status === 401) {
      showSignIn();
      const note = byId("signin-error");
      note.textContent = "Your session has ended. Sign in again to see your requests.";
      note.hidden = false;
      byId("heading").focus();
      return;
    }
    const problem = byId("list-problem");
    problem.textContent = "Your requests could not be loaded; try again in a moment.";
    problem.hidden = false;
  } finally {
    more.disabled = false;
  }
}

function showSignIn(): void {
  stopFollowing();
  // Signed out, nothing of the client's stays in the page (a shared computer's next user could read it).
  rows.replaceChildren();
  signedIn.hidden = true;
  signedOut.hidden = false;
}

function showDashboard(): void {
  const session = currentSession();
  if (!session) return showSignIn();
  byId("who").textContent = `${session.user.name} (${session.user.email})`;
  signedOut.hidden = true;
  signedIn.hidden = false;
  stopFollowing();
  rows.replaceChildren();
  cursor = null;
  void loadPage();
}

// The button hides itself after the last page: focus moves to the list rather than being lost.
more.addEventListener("click", () =>
  void loadPage().then(() => {
    if (more.hidden) byId("requests").focus();
  }),
);

byId<HTMLButtonElement>("signout").addEventListener("click", () => {
  // Forgotten here at once, so the next page is signed out even if the server is slow to answer; the session ends on
  // the server too, so the token is worthless wherever it was copied.
  const headers = authHeaders();
  clearSession();
  showSignIn();
  byId("heading").focus();
  void api("/api/sessions/current", { method: "DELETE", headers }).catch(() => undefined);
});

showDashboard();
