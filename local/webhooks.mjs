// The webhooks the local channels send, as the real services send theirs: each
// delivery is a POST of one JSON body, signed the channel's way, retried with
// backoff on a non-2xx answer or no answer, and kept in a log (`GET /outbox/webhooks`)
// so a developer sees what the platform was told and what it answered.
//
// Signatures, each as the real service makes it:
// - Resend (Svix): svix-id, svix-timestamp, svix-signature "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>", where the
//   key is the base64 after `whsec_` of the secret (any other secret text is used as its UTF-8 bytes, so the dev
//   value of EMAIL_WEBHOOK_SECRET works as it is); each attempt is signed anew with its own timestamp.
// - Meta (WhatsApp): X-Hub-Signature-256 "sha256=<hex HMAC-SHA256(app secret, raw body)>".
// - Telegram signs nothing: it sends the secret_token given to setWebhook as X-Telegram-Bot-Api-Secret-Token.
import { createHmac, randomBytes } from "node:crypto";
import { backoffMs } from "../shared/src/backoff.ts";
import { sendJson } from "./router.mjs";

/**
 * When things happen, in ms: a status after a send (sent, delivered, WhatsApp's read), and the webhook retries
 * (attempts in all, backoff from retryBaseMs doubling to retryCapMs, each attempt's timeout). Tests shorten them.
 */
export const DEFAULT_TIMING = { sentMs: 300, deliveredMs: 1500, readMs: 4000, attempts: 5, retryBaseMs: 1000, retryCapMs: 30_000, timeoutMs: 10_000 };

/** The most deliveries the log keeps; older ones are forgotten first. */
const LOG_SIZE = 500;

/** The key bytes of a Svix secret. */
export function svixKey(secret) {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
}

