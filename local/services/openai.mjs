// What every route of the local model server shares with OpenAI's API: its error body and its bearer key.
// Kept apart from the routes so the chat and the file routes answer errors in one shape.
import { HttpError } from "../router.mjs";

/** OpenAI's error body: `{ error: { message, type, param, code } }` (param names the offending field, or null). */
export const fail = (status, message, type = "invalid_request_error", code = null, param = null) =>
  new HttpError(status, { error: { message, type, param, code } });

/**
 * How the whole model server answers right now, set through `PUT /v1/standin/controls {mode, retryAfter?}`: `normal`,
 * `fail` (500, as an outage) or `429` (rate limited, `Retry-After` seconds), for every model route until set back.
 * Kept in memory, as the channels' controls are: a restart is a healthy server again.
 */
export const modelControl = { mode: "normal", retryAfter: 2 };

/**
 * Refuses a request without the key, or with another one, as OpenAI does (401 either way); then answers as the
 * control says, so every model route fails or throttles together, as a provider's outage does.
 */
export function authorize(req, apiKey) {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  if (!token) throw fail(401, "You didn't provide an API key in the Authorization header (Bearer).", "invalid_request_error", "missing_api_key");
  if (apiKey && token !== apiKey) throw fail(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
  if (modelControl.mode === "fail") throw fail(500, "The server had an error while processing your request.", "server_error");
  if (modelControl.mode === "429") {
    throw new HttpError(429, { error: { message: "Rate limit reached.", type: "requests", param: null, code: "rate_limit_exceeded" } }, { "retry-after": String(modelControl.retryAfter) });
  }
}
