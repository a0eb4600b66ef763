// The local email provider: the part of Resend's API (https://resend.com/docs/api-reference)
// that notify uses, with its checks and its error shapes, so notify runs the same code
// path locally as in production. Nothing leaves the machine: messages land in the outbox.
// Like Resend it then reports each email by Svix-signed webhook (email.sent, then
// email.delivered; email.delivery_delayed or email.bounced when the controls say so).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { HttpError, sendJson } from "../router.mjs";
import { reportStatuses, svixHeaders } from "../webhooks.mjs";

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const NAMED_ADDRESS = /^[^<>]*<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>$/;
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;

/** Resend's error body: `{ statusCode, name, message }`. */
const fail = (status, name, message) => new HttpError(status, { statusCode: status, name, message });
const invalid = (message) => fail(422, "validation_error", message);

function isAddress(value) {
  return typeof value === "string" && (ADDRESS.test(value) || NAMED_ADDRESS.test(value.trim()));
}

/** Checks a send request the way Resend does and returns the normalised message fields. */
function validateEmail(body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The request body must be a JSON object.");
  for (const field of ["from", "to", "subject"]) {
    if (body[field] === undefined || body[field] === "") throw fail(422, "missing_required_field", `Missing \`${field}\` field.`);
  }
  if (!isAddress(body.from)) {
    throw invalid("Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
  }
  const to = Array.isArray(body.to) ? body.to : [body.to];
  if (to.length === 0 || to.length > 50) throw invalid("The `to` field must have between 1 and 50 recipients.");
  for (const address of to) if (!isAddress(address)) throw invalid(`Invalid \`to\` field. \`${String(address)}\` is not a valid email address.`);
  if (typeof body.subject !== "string") throw invalid("The `subject` field must be a string.");
  if (typeof body.text !== "string" && typeof body.html !== "string") throw invalid("Missing `html` or `text` field.");
  const tags = body.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => !TAG_PART.test(t?.name ?? "") || !TAG_PART.test(t?.value ?? ""))) {
    throw invalid("Invalid `tags` field. Tag names and values may only contain ASCII letters, numbers, underscores or dashes.");
  }
  const headers = body.headers ?? {};
  if (typeof headers !== "object" || Array.isArray(headers)) throw invalid("The `headers` field must be an object.");
  return { from: body.from, to, subject: body.subject, text: body.text, html: body.html, tags, headers };
}

/** The request id the notifier attached: a `request_id` tag, an `X-Request-Id` mail header, or the HTTP header. */
function requestIdOf(email, req) {
  const tag = email.tags.find((t) => t.name === "request_id")?.value;
  const mailHeader = Object.entries(email.headers).find(([k]) => k.toLowerCase() === "x-request-id")?.[1];
  return tag ?? (typeof mailHeader === "string" ? mailHeader : undefined) ?? req.headers["x-request-id"];
}

function authorize(req, apiKey) {
  const auth = req.headers.authorization ?? "";
  const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  if (!token) {
    throw fail(401, "missing_api_key", "Missing API key in the authorization header. Include the following header Authorization: Bearer YOUR_API_KEY in the request.");
  }
  if (apiKey && token !== apiKey) throw fail(403, "invalid_api_key", "API key is invalid");
}

/** The refusals the controls can ask for, as Resend words them. */
function refusal(kind, retryAfter, from) {
  if (kind === "429") {
    return new HttpError(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests. Please limit the number of requests per second. Or contact support to increase rate limit." },
      { "retry-after": String(retryAfter), "ratelimit-limit": "2", "ratelimit-remaining": "0", "ratelimit-reset": String(retryAfter) });
  }
  if (kind === "fail-4xx") {
    const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? "sender";
    return fail(403, "validation_error", `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`);
  }
  return fail(500, "application_error", "An unexpected error occurred.");
}

/** Resend's bounce details for an address that does not exist. */
const BOUNCE = { message: "The recipient's mail server permanently rejected the email: the address does not exist.", subType: "General", type: "Permanent" };

/**
 * Registers `POST /email/emails`.
 * @param {ReturnType<import("../router.mjs").createRouter>} router
 * @param {import("../channels.mjs").ChannelDeps & { apiKey?: string, webhookSecret: string }} deps
 */
export function registerEmail(router, { outbox, apiKey, controls, webhooks, scheduler, timing, webhookUrl, webhookSecret }) {
  /** Sends one Resend event about `message`, signed anew at each attempt as Svix does. */
  function sendEvent(message, type, extra = {}) {
    const body = JSON.stringify({
      type,
      created_at: new Date().toISOString(),
      data: {
        created_at: message.time,
        email_id: message.id,
        from: message.from,
        to: message.to,
        subject: message.subject,
        ...(message.tags?.length ? { tags: Object.fromEntries(message.tags.map((t) => [t.name, t.value])) } : {}),
        ...extra,
      },
    });
    const id = `msg_${randomBytes(18).toString("base64url")}`;
    webhooks.deliver({ channel: "email", event: type, url: webhookUrl, body, headers: () => svixHeaders(webhookSecret, id, body) });
  }

  /** What Resend reports after accepting an email, by the channel's delivery mode. */
  function report(message, delivery) {
    const step = (atMs, status, type, extra) => ({
      atMs,
      apply: () => {
        outbox.addStatus(message.id, status, extra?.bounce ? `bounced (${extra.bounce.type}): ${extra.bounce.message}` : undefined);
        return () => sendEvent(message, type, extra);
      },
    });
    const sent = step(timing.sentMs, "sent", "email.sent");
    const steps =
      delivery === "no-delivery" ? [sent, step(timing.deliveredMs, "delayed", "email.delivery_delayed")]
      : delivery === "undeliverable" ? [sent, step(timing.deliveredMs, "failed", "email.bounced", { bounce: BOUNCE })]
      : [sent, step(timing.deliveredMs, "delivered", "email.delivered")];
    reportStatuses({ scheduler, steps, outOfOrder: delivery === "out-of-order" });
  }

  router.on("POST", "/email/emails", async ({ req, res, body }) => {
    authorize(req, apiKey);
    // Asked before the idempotent replay: an outage or a rate limit meets a retried send too.
    const decision = await controls.decide("email");
    const key = req.headers["idempotency-key"];
    if (key !== undefined && (typeof key !== "string" || key.length < 1 || key.length > 256)) {
      throw fail(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    const email = validateEmail(await body());
    if (decision.refuse) throw refusal(decision.refuse, decision.retryAfter, email.from);
    const payloadHash = createHash("sha256").update(JSON.stringify(email)).digest("hex");
    if (key) {
      // Like Resend: a retried send with the same key gets the first answer and sends nothing.
      const first = outbox.byIdempotencyKey("email", key);
      if (first && first.payloadHash !== payloadHash) {
        throw fail(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
      }
      if (first) return sendJson(res, 200, { id: first.id });
    }
    const time = new Date().toISOString();
    const message = outbox.add({
      id: randomUUID(),
      channel: "email",
      from: email.from,
      to: email.to,
      subject: email.subject,
      body: email.text ?? "",
      html: email.html,
      requestId: requestIdOf(email, req),
      tags: email.tags,
      idempotencyKey: key,
      payloadHash,
      time,
      statuses: [{ status: "accepted", time }],
    });
    report(message, decision.delivery);
    sendJson(res, 200, { id: message.id });
  });
}
