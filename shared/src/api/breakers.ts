/**
 * The circuit breakers' part of the public API, for ops: each provider a worker calls (a model API, an email, chat or
 * messaging API) and whether calls go to it now. ai and notify each answer for their own providers with this schema,
 * and their tests parse the real answers with it.
 */
import { z } from "zod";
import { type Operation, json } from "../openapi";
import { Timestamp } from "./common";

/** closed: calls go; open: calls are skipped until the next probe; half-open: one probe is on its way, the rest skipped. */
export const BreakerStateName = z.enum(["closed", "open", "half-open"]);

/** One provider's breaker as its Durable Object holds it. */
export const BreakerView = z.object({
  name: z.string().describe("The provider: an AI provider of AI_PROVIDERS, or a notify channel"),
  state: BreakerStateName,
  failures: z.number().int().nonnegative().describe("Failures in a row since the last success"),
  openings: z.number().int().nonnegative().describe("Times opened without a success between: each doubles the cool-down"),
  recentCalls: z.number().int().nonnegative().describe("Outcomes in the failure-rate window (kept in the object's memory)"),
  recentFailures: z.number().int().nonnegative(),
  openedAt: Timestamp.nullable(),
  nextProbeAt: Timestamp.nullable().describe("When an open breaker lets its next probe through"),
  lastFailure: z.string().nullable().describe("What the last failure said"),
  lastFailureAt: Timestamp.nullable(),
  changedAt: Timestamp.nullable().describe("When the state last changed; null for a breaker that never opened"),
});
export type BreakerView = z.infer<typeof BreakerView>;

export const BreakersView = z.object({
  worker: z.enum(["ai", "notify"]),
  breakers: z.array(BreakerView),
});

/** The operations of the breakers' ops routes, which the gateway's table names row by row. */
export const operations = {
  aiBreakers: { responses: { 200: json(BreakersView) } },
  notifyBreakers: { responses: { 200: json(BreakersView) } },
} satisfies Record<string, Operation>;
