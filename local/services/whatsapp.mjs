// The local WhatsApp: the part of Meta's WhatsApp Cloud API
// (https://developers.facebook.com/docs/whatsapp/cloud-api) the notify worker uses,
// answering as the Graph API does (WHATSAPP_API_URL = http://127.0.0.1:8790/whatsapp).
//
//   POST /whatsapp/<version>/<phone-number-id>/messages   send a text or template message (Bearer WHATSAPP_TOKEN),
//                                                          or mark an inbound message read ({status: "read", message_id})
//   POST /whatsapp/standin/inbound                         {from, text, name?, time?}: the client writes to the business
//
// Like Meta it accepts a send at once ({messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid.…"}]})
// and reports what became of it by webhook: statuses sent, delivered, then read. A free-form (text) message needs
// the customer to have written within 24 hours; outside that window it is accepted and then reported failed with
// 131047 (re-engagement), as Meta does, and only a template gets through. The window is kept per number from the
// inbound messages simulated here. Webhooks go to LOCAL_WEBHOOK_BASE + /api/webhooks/whatsapp once its verification
// handshake (GET hub.mode=subscribe, hub.verify_token, hub.challenge) has succeeded, as when the webhook is set up
// in Meta's dashboard, and are signed X-Hub-Signature-256 with the app secret.
import { randomBytes, randomInt } from "node:crypto";
import { HttpError, sendJson } from "../router.mjs";
import { openState } from "../store.mjs";
import { metaSignature, reportStatuses } from "../webhooks.mjs";

export const PHONE_NUMBER_ID = "100000000000001";
export const BUSINESS_ACCOUNT_ID = "100000000000002";
export const DISPLAY_PHONE_NUMBER = "15550100001";
const WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_TEXT = 4096;
const ERROR_CODES_URL = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

/** A Graph API error: `{ error: { message, type, code, error_subcode?, error_data?, fbtrace_id } }`. */
function graphError(status, code, message, { subcode, details, headers } = {}) {
  return new HttpError(
    status,
    {
      error: {
        message,
        type: "OAuthException",
        code,
        ...(subcode ? { error_subcode: subcode } : {}),
        ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
        fbtrace_id: randomBytes(12).toString("base64url"),
      },
    },
    headers,
  );
}
const param = (message) => graphError(400, 100, `(#100) ${message}`);
const invalid = (message) => new HttpError(400, { statusCode: 400, name: "validation_error", message });

