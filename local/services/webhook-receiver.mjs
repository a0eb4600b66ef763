// An integrator's webhook endpoint, as the platform's outgoing webhooks meet one: `POST /webhook-receiver/<name>`
// keeps each delivery's headers and raw body exactly as they came (it verifies nothing: a test checks the signatures
// with an independent Standard Webhooks library) and answers as that receiver was told to, so the retry path runs
// against a real HTTP server that fails, throttles or stalls.
//
//   POST   /webhook-receiver/:name            a delivery: recorded, then answered per the receiver's controls
//   GET    /webhook-receiver/:name            what it got, oldest first, each with the status it answered
//   PUT    /webhook-receiver/:name/controls   { fail?: n, status?: 5xx|4xx|3xx, retryAfter?: s, delayMs?: ms }: the
//                                             next n deliveries answer `status` (with Retry-After when given), each
//                                             after `delayMs` (past the sender's timeout, to rehearse one)
//   DELETE /webhook-receiver/:name            forget what it got and its controls
//
// Kept in memory, per name (a test picks a fresh name), at most LOG_SIZE deliveries a receiver.
import { HttpError, sendJson } from "../router.mjs";

const LOG_SIZE = 1_000;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** @typedef {{ fail: number, status: number, retryAfter?: number, delayMs: number }} ReceiverControl */
/** @typedef {{ at: string, method: string, headers: Record<string, string>, body: string, answered: number }} Received */

const invalid = (message) => new HttpError(400, { statusCode: 400, name: "validation_error", message });

/** Checks a controls body against what a receiver can be told. */
function parseControl(body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The body must be a JSON object: { fail?, status?, retryAfter?, delayMs? }.");
  const { fail = 1, status = 500, retryAfter, delayMs = 0 } = body;
  if (!Number.isInteger(fail) || fail < 0 || fail > 1_000) throw invalid("fail is how many deliveries fail next, 0 to 1000.");
  if (!Number.isInteger(status) || status < 300 || status > 599) throw invalid("status is the failing answer's status, 300 to 599.");
  if (retryAfter !== undefined && (!Number.isInteger(retryAfter) || retryAfter < 0 || retryAfter > 2_592_000)) throw invalid("retryAfter is whole seconds, 0 to 2592000 (30 days).");
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 600_000) throw invalid("delayMs is whole milliseconds, 0 to 600000.");
  return { fail, status, retryAfter, delayMs };
}

/**
 * Registers the receiver's routes.
 * @param {ReturnType<import("../router.mjs").createRouter>} router
 */
export function registerWebhookReceiver(router) {
  /** @type {Map<string, { received: Received[], control?: ReceiverControl }>} */
  const receivers = new Map();
  const timers = new Set();
  const receiver = (name) => {
    if (!NAME.test(name)) throw new HttpError(404, { statusCode: 404, name: "not_found", message: "A receiver's name is 1-100 letters, digits, _ . -" });
    let r = receivers.get(name);
    if (!r) receivers.set(name, (r = { received: [] }));
    return r;
  };
  const wait = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(undefined);
      }, ms);
      timers.add(timer);
    });

  router.on("POST", "/webhook-receiver/:name", async ({ req, res, params, body }) => {
    const r = receiver(params.name);
    const raw = await body.text();
    const control = r.control && r.control.fail > 0 ? r.control : undefined;
    if (control) control.fail -= 1;
    const status = control ? control.status : 200;
    const entry = { at: new Date().toISOString(), method: req.method ?? "POST", headers: headersOf(req), body: raw, answered: status };
    r.received.push(entry);
    if (r.received.length > LOG_SIZE) r.received.shift();
    if (control?.delayMs) await wait(control.delayMs);
    if (res.destroyed) return;
    if (!control) return sendJson(res, 200, { ok: true });
    const headers = control.retryAfter === undefined ? {} : { "retry-after": String(control.retryAfter) };
    // A 3xx points somewhere else, as a moved endpoint does; the sender must not follow it.
    if (status < 400) return sendJson(res, status, { moved: true }, { location: "http://127.0.0.1:9/elsewhere", ...headers });
    sendJson(res, status, { error: "planned failure", detail: "x".repeat(2_000) }, headers);
  });
  router.on("GET", "/webhook-receiver/:name", ({ res, params }) => {
    const r = receiver(params.name);
    sendJson(res, 200, { name: params.name, received: r.received, controls: r.control ?? null });
  });
  router.on("PUT", "/webhook-receiver/:name/controls", async ({ res, params, body }) => {
    const r = receiver(params.name);
    r.control = parseControl(await body());
    sendJson(res, 200, { name: params.name, controls: r.control });
  });
  router.on("DELETE", "/webhook-receiver/:name", ({ res, params }) => {
    receiver(params.name);
    const count = receivers.get(params.name)?.received.length ?? 0;
    receivers.delete(params.name);
    sendJson(res, 200, { deleted: count });
  });
  return {
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** A request's headers, lower-case names, repeated ones joined as HTTP joins them. */
function headersOf(req) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(", ") : String(value ?? "");
  return out;
}
