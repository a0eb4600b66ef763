/**
 * Tokens derived from a secret: the status token of a request's status URL, the live ticket of its owner's live
 * route, and the constant-time compare that checks them.
 */
import { toBase64Url } from "./base64";

/** Imported keys by secret, per isolate: the secret is fixed for a deployment, so importing it once is enough. */
const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** HMAC-SHA256 of a message under a secret: status tokens, live tickets, identity's password pepper. */
export async function hmac(secret: string, message: string): Promise<ArrayBuffer> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    // A failed import is not kept, so the next call tries again.
    void key.catch(() => hmacKeys.delete(secret));
    hmacKeys.set(secret, key);
  }
  return crypto.subtle.sign("HMAC", await key, new TextEncoder().encode(message));
}

/**
 * The token that lets whoever submitted a request read it without an account.
 * It is an HMAC of the request id, so intake (which answers the status URL) and
 * notify (which puts the link in emails) agree on it without storing or passing it.
 */
export async function statusToken(secret: string, requestId: string): Promise<string> {
  return toBase64Url(await hmac(secret, `status:${requestId}`));
}

/**
 * Compares two strings in constant time (workerd's timingSafeEqual), so a guess learns nothing from timing. Strings of
 * different lengths differ at once: timingSafeEqual refuses them, and the length of what is compared here (an HMAC,
 * a configured token) is no secret.
 */
export function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.byteLength === y.byteLength && crypto.subtle.timingSafeEqual(x, y);
}

/** Constant-time check of a status token. */
export async function verifyStatusToken(secret: string, requestId: string, token: string): Promise<boolean> {
  return sameText(await statusToken(secret, requestId), token);
}

/** How long a live ticket opens the live route: enough to connect, short enough that a leaked URL soon opens nothing. */
export const LIVE_TICKET_TTL_MS = 60_000;

/** A live ticket's shape: `<expiry in epoch seconds>.<nonce>.<HMAC>`. */
export const LIVE_TICKET = /^(\d{1,12})\.([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

/**
 * A ticket that lets a request's signed-in owner open its live route once, within a minute.
 * Browsers send no Authorization header with a WebSocket or an EventSource, so the
 * owner's identity has to travel in the URL: `<expiry in epoch seconds>.<random
 * nonce>.<HMAC of request id, user id, expiry and nonce>`. The nonce makes every
 * ticket a different string, so each can be used up on its own. The `live:` prefix
 * keeps it apart from status tokens under the same secret. The user id is not in
 * the ticket: the verifier supplies the request's owner, so the ticket opens
 * nothing for anyone else. `now` is the time of issue (a parameter so tests can
 * make an expired one).
 */
export async function liveTicket(secret: string, requestId: string, userId: string, now = Date.now()): Promise<{ ticket: string; expiresAt: number }> {
  const expiry = Math.floor((now + LIVE_TICKET_TTL_MS) / 1000);
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  return { ticket: await signedTicket(secret, requestId, userId, expiry, nonce), expiresAt: expiry * 1000 };
}

async function signedTicket(secret: string, requestId: string, userId: string, expiry: number, nonce: string): Promise<string> {
  return `${expiry}.${nonce}.${toBase64Url(await hmac(secret, `live:${requestId}:${userId}:${expiry}:${nonce}`))}`;
}

/** When a ticket stops opening anything (epoch ms; NaN for what is not a ticket). */
export function liveTicketExpiresAt(ticket: string): number {
  return Number(LIVE_TICKET.exec(ticket)?.[1] ?? Number.NaN) * 1000;
}

/**
 * True for an unexpired ticket issued for this request and this user; constant-time in the HMAC. It says nothing
 * of whether the ticket was used already: the live route also claims it (one connection per ticket).
 */
export async function verifyLiveTicket(secret: string, requestId: string, userId: string, ticket: string, now = Date.now()): Promise<boolean> {
  const parts = LIVE_TICKET.exec(ticket);
  const expiresAt = Number(parts?.[1] ?? Number.NaN) * 1000;
  // NaN (not a ticket) fails this too.
  if (!parts || !(expiresAt > now)) return false;
  return sameText(await signedTicket(secret, requestId, userId, expiresAt / 1000, parts[2] ?? ""), ticket);
}