/** Svix's three headers for one attempt at delivering `body`. */
export function svixHeaders(secret, id, body, now = Date.now()) {
  const timestamp = String(Math.floor(now / 1000));
  const signature = createHmac("sha256", svixKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` };
}

/** Meta's X-Hub-Signature-256 value for `body`. */
export function metaSignature(appSecret, body) {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

/** Timers that all stop when the local services close, so no status or retry fires into a closed server. */
export function createScheduler() {
  const timers = new Set();
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    /** Runs `fn` after `ms`; an error it throws is logged, never left unhandled. */
    later(ms, fn) {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (closed) return;
        Promise.resolve()
          .then(fn)
          .catch((err) => console.error("local services:", err));
      }, ms);
      timers.add(timer);
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

const shortId = (prefix) => `${prefix}_${randomBytes(9).toString("base64url")}`;

/**
 * @typedef {{ time: string, status?: number, error?: string, ms: number }} Attempt
 * @typedef {{ id: string, channel: string, event: string, url?: string, state: "pending" | "delivered" | "failed" | "no-target",
 *   createdAt: string, attempts: Attempt[], nextAttemptAt?: string, payload: unknown }} Delivery
 */

/**
 * Sends webhooks and keeps their log.
 * @param {{ scheduler: ReturnType<typeof createScheduler>, timing: typeof DEFAULT_TIMING, random?: () => number }} deps
 */
export function createWebhooks({ scheduler, timing, random = Math.random }) {
  /** @type {Delivery[]} */
  const log = [];
  const inFlight = new Set();

  /** One POST; resolves to what happened (never throws). */
  async function post(url, body, headers) {
    const controller = new AbortController();
    inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error("no answer in time")), timing.timeoutMs);
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, signal: controller.signal });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    } catch (err) {
      return { error: err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(err) };
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  }

  return {
    /**
     * Delivers `body` to `url`, retrying on failure. `headers(attempt)` signs each attempt; `prepare()`, when given,
     * runs before each attempt and throws to fail it (WhatsApp's verification handshake). Without a url the delivery
     * is logged as `no-target`, so the page says why the platform heard nothing.
     * @param {{ channel: string, event: string, url?: string, body: string, headers?: (attempt: number) => Record<string, string>,
     *   prepare?: () => Promise<void>, onAttempt?: (delivery: Delivery) => void }} spec
     */
    deliver(spec) {
      /** @type {Delivery} */
      const delivery = { id: shortId("whd"), channel: spec.channel, event: spec.event, url: spec.url, state: spec.url ? "pending" : "no-target",
        createdAt: new Date().toISOString(), attempts: [], payload: JSON.parse(spec.body) };
      log.push(delivery);
      if (log.length > LOG_SIZE) log.splice(0, log.length - LOG_SIZE);
      const { url } = spec;
      if (!url) return delivery;
      const attempt = async (n) => {
        const started = Date.now();
        let outcome;
        try {
          await spec.prepare?.();
          outcome = await post(url, spec.body, spec.headers?.(n) ?? {});
        } catch (err) {
          outcome = { error: err instanceof Error ? err.message : String(err) };
        }
        delivery.attempts.push({ time: new Date(started).toISOString(), ...outcome, ms: Date.now() - started });
        delete delivery.nextAttemptAt;
        if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) delivery.state = "delivered";
        else if (n >= timing.attempts || scheduler.closed) delivery.state = "failed";
        else {
          const wait = backoffMs(n, { baseMs: timing.retryBaseMs, capMs: timing.retryCapMs, random });
          delivery.nextAttemptAt = new Date(Date.now() + wait).toISOString();
          scheduler.later(wait, () => attempt(n + 1));
        }
        spec.onAttempt?.(delivery);
      };
      scheduler.later(0, () => attempt(1));
      return delivery;
    },
    /** Newest first. */
    list({ channel, limit = 200 } = {}) {
      return log.filter((d) => !channel || d.channel === channel).slice(-limit).reverse();
    },
    clear() {
      log.length = 0;
    },
    close() {
      for (const controller of inFlight) controller.abort(new Error("local services closed"));
    },
  };
}

/**
 * Reports a message's statuses over time: each step is stored at its time and, through `send`, told by webhook.
 * `out-of-order` stores them in order but sends the webhooks together afterwards, shuffled, one of them twice, as
 * Meta and Svix may (neither promises order or single delivery).
 * @param {{ scheduler: ReturnType<typeof createScheduler>, steps: { atMs: number, apply: () => unknown }[],
 *   outOfOrder?: boolean, random?: () => number }} plan `apply` stores the step and returns a function that sends its webhook
 */
export function reportStatuses({ scheduler, steps, outOfOrder = false, random = Math.random }) {
  if (!outOfOrder) {
    for (const step of steps) scheduler.later(step.atMs, () => step.apply()?.());
    return;
  }
  const senders = [];
  for (const step of steps) scheduler.later(step.atMs, () => void senders.push({ step, send: step.apply() }));
  const last = Math.max(...steps.map((s) => s.atMs));
  scheduler.later(last + 50, () => {
    const inOrder = senders.slice().sort((a, b) => steps.indexOf(a.step) - steps.indexOf(b.step));
    const shuffled = inOrder.slice().sort(() => random() - 0.5);
    if (shuffled.every((s, i) => s === inOrder[i])) shuffled.reverse();
    const twice = shuffled[Math.floor(random() * shuffled.length)];
    const order = [...shuffled, twice];
    order.forEach((s, i) => scheduler.later(i * 40, () => s.send?.()));
  });
}

/**
 * Registers `GET /outbox/webhooks` (?channel= &limit=): every delivery with its attempts, newest first.
 * @param {ReturnType<import("./router.mjs").createRouter>} router
 * @param {ReturnType<typeof createWebhooks>} webhooks
 * @param {() => Record<string, unknown>} targets where each channel's webhooks go now
 */
export function registerWebhookLog(router, webhooks, targets) {
  router.on("GET", "/outbox/webhooks", ({ res, url }) => {
    const limit = Number(url.searchParams.get("limit") ?? "100");
    sendJson(res, 200, {
      targets: targets(),
      deliveries: webhooks.list({ channel: url.searchParams.get("channel") || undefined, limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 500) : 100 }),
    });
  });
}
