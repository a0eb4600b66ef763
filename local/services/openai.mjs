// What every route of the local model server shares with OpenAI's API: its error body and its bearer key.
// Kept apart from the routes so the chat and the file routes answer errors in one shape.
import { HttpError } from "../router.mjs";

/** OpenAI's error body: `{ error: { message, type, param, code } }` (param names the offending field, or null). */
export const fail = (status, message, type = "invalid_request_error", code = null, param = null) =>
  new HttpError(status, { error: { message, type, param, code } });

/** Refuses a request without the key, or with another one, as OpenAI does (401 either way). */
export function authorize(req, apiKey) {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  if (!token) throw fail(401, "You didn't provide an API key in the Authorization header (Bearer).", "invalid_request_error", "missing_api_key");
  if (apiKey && token !== apiKey) throw fail(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
}
