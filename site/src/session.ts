/**
 * The signed-in client's session, kept in this browser's localStorage so it lasts across tabs and visits until it
 * expires or they sign out. Every call to /api carries it (see api.ts): the site and the API share one origin, and
 * the gateway authenticates the bearer token on each call. Signing out also ends the session on the server.
 */

export type User = { id: string; name: string; email: string; role: string };
export type Session = { token: string; expiresAt: string; user: User };

const KEY = "statex.session";

/** The session, or null when there is none or it has expired. */
export function currentSession(): Session | null {
  let session: Session | null = null;
  try {
    session = JSON.parse(localStorage.getItem(KEY) ?? "null") as Session | null;
  } catch {
    session = null;
  }
  const whole = typeof session?.token === "string" && typeof session.user?.name === "string" && typeof session.user.email === "string";
  if (!session || !whole || !(Date.parse(session.expiresAt) > Date.now())) {
    if (session) clearSession();
    return null;
  }
  return session;
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

/** Forgets the session the server refused (sent as `token`), but not one another tab has saved since. */
export function forgetRefused(token: string | undefined): void {
  if (token !== undefined && currentSession()?.token === token) clearSession();
}

/** The Authorization header for the current session, or none. */
export function authHeaders(): Record<string, string> {
  const session = currentSession();
  return session ? { authorization: `Bearer ${session.token}` } : {};
}
