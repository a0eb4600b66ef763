/**
 * The API's OpenAPI 3.1 document: the route table with the schemas each row names. Served at /api/openapi.json and
 * written by `npm run openapi` into client/ for the typed client, from this one function.
 */
import { openApiDocument } from "@statex/shared/openapi";
import { routes } from "./routes";

export function apiDocument(): Record<string, unknown> {
  return openApiDocument(routes, {
    title: "StateX Edge API",
    version: "1",
    description:
      "Submit a business request (text, recordings, documents) and get back an AI analysis and a first draft. Every refusal is RFC 9457 problem+json naming the fields at fault.",
  });
}
