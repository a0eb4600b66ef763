/**
 * The typed API client: openapi-fetch over the types openapi-typescript generated from the OpenAPI document
 * (`npm run openapi` writes them; `npm run openapi:check` fails when they are stale). Paths, parameters, bodies and
 * answers are checked against the document at compile time; refusals come back as `error`, the problem+json body.
 */
import createClient, { type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, paths };
/** Every refusal's body (RFC 9457), with `errors` naming each field at fault. */
export type Problem = components["schemas"]["Problem"];

/** A client of the API at `baseUrl` (the site's origin or the gateway's); `headers` for an access token or API key. */
export function statexClient(baseUrl: string, options: Omit<ClientOptions, "baseUrl"> = {}) {
  return createClient<paths>({ baseUrl, ...options });
}
