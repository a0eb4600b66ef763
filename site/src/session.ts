/**
 * The signed-in client's session in this page. The access token (15 minutes) lives in this page's memory only,
 * never in localStorage, so it leaves with the page and a copy soon stops working. The refresh token is an
 * HttpOnly cookie that the page's scripts cannot read, sent by the browser to `/api/sessions` only: each page load
 * asks for a new access token with it ("refreshes silently"), and again a minute before the access token expires.
 * Every call to /api carries the access token (see api.ts); the site and the API share one origin.
 *
 * Each refresh spends the cookie's token and sets the next; a spent token presented again ends the session, so the
 * tabs of this browser take turns (a Web Lock): the second tab sends the cookie the first one just received.
 */

export type User = { id: string; name: string; email: string; role: string };
/** What signing in, registering and refreshing answer the site (the refresh token is in the cookie). */
export type SignedIn = { accessToken: string; expiresIn: number; user: User };
export type Session = { user: User; expiresAt: number };

/**
 * Set while this browser holds a refresh cookie, so that a visitor who never signed in costs no refresh call. It
 * holds no credential: forging it only makes the page ask, and be told no.
 */
const HINT = "statex.signed-in";
/** Where the former 30-day session token was kept; removed wherever it is still found. */
const FORMER = "statex.session";
/** Refreshed this long before the access token expires. */
const EARLY_MS = 60_000;

let held: (Session & { accessToken: string }) | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let restoring: Promise<Session | null> | undefined;
/** Tells this browser's other tabs that it signed out, so they drop their access tokens at once. */
const tabs = typeof BroadcastChannel === "function" ? new BroadcastChannel("statex.session") : null;

function storage(action: (s: Storage) => void): void {
  try {
    action(localStorage);
  } catch {
    // Storage may be off (a privacy mode): the hint is an optimisation only.
  }
}

/** The session of this page, or null: after `sessionReady()` it is what the server said. */
export function currentSession(): Session | null {
  return held ? { user: held.user, expiresAt: held.expiresAt } : null;
}

/** Keeps a session the server just answered (sign-in, registration, refresh), and schedules its refresh. */
export function keepSession(answer: SignedIn): void {
  held = { accessToken: answer.accessToken, user: answer.user, expiresAt: Date.now() + answer.expiresIn * 1000 };
  storage((s) => s.setItem(HINT, "1"));
  clearTimeout(timer);
  timer = setTimeout(() => void refreshNow(), Math.max(answer.expiresIn * 1000 - EARLY_MS, 5_000));
}

/** Forgets the session in this page (and the hint), without asking the server. */
export function forgetSession(): void {
  held = null;
  clearTimeout(timer);
  storage((s) => s.removeItem(HINT));
}

tabs?.addEventListener("message", (event: MessageEvent) => {
  if (event.data === "signed-out") forgetSession();
});

type Outcome = "refreshed" | "ended" | "unreachable";

async function refreshOnce(): Promise<Outcome> {
  try {
    const res = await fetch("/api/sessions/refresh", { method: "POST", headers: { accept: "application/json", "content-type": "application/json" }, body: "{}" });
    if (res.ok) {
      keepSession((await res.json()) as SignedIn);
      return "refreshed";
    }
    // A refusal is final (the session ended, or the cookie is gone); anything else may pass.
    if (res.status === 401 || res.status === 403) {
      forgetSession();
      return "ended";
    }
    return "unreachable";
  } catch {
    return "unreachable";
  }
}

/** A new access token from the refresh cookie, one tab at a time. */
export function refreshNow(): Promise<Outcome> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? locks.request("statex.refresh", refreshOnce) : refreshOnce();
}

/** The session as the server knows it, asked once per page (a refresh, when this browser signed in before). */
export function sessionReady(): Promise<Session | null> {
  restoring ??= (async () => {
    storage((s) => s.removeItem(FORMER));
    let hinted = false;
    storage((s) => {
      hinted = s.getItem(HINT) === "1";
    });
    if (hinted && !held) await refreshNow();
    return currentSession();
  })();
  return restoring;
}

/** The Authorization header for the session, refreshed first when the token is about to expire (a sleeping laptop). */
export async function authHeaders(): Promise<Record<string, string>> {
  await sessionReady();
  if (held && held.expiresAt - Date.now() < EARLY_MS / 2) await refreshNow();
  return held ? { authorization: `Bearer ${held.accessToken}` } : {};
}

/**
 * After the API refused the access token (401 invalid_token): one refresh. True when the page holds a new token to
 * try again with; false when the session has ended (it is forgotten).
 */
export async function refreshAfterRefusal(): Promise<boolean> {
  if (!held) return false;
  const outcome = await refreshNow();
  if (outcome !== "refreshed") forgetSession();
  return outcome === "refreshed";
}

/**
 * Signs out: forgotten here and in this browser's other tabs at once, and ended on the server, which also drops the
 * refresh cookie. The access token is sent before it is forgotten.
 */
export async function signOut(): Promise<void> {
  const headers = await authHeaders();
  forgetSession();
  tabs?.postMessage("signed-out");
  if (headers.authorization) await fetch("/api/sessions/current", { method: "DELETE", headers }).catch(() => undefined);
}
