/**
 * The client's account page: sign in or create an account; once signed in, the dashboard of their own requests
 * (newest first, older ones a page at a time), each linking to its live status page, how they are told about their
 * requests (the channels in order, what, in which language, their linked Telegram chat), where they are signed in (each
 * session, to end it, or every other one), the API keys and webhooks of their own systems, changing the password,
 * deleting the account, and signing out. The status
 * of a request still in progress is pushed to the list as it changes, as on its own page.
 */
import { ApiError, api, byId } from "./api";
import { ApiKeys, WebhookEndpoints } from "./lib/integrations";
import { NotificationSettings } from "./lib/notification-settings";
import { clearFormProblems, handleForm } from "./lib/problems";
import { SessionsList } from "./lib/sessions-list";
import { followLive } from "./live";
import { type SignedIn, type User, currentSession, keepSession, sessionReady, signOut } from "./session";

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

const send = <A>(method: string, path: string, body: unknown) =>
  api<A>(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const post = <A>(path: string, body: unknown) => send<A>("POST", path, body);

/** Signs in: an access token for this page, and the refresh token in a cookie it never sees. */
function signIn(body: Record<string, FormDataEntryValue>): Promise<SignedIn | null> {
  return post<SignedIn>("/api/sessions", { email: body.email, password: body.password });
}

/**
 * Registering signs no one in (the answer is the same whether the address was new or had an account): the page
 * signs in next with what was typed. Signing in fails only when the address had an account with another password,
 * and then the page says what the email says, as it would for a new account.
 */
async function register(body: Record<string, FormDataEntryValue>): Promise<SignedIn | null> {
  await post("/api/users", body);
  return signIn(body).catch((err: unknown) => {
    if (err instanceof ApiError && err.problem.status === 401) return null;
    throw err;
  });
}

/** What a sign-in or registration leads to: the dashboard, or (no session) a word about the email that was sent. */
function arrived(prefix: string) {
  return (session: SignedIn | null, form: HTMLFormElement) => {
    form.reset();
    if (!session) {
      const note = byId(`${prefix}-error`);
      note.textContent = "We sent an email to this address. Follow it to confirm the address, then sign in.";
      note.hidden = false;
      note.focus();
      return;
    }
    keepSession(session);
    showDashboard();
    byId("heading").focus();
  };
}

// Each form's fields, named as the API's problems name them (their inputs' ids are `<prefix>-<field>`).
handleForm("signin", ["email", "password"], signIn, arrived("signin"));
handleForm("register", ["name", "email", "password"], register, arrived("register"));

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
    if (err instanceof ApiError && err.problem.status === 401) return sessionEnded();
    const problem = byId("list-problem");
    problem.textContent = "Your requests could not be loaded; try again in a moment.";
    problem.hidden = false;
  } finally {
    more.disabled = false;
  }
}

/** The session ended on the server (expired, or signed out elsewhere): api() forgot it; ask to sign in again. */
function sessionEnded(): void {
  showSignIn();
  const note = byId("signin-error");
  note.textContent = "Your session has ended. Sign in again to see your requests.";
  note.hidden = false;
  byId("heading").focus();
}

const sessions = new SessionsList(sessionEnded);
const notifications = new NotificationSettings(sessionEnded);
const apiKeys = new ApiKeys(sessionEnded);
const webhooks = new WebhookEndpoints(sessionEnded);

/** Sends one of the signed-in forms; a session that ended meanwhile takes the page back to signing in. */
async function sendSignedIn(method: string, path: string, body: unknown): Promise<void> {
  try {
    await send(method, path, body);
  } catch (err) {
    if (err instanceof ApiError && err.problem.status === 401) sessionEnded();
    throw err;
  }
}

/** The account's forms as new: nothing typed or said in them stays when the page is signed out, or in again. */
function resetAccountForms(): void {
  for (const prefix of ["change", "delete"]) {
    const form = byId<HTMLFormElement>(`${prefix}-form`);
    form.reset();
    clearFormProblems(form, prefix);
  }
  byId("change-status").textContent = "";
}

// Changing the password ends every other session (this one goes on), so the list is read again to show it.
handleForm(
  "change",
  ["currentPassword", "password"],
  (body) => sendSignedIn("PUT", "/api/me/password", { currentPassword: body.currentPassword, password: body.password }),
  (_answer, form) => {
    form.reset();
    const status = byId("change-status");
    status.textContent = "Your password is changed, and every other browser and app is signed out.";
    status.focus();
    void sessions.load();
  },
);

// The account is gone with its sessions: this browser forgets its own too (and drops the refresh cookie), and the
// person lands on the home page, which says what happened.
handleForm(
  "delete",
  ["password"],
  (body) => sendSignedIn("DELETE", "/api/me", { password: body.password }),
  () => {
    showSignIn();
    void signOut().finally(() => location.assign("/?account=deleted"));
  },
);

function showSignIn(): void {
  stopFollowing();
  // Signed out, nothing of the client's stays in the page (a shared computer's next user could read it).
  rows.replaceChildren();
  sessions.clear();
  notifications.clear();
  apiKeys.clear();
  webhooks.clear();
  resetAccountForms();
  signedIn.hidden = true;
  signedOut.hidden = false;
}

/** Asks an account whose address is not confirmed yet to confirm it, with a way to have the link sent again. */
async function showVerification(): Promise<void> {
  const note = byId("verify-note");
  const { user } = await api<{ user: User & { emailVerified: boolean } }>("/api/me").catch(() => ({ user: null }));
  note.hidden = !user || user.emailVerified;
  if (user) byId("verify-address").textContent = user.email;
}

byId<HTMLButtonElement>("verify-resend").addEventListener("click", (event) => {
  const button = event.currentTarget as HTMLButtonElement;
  const status = byId("verify-status");
  button.disabled = true;
  api("/api/users/verify/resend", { method: "POST" })
    .then(() => {
      status.textContent = "Sent: check your inbox.";
    })
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.problem.status === 409) byId("verify-note").hidden = true;
      status.textContent = err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : "Could not reach StateX; try again.";
    })
    .finally(() => {
      button.disabled = false;
    });
});

function showDashboard(): void {
  const session = currentSession();
  if (!session) return showSignIn();
  byId("who").textContent = `${session.user.name} (${session.user.email})`;
  byId("verify-status").textContent = "";
  resetAccountForms();
  void showVerification();
  signedOut.hidden = true;
  signedIn.hidden = false;
  stopFollowing();
  rows.replaceChildren();
  cursor = null;
  void loadPage();
  void sessions.load();
  void notifications.load();
  void apiKeys.load();
  void webhooks.load();
}

// The button hides itself after the last page: focus moves to the list rather than being lost.
more.addEventListener("click", () =>
  void loadPage().then(() => {
    if (more.hidden) byId("requests").focus();
  }),
);

byId<HTMLButtonElement>("signout").addEventListener("click", () => {
  // Forgotten here (and in this browser's other tabs) at once, so the page is signed out even if the server is slow to
  // answer; the session ends on the server too, which drops the refresh cookie.
  showSignIn();
  byId("heading").focus();
  void signOut();
});

// Which side to show is known once the silent refresh has answered.
void sessionReady().then(showDashboard);
