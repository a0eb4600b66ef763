/**
 * The gateway's own routes, which are not rows of its table (nothing to forward): the table itself at /api, the
 * platform's health, this document and its reference page. Their answers as the gateway writes them; the gateway's
 * tests parse each real answer with these.
 */
import { z } from "zod";
import { type Operation, json } from "../openapi";
import { Timestamp } from "./common";

const ACCESS = ["public", "token", "signed-in", "author", "ops", "dev"] as const;

/** `GET /api`: the route table as the gateway enforces it. */
export const ApiIndex = z.object({
  name: z.string(),
  document: z.string().describe("Where the OpenAPI document is"),
  reference: z.string().describe("Where its interactive reference is"),
  routes: z.array(
    z.object({
      method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
      path: z.string().describe("Under /api, with :params"),
      access: z.enum(ACCESS),
      summary: z.string(),
    }),
  ),
});

const HealthStatus = z.enum(["ok", "degraded", "down"]);

/** One dependency a worker checked for real (shared/src/health.ts). */
const HealthCheck = z.object({ ok: z.boolean(), latencyMs: z.number(), required: z.boolean(), error: z.string().optional() });

/** What anyone learns of the platform's health. */
export const PublicHealth = z.object({ status: z.enum(["up", "down"]) });

/** What ops and admins learn: every worker's checks and how long it took to answer. */
export const HealthReport = z.object({
  status: HealthStatus.describe("down when any worker or a dependency one needs is down; degraded when only an optional one is"),
  time: Timestamp,
  services: z.record(
    z.string(),
    z.object({
      status: HealthStatus,
      latencyMs: z.number(),
      checks: z.record(z.string(), HealthCheck),
      error: z.string().optional().describe("Why the worker's own answer could not be read"),
    }),
  ),
});

/** Either answer: the report for ops and admins, up or down for anyone else. */
export const Health = z.union([PublicHealth, HealthReport]);

/** The parts of an OpenAPI 3.1 document a client relies on; the rest is OpenAPI's own. */
export const OpenApiDocument = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
  servers: z.array(z.object({ url: z.string(), description: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()),
  webhooks: z.record(z.string(), z.unknown()).describe("What the platform POSTs to integrators' endpoints, by event").optional(),
});

/** The operations of the gateway's own routes. */
export const operations = {
  index: { responses: { 200: json(ApiIndex) } },
  health: { responses: { 200: json(Health, "The platform is up (degraded counts as up)"), 503: json(Health, "A worker, or a dependency one needs, is down") } },
  document: { responses: { 200: json(OpenApiDocument, "This document") } },
  reference: { responses: { 200: { description: "The interactive reference (an HTML page reading this document)", type: "text/html" } } },
} satisfies Record<string, Operation>;
