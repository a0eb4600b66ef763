/**
 * Schemas every part of the public API shares: the problem+json body of every refusal, and the ids in its paths.
 */
import { z } from "zod";

/** The body of every refusal (RFC 9457), as `ProblemError.toBody` writes it; `errors` names each failed field. */
export const Problem = z.object({
  type: z.string().describe("A URI naming the kind of problem, e.g. /problems/validation-error"),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  requestId: z.string().optional(),
});

/** A request's id, as intake makes them. */
export const RequestId = z.string().regex(/^req_[0-9A-Z]{26}$/, "must be a request id");

/** An ISO 8601 timestamp as the platform writes them. */
export const Timestamp = z.string().describe("ISO 8601 date-time");

/** A request's id in its path: every route of one request. */
export const RequestParam = z.object({ id: RequestId });
/** A request's status token (from its submission's statusUrl), which opens its routes to whoever holds it. */
export const TokenQuery = z.object({ token: z.string().min(16).max(128).optional() });
