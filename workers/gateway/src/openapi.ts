/**
 * The API's OpenAPI 3.1 document: the route table with the schemas each row names, and the gateway's own routes.
 * Served at /api/openapi.json and written by `npm run openapi` into client/ for the typed client, from this one function,
 * with what the platform POSTs to integrators' endpoints as its `webhooks`.
 */
import { operations as gateway } from "@statex/shared/api/gateway";
import { webhookEvents } from "@statex/shared/api/webhooks";
import { type DocumentedRoute, openApiDocument } from "@statex/shared/openapi";
import { routes } from "./routes";

/** The routes the gateway answers itself (src/index.ts), beside the table's, which it forwards. */
export const ownRoutes: DocumentedRoute[] = [
  { method: "GET", path: "", access: "public", own: true, summary: "The route table: every route with who may call it and what it does, and where this document and its reference are", api: gateway.index },
  { method: "GET", path: "/health", access: "public", own: true, summary: "Whether the platform is up (503 when a worker, or a dependency one needs, is down): anyone learns up or down; ops and admins (their bearer token) every worker's checks of its dependencies with latencies", api: gateway.health },
  { method: "GET", path: "/openapi.json", access: "public", own: true, summary: "This OpenAPI 3.1 document", api: gateway.document },
  { method: "GET", path: "/docs", access: "public", own: true, summary: "The interactive reference of this document (HTML)", api: gateway.reference },
];

export function apiDocument(): Record<string, unknown> {
  return openApiDocument(
    [...ownRoutes, ...routes],
    {
      title: "StateX Edge API",
      version: "1",
      description:
        "Submit a business request (text, recordings, documents) and get back an AI analysis and a first draft. Every refusal is RFC 9457 problem+json naming the fields at fault.",
    },
    webhookEvents,
  );
}
