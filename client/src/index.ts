/**
 * The typed API client: openapi-fetch over the types openapi-typescript generated from the OpenAPI document
 * (`npm run openapi` writes them; `npm run openapi:check` fails when they are stale). Paths, parameters, bodies and
 * answers are checked against the document at compile time; refusals come back as `error`, the problem+json body.
 */
import createClient, { type ClientOptions } from "openapi-fetch";
import type { components, paths, webhooks } from "./schema";

export type { components, paths, webhooks };
/** Every refusal's body (RFC 9457), with `errors` naming each field at fault. */
export type Problem = components["schemas"]["Problem"];
/**
 * What the platform POSTs to a webhook endpoint, one type per event (`type` tells them apart). Read it only after its
 * signature verified (any Standard Webhooks library, with the endpoint's `whsec_` secret).
 */
export type WebhookEvent = NonNullable<webhooks[keyof webhooks]["post"]>["requestBody"]["content"]["application/json"];

/** A client of the API at `baseUrl` (the site's origin or the gateway's); `headers` for an access token or API key. */
export function statexClient(baseUrl: string, options: Omit<ClientOptions, "baseUrl"> = {}) {
  return createClient<paths>({ baseUrl, ...options });
}
