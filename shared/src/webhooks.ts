/**
 * Outgoing webhooks (Standard Webhooks): the request events an integrator may subscribe an endpoint to, and the
 * body each delivery carries. notify owns the endpoints and sends them; the schema and the API's documentation
 * name the same list.
 */

/** The events an endpoint may subscribe to: a request's life as its owner sees it. */
export const WEBHOOK_EVENT_TYPES = ["request.processing", "request.completed", "request.failed", "request.cancelled"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Where a delivery stands: waiting for its next attempt, answered with a 2xx, or given up on. */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