/** The errors a failed status carries, as Meta words them. */
const STATUS_ERRORS = {
  131047: { title: "Re-engagement message", details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
  131026: { title: "Message undeliverable", details: "Message Undeliverable." },
};
const statusError = (code) => ({ code, title: STATUS_ERRORS[code].title, message: STATUS_ERRORS[code].title, error_data: { details: STATUS_ERRORS[code].details }, href: ERROR_CODES_URL });

/** A phone number as WhatsApp ids it (digits only), or undefined when it cannot be one. */
function waIdOf(value) {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const digits = String(value).replace(/[\s()+.-]/g, "");
  return /^\d{7,15}$/.test(digits) ? digits : undefined;
}

const wamid = () => `wamid.${randomBytes(27).toString("base64")}`;
const unixNow = () => String(Math.floor(Date.now() / 1000));

/** The send body's message fields, checked as the Cloud API checks them; the text a person would read. */
function validateSend(body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw param("The parameter messaging_product is required.");
  if (body.messaging_product === undefined) throw param("The parameter messaging_product is required.");
  if (body.messaging_product !== "whatsapp") throw param(`Param messaging_product must be one of {WHATSAPP} - got "${String(body.messaging_product)}".`);
  if (body.recipient_type !== undefined && body.recipient_type !== "individual") throw param(`Param recipient_type must be one of {INDIVIDUAL} - got "${String(body.recipient_type)}".`);
  if (body.to === undefined || body.to === "") throw param("The parameter to is required.");
  const waId = waIdOf(body.to);
  if (!waId) throw graphError(400, 131009, "(#131009) Parameter value is not valid", { details: `Invalid phone number: ${String(body.to)}` });
  if (body.biz_opaque_callback_data !== undefined && (typeof body.biz_opaque_callback_data !== "string" || body.biz_opaque_callback_data.length > 512)) {
    throw param("Param biz_opaque_callback_data must be a string of at most 512 characters.");
  }
  const type = body.type ?? "text";
  if (type === "text") {
    const text = body.text?.body;
    if (typeof text !== "string" || !text) throw param("The parameter text['body'] is required.");
    if (text.length > MAX_TEXT) throw param(`Param text['body'] must be at most ${MAX_TEXT} characters long.`);
    return { waId, type, text };
  }
  if (type === "template") {
    const t = body.template;
    if (!t || typeof t !== "object" || typeof t.name !== "string" || !t.name) throw param("The parameter template['name'] is required.");
    if (typeof t.language?.code !== "string" || !t.language.code) throw param("The parameter template['language']['code'] is required.");
    if (t.components !== undefined && !Array.isArray(t.components)) throw param("Param template['components'] must be an array.");
    // No template registry here: what a person would read is the template's name and its parameters in order.
    const values = (t.components ?? []).flatMap((c) => (Array.isArray(c?.parameters) ? c.parameters : [])).map((p) => p?.text ?? p?.currency?.fallback_value ?? p?.date_time?.fallback_value ?? `[${p?.type}]`);
    return { waId, type, template: t, text: `[template ${t.name} (${t.language.code})]${values.length ? ` ${values.join(" · ")}` : ""}` };
  }
  throw graphError(400, 131051, "(#131051) Unsupported message type", { details: `The local WhatsApp sends text and template messages, not ${String(type)}.` });
}

/**
 * Registers the WhatsApp routes. `describe()` gives what the outbox page shows of it.
 * @param {ReturnType<import("../router.mjs").createRouter>} router
 * @param {import("../channels.mjs").ChannelDeps & { token: string, appSecret: string, verifyToken: string, phoneNumberId?: string }} deps
 */
export function registerWhatsApp(router, { outbox, controls, webhooks, scheduler, timing, dataDir, webhookUrl, token, appSecret, verifyToken, phoneNumberId = PHONE_NUMBER_ID }) {
  const state = openState(dataDir, "whatsapp", { /** @type {Record<string, string>} wa_id → when it last wrote */ lastInbound: {} });
  const s = state.value;
  /** @type {{ url: string, at: string } | null} */
  let verified = null;
  /** @type {{ at: string, outcome: string } | null} */
  let lastHandshake = null;

  /** Meta's handshake: it subscribes a callback URL only once the URL echoes the challenge for the verify token. */
  async function verify() {
    if (!webhookUrl || verified?.url === webhookUrl) return;
    const challenge = String(randomInt(100_000_000, 2_000_000_000));
    const url = new URL(webhookUrl);
    url.searchParams.set("hub.mode", "subscribe");
    url.searchParams.set("hub.challenge", challenge);
    url.searchParams.set("hub.verify_token", verifyToken);
    let outcome;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timing.timeoutMs) });
      const text = (await res.text()).trim();
      outcome = res.status === 200 && text === challenge ? "verified" : `answered ${res.status}${res.status === 200 ? " without the challenge" : ""}`;
    } catch (err) {
      outcome = `unreachable (${err?.cause?.code ?? err?.message ?? err})`;
    }
    lastHandshake = { at: new Date().toISOString(), outcome };
    if (outcome !== "verified") throw new Error(`verification handshake failed: the callback URL ${outcome}`);
    verified = { url: webhookUrl, at: lastHandshake.at };
  }

  /** One webhook to the business's callback: a `messages` change with `value`. */
  function notify(event, value) {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: BUSINESS_ACCOUNT_ID, changes: [{ value: { messaging_product: "whatsapp", metadata: { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: phoneNumberId }, ...value }, field: "messages" }] }],
    });
    return webhooks.deliver({ channel: "whatsapp", event, url: webhookUrl, body, headers: () => ({ "X-Hub-Signature-256": metaSignature(appSecret, body) }), prepare: verify });
  }

  const windowOpen = (waId, at = Date.now()) => {
    const last = s.lastInbound[waId];
    return last !== undefined && at - Date.parse(last) < WINDOW_MS;
  };

  /** The statuses Meta reports for an accepted message, by the channel's delivery mode and the 24-hour window. */
  function report(message, { waId, type }, delivery, callbackData) {
    const step = (atMs, status, errorCode) => ({
      atMs,
      apply: () => {
        outbox.addStatus(message.id, status, errorCode ? `${errorCode} ${STATUS_ERRORS[errorCode].title}` : undefined);
        const entry = { id: message.id, status, timestamp: unixNow(), recipient_id: waId, ...(callbackData ? { biz_opaque_callback_data: callbackData } : {}),
          ...(errorCode ? { errors: [statusError(errorCode)] } : {}) };
        return () => notify(`status.${status}`, { statuses: [entry] });
      },
    });
    const steps =
      type === "text" && !windowOpen(waId) ? [step(timing.sentMs, "failed", 131047)]
      : delivery === "undeliverable" ? [step(timing.sentMs, "failed", 131026)]
      : delivery === "no-delivery" ? [step(timing.sentMs, "sent")]
      : [step(timing.sentMs, "sent"), step(timing.deliveredMs, "delivered"), step(timing.readMs, "read")];
    reportStatuses({ scheduler, steps, outOfOrder: delivery === "out-of-order" });
  }

  function authorize(req) {
    const auth = String(req.headers.authorization ?? "");
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (!bearer) throw graphError(400, 2500, "An active access token must be used to query information about the current user.");
    if (bearer !== token) throw graphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
  }

  router.on("POST", "/whatsapp/:version/:phoneNumberId/messages", async ({ req, res, params, body }) => {
    authorize(req);
    if (!/^v\d+\.\d+$/.test(params.version) || params.phoneNumberId !== phoneNumberId) {
      throw graphError(400, 100, `Unsupported post request. Object with ID '${params.phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { subcode: 33 });
    }
    const input = await body();
    if (input && typeof input === "object" && input.status === "read") {
      if (input.messaging_product !== "whatsapp") throw param("The parameter messaging_product is required.");
      if (typeof input.message_id !== "string" || !input.message_id.startsWith("wamid.")) throw param("The parameter message_id is required.");
      return sendJson(res, 200, { success: true });
    }
    const decision = await controls.decide("whatsapp");
    if (decision.refuse === "429") {
      throw graphError(429, 130429, "(#130429) Rate limit hit", { details: "Cloud API message throughput has been reached.", headers: { "retry-after": String(decision.retryAfter) } });
    }
    const send = validateSend(input);
    if (decision.refuse === "fail-4xx") throw graphError(400, 131026, "(#131026) Message Undeliverable", { details: "Message Undeliverable." });
    if (decision.refuse === "fail") throw graphError(500, 131000, "(#131000) Something went wrong", { details: "Something went wrong" });

    const id = wamid();
    const time = new Date().toISOString();
    const callbackData = input.biz_opaque_callback_data;
    const message = outbox.add({
      id,
      channel: "whatsapp",
      from: DISPLAY_PHONE_NUMBER,
      to: [send.waId],
      body: send.text,
      requestId: typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"] : undefined,
      providerMessageId: id,
      time,
      statuses: [{ status: "accepted", time }],
      extra: { type: send.type, ...(send.template ? { template: send.template } : {}), ...(callbackData ? { bizOpaqueCallbackData: callbackData } : {}),
        windowOpen: windowOpen(send.waId) },
    });
    report(message, send, decision.delivery, callbackData);
    sendJson(res, 200, {
      messaging_product: "whatsapp",
      contacts: [{ input: String(input.to), wa_id: send.waId }],
      messages: [{ id, ...(send.type === "template" ? { message_status: "accepted" } : {}) }],
    });
  });

  router.on("POST", "/whatsapp/standin/inbound", async ({ res, body }) => {
    const input = await body();
    if (!input || typeof input !== "object") throw invalid("The body must be a JSON object: { from, text, name?, time? }.");
    const waId = waIdOf(input.from);
    if (!waId) throw invalid("from must be a phone number in international form, 7 to 15 digits (a leading + and spaces are fine).");
    if (typeof input.text !== "string" || !input.text.trim() || input.text.length > MAX_TEXT) throw invalid("text must be 1 to 4096 characters.");
    // `time` backdates the message, to try a window that has closed (25 hours ago) without waiting a day.
    const at = input.time === undefined ? Date.now() : Date.parse(input.time);
    if (!Number.isFinite(at) || at > Date.now() + 60_000) throw invalid("time must be an ISO date, not in the future.");
    if (!s.lastInbound[waId] || Date.parse(s.lastInbound[waId]) < at) s.lastInbound[waId] = new Date(at).toISOString();
    state.save();
    const message = { from: waId, id: wamid(), timestamp: String(Math.floor(at / 1000)), type: "text", text: { body: input.text } };
    const name = typeof input.name === "string" && input.name.trim() ? input.name.trim() : "Client";
    const delivery = notify("message", { contacts: [{ profile: { name }, wa_id: waId }], messages: [message] });
    sendJson(res, 200, { message, delivery: delivery.id, windowOpenUntil: new Date(Date.parse(s.lastInbound[waId]) + WINDOW_MS).toISOString() });
  });

  return {
    describe: () => ({
      phoneNumberId,
      displayPhoneNumber: DISPLAY_PHONE_NUMBER,
      webhook: webhookUrl ?? null,
      verified: verified !== null && verified.url === webhookUrl,
      lastHandshake,
      windows: Object.entries(s.lastInbound).map(([waId, last]) => ({ waId, lastInboundAt: last, openUntil: new Date(Date.parse(last) + WINDOW_MS).toISOString(), open: windowOpen(waId) })),
    }),
  };
}
