/**
 * notify's part of the public API for integrators: an account's webhook endpoints, their secret's rotation and their
 * deliveries. notify validates with these very schemas; the gateway's table names them, so the OpenAPI document
 * shows what is checked. What each delivery POSTs is `WebhookPayload`, which the document's `webhooks` section shows
 * event by event (`webhookEvents`).
 */
import { z } from "zod";
import { type DocumentedWebhook, type Operation, json } from "../openapi";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../webhooks";
import { RequestId, Timestamp } from "./common";

const Url = z.url({ error: "must be an absolute URL" }).max(2_000).describe("https, to a public host (http and loopback only on the local platform)");
const Events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((list) => new Set(list).size === list.length, "must not name an event twice");
const Description = z.string().trim().max(200);

export const CreateEndpoint = z.strictObject({ url: Url, events: Events, description: Description.optional() });
export const PatchEndpoint = z
  .strictObject({ url: Url.optional(), events: Events.optional(), description: Description.nullable().optional(), enabled: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "must change at least one of url, events, description, enabled");
export const EndpointParam = z.object({ id: z.string().regex(/^whk_[0-9A-Z]{26}$/, "must be an endpoint id") });
/** A delivery's id: its `webhook-id` header. */
const DeliveryId = z.string().regex(/^msg_[0-9a-f]{32}$/, "must be a delivery id");
export const DeliveryParam = EndpointParam.extend({ deliveryId: DeliveryId });
export const DeliveriesQuery = z.strictObject({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().describe("`next` of the page before"),
});

/** An endpoint as its owner sees it: never its secret. */
export const Endpoint = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: Timestamp.nullable().describe("The first failed attempt since the last success"),
  previousSecretExpiresAt: Timestamp.nullable().describe("While a rotation's overlap lasts: when the previous secret stops signing"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreatedEndpoint = Endpoint.extend({ secret: z.string().describe("The signing secret (whsec_ + base64), answered this once") });
export const Endpoints = z.object({ endpoints: z.array(Endpoint) });
export const RotatedSecret = z.object({ id: z.string(), secret: z.string(), previousSecretExpiresAt: Timestamp });

/** The request's status each event says it is in. */
const STATUS_OF = { "request.processing": "processing", "request.completed": "completed", "request.failed": "failed", "request.cancelled": "cancelled" } as const;

/** What every event's `data` carries; request.failed adds `reason`, request.cancelled `cancelledBy`. */
const EventData = {
  eventId: z.string().describe("The event's id: the same for every endpoint that received it, and on every retry").meta({ examples: ["0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b"] }),
  requestId: RequestId.meta({ examples: ["req_01M8YH0YRN617ZBEZBP0EKDJQ5"] }),
  statusUrl: z.string().describe("GET it with an API key holding requests:read (or the owner's session)").meta({ examples: ["https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5"] }),
};
const Reason = z.string().describe("Why the job failed");
const CancelledBy = z.enum(["client", "ops"]).describe("Who cancelled it");

/**
 * The body of one delivery of `type`, in the Standard Webhooks shape ({type, timestamp, data}): the event, and what
 * the owner needs to act on it — the request's id and status, and where to read it (their own request, so no contact
 * details or texts travel). `eventId` is the platform's event: the same for every endpoint it went to, where
 * `webhook-id` is one delivery's.
 */
function payloadOf<T extends WebhookEventType>(type: T) {
  return z.object({
    type: z.literal(type),
    timestamp: Timestamp.describe("When the event happened").meta({ examples: ["2026-12-03T07:47:15.370Z"] }),
    data: z.object({
      ...EventData,
      status: z.literal(STATUS_OF[type]),
      ...(type === "request.failed" ? { reason: Reason } : {}),
      ...(type === "request.cancelled" ? { cancelledBy: CancelledBy } : {}),
    }),
  });
}

/** Any delivery's body: one of the four events, told apart by `type`. */
export const WebhookPayload = z.discriminatedUnion("type", [
  payloadOf("request.processing"),
  payloadOf("request.completed"),
  payloadOf("request.failed"),
  payloadOf("request.cancelled"),
]);
export type WebhookPayload = z.infer<typeof WebhookPayload>;

const WHAT_HAPPENED: Record<WebhookEventType, string> = {
  "request.processing": "The request's job started: its analysis and draft are being written",
  "request.completed": "The request's job completed: its analysis and draft can be read at statusUrl",
  "request.failed": "The request's job failed for good (reason says why)",
  "request.cancelled": "The request was cancelled, by its client or by ops (cancelledBy)",
};

/**
 * The Standard Webhooks headers every delivery carries, which the receiver verifies before reading the body. notify
 * builds its headers to this type, and its tests parse each delivery's headers with it.
 */
export const WebhookHeaders = z.object({
  "webhook-id": DeliveryId.describe("The delivery's id: the same on every retry and re-send, so a receiver takes it once"),
  "webhook-timestamp": z
    .string()
    .regex(/^[0-9]+$/)
    .describe("Seconds since the epoch when this attempt was signed: refuse one far from now (a replay)"),
  "webhook-signature": z
    .string()
    .regex(/^v1,[A-Za-z0-9+/]+=*( v1,[A-Za-z0-9+/]+=*)*$/)
    .describe("`v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's secret (whsec_ base64-decoded); while a rolled secret overlaps, a second one, space-separated: accept either"),
});
export type WebhookHeaders = z.infer<typeof WebhookHeaders>;

/** What the platform POSTs to an endpoint, event by event: the document's `webhooks`. */
export const webhookEvents: DocumentedWebhook[] = WEBHOOK_EVENT_TYPES.map((type) => ({ name: type, summary: WHAT_HAPPENED[type], headers: WebhookHeaders, body: payloadOf(type) }));

export const Attempt = z.object({
  n: z.number().int(),
  at: Timestamp,
  trigger: z.enum(["scheduled", "manual"]),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  responseBody: z.string().nullable().describe("The answer's first KiB"),
  error: z.string().nullable(),
});
export const Delivery = z.object({
  id: z.string().describe("The webhook-id header: the same on every retry and re-send"),
  eventId: z.string(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  requestId: RequestId,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.array(Attempt),
  nextAttemptAt: Timestamp.nullable(),
  payload: WebhookPayload.describe("The body as POSTed"),
  createdAt: Timestamp,
});
export const Deliveries = z.object({ deliveries: z.array(Delivery), next: z.string().nullable() });
export const Resent = z.object({
  id: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  nextAttemptAt: Timestamp.nullable(),
});

/** The operations of notify's webhook routes, which the gateway's table names row by row. */
export const operations = {
  create: { body: CreateEndpoint, responses: { 201: json(CreatedEndpoint, "Created: the endpoint with its secret, this once") }, errors: [409, 422] },
  list: { responses: { 200: json(Endpoints) } },
  get: { params: EndpointParam, responses: { 200: json(Endpoint) } },
  patch: { params: EndpointParam, body: PatchEndpoint, responses: { 200: json(Endpoint) }, errors: [422] },
  delete: { params: EndpointParam, responses: { 204: { description: "Deleted, with its deliveries" } } },
  rotateSecret: { params: EndpointParam, responses: { 200: json(RotatedSecret) }, errors: [409] },
  deliveries: { params: EndpointParam, query: DeliveriesQuery, responses: { 200: json(Deliveries) } },
  resend: { params: DeliveryParam, responses: { 200: json(Resent, "Attempted once: what came of it") }, errors: [409] },
} satisfies Record<string, Operation>;
