// How each local channel behaves right now, set by a developer or a test through
// `PUT /outbox/controls/<channel>` or the outbox page, so every failure path of the
// notify worker runs against a provider that really fails, throttles, stalls or
// never confirms delivery. Kept in memory: a restart of the local services is a
// healthy provider again.
import { HttpError, sendJson } from "./router.mjs";

export const CHANNELS = ["email", "telegram", "whatsapp"];

/**
 * What each mode does to a send (every channel answers in its own API's error shape):
 * - normal: accepted, delivery reported on its own;
 * - fail: a 5xx; fail-4xx: a permanent refusal (Telegram 403 blocked, WhatsApp 131026, Resend 403);
 * - 429: refused with the channel's Retry-After (`retryAfter` seconds);
 * - slow: accepted after `delayMs`;
 * - no-delivery: accepted, never reported delivered (email: delivery_delayed instead);
 * - out-of-order: accepted, its status webhooks shuffled and one sent twice;
 * - undeliverable: accepted, then reported failed (email.bounced, WhatsApp 131026) as a bad address is.
 * `failRate` (0..1) fails that share of otherwise accepted sends with a 5xx, for load tests.
 */
export const MODES = ["normal", "fail", "fail-4xx", "429", "slow", "no-delivery", "out-of-order", "undeliverable"];

const SLOW = /^slow-(\d{1,6})$/;

/** @typedef {{ mode: string, retryAfter: number, delayMs: number, failRate: number }} Control */

/** @returns {Control} */
const healthy = () => ({ mode: "normal", retryAfter: 2, delayMs: 3000, failRate: 0 });

const invalid = (message) => new HttpError(400, { statusCode: 400, name: "validation_error", message });

/** Checks a PUT body; `slow-<ms>` is the mode `slow` with that delay. */
function parseControl(body, current) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The body must be a JSON object: { mode, retryAfter?, delayMs?, failRate? }.");
  const next = { ...current };
  if (body.mode !== undefined) {
    const slow = typeof body.mode === "string" ? SLOW.exec(body.mode) : null;
    if (slow) {
      next.mode = "slow";
      next.delayMs = Number(slow[1]);
    } else if (MODES.includes(body.mode)) {
      next.mode = body.mode;
    } else {
      throw invalid(`Unknown mode ${JSON.stringify(body.mode)}: one of ${MODES.join(", ")}, or slow-<ms>.`);
    }
  }
  if (body.retryAfter !== undefined) {
    if (!Number.isInteger(body.retryAfter) || body.retryAfter < 1 || body.retryAfter > 3600) throw invalid("retryAfter is whole seconds, 1 to 3600.");
    next.retryAfter = body.retryAfter;
  }
  if (body.delayMs !== undefined) {
    if (!Number.isInteger(body.delayMs) || body.delayMs < 0 || body.delayMs > 600_000) throw invalid("delayMs is whole milliseconds, 0 to 600000.");
    next.delayMs = body.delayMs;
  }
  if (body.failRate !== undefined) {
    if (typeof body.failRate !== "number" || !(body.failRate >= 0 && body.failRate <= 1)) throw invalid("failRate is a number from 0 to 1.");
    next.failRate = body.failRate;
  }
  return next;
}

/**
 * The controls of every channel, and the one question a send asks them.
 * @param {{ random?: () => number }} [options] tests pass a fixed `random` for `failRate`
 */
export function createControls({ random = Math.random } = {}) {
  /** @type {Record<string, Control>} */
  const state = Object.fromEntries(CHANNELS.map((c) => [c, healthy()]));
  // Every send each channel was asked to take, refused ones too: what a caller's circuit breaker spared it shows here.
  const sends = Object.fromEntries(CHANNELS.map((c) => [c, 0]));
  const timers = new Set();
  const wait = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(undefined);
      }, ms);
      timers.add(timer);
    });

  return {
    get: (channel) => ({ ...state[channel] }),
    all: () => Object.fromEntries(CHANNELS.map((c) => [c, { ...state[c] }])),
    /** How many sends each channel was asked to take since the services started. */
    sends: () => ({ ...sends }),
    set(channel, body) {
      state[channel] = parseControl(body, state[channel]);
      return { ...state[channel] };
    },
    reset() {
      for (const c of CHANNELS) state[c] = healthy();
    },
    /**
     * What a send on `channel` meets, after waiting out a slow mode: `refuse` is the error to answer with (none when
     * accepted), `delivery` how its statuses go.
     * @returns {Promise<{ refuse?: "fail" | "fail-4xx" | "429", retryAfter: number, delivery: "normal" | "no-delivery" | "out-of-order" | "undeliverable" }>}
     */
    async decide(channel) {
      sends[channel] += 1;
      const c = state[channel];
      if (c.mode === "slow") await wait(c.delayMs);
      if (c.mode === "fail" || c.mode === "fail-4xx" || c.mode === "429") return { refuse: c.mode, retryAfter: c.retryAfter, delivery: "normal" };
      if (c.failRate > 0 && random() < c.failRate) return { refuse: "fail", retryAfter: c.retryAfter, delivery: "normal" };
      const delivery = c.mode === "no-delivery" || c.mode === "out-of-order" || c.mode === "undeliverable" ? c.mode : "normal";
      return { retryAfter: c.retryAfter, delivery };
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/**
 * Registers `GET /outbox/controls` (with `sends`: every send each channel was asked to take), `PUT /outbox/controls/:channel` and `DELETE /outbox/controls` (all back to normal).
 * @param {ReturnType<import("./router.mjs").createRouter>} router
 * @param {ReturnType<typeof createControls>} controls
 */
export function registerControls(router, controls) {
  router.on("GET", "/outbox/controls", ({ res }) => sendJson(res, 200, { modes: MODES, controls: controls.all(), sends: controls.sends() }));
  router.on("PUT", "/outbox/controls/:channel", async ({ res, params, body }) => {
    if (!CHANNELS.includes(params.channel)) {
      throw new HttpError(404, { statusCode: 404, name: "not_found", message: `No channel ${params.channel} (one of ${CHANNELS.join(", ")}).` });
    }
    sendJson(res, 200, { channel: params.channel, ...controls.set(params.channel, await body()) });
  });
  router.on("DELETE", "/outbox/controls", ({ res }) => {
    controls.reset();
    sendJson(res, 200, { controls: controls.all() });
  });
}
