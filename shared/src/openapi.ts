/**
 * The OpenAPI 3.1 document of the public API, built from the gateway's route table and the zod schemas each row
 * names (shared/src/api/*), which are the very objects the owning workers validate with: the document cannot say
 * one thing while a worker checks another. zod's own `toJSONSchema` writes JSON Schema 2020-12, OpenAPI 3.1's
 * dialect, so nothing is translated by hand.
 */
import { z } from "zod";
import { Problem } from "./api/common";

/** Who may call a route: the gateway enforces it per row of its table (workers/gateway/src/routes.ts). */
export type Access =
  | "public" // anyone
  | "token" // anyone holding the request's status token (checked by the owning service)
  | "signed-in" // any authenticated user
  | "author" // authors, ops and admins
  | "ops" // ops and admins
  | "dev"; // only where DEV_TOOLS is on (local development)

/** One answer of a route: JSON with its schema, another media type (with the schema of its body, where one helps), both (by Accept), or no body (204). */
export type Answer = { description: string; json?: z.ZodType; type?: string; schema?: z.ZodType };

/** What a route takes and gives, by the schemas its owning worker validates with and answers in. */
export type Operation = {
  /** Path parameters; without it each `:param` is documented as a string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads: a provider's signature, say. */
  headers?: z.ZodObject;
  /** The JSON body. */
  body?: z.ZodType;
  /** Other media types the body may come as: a form's fields, or raw bytes (null). */
  bodyTypes?: Record<string, z.ZodType | null>;
  /** The answers other than problems, by status. */
  responses: Record<number, Answer>;
  /** The refusals this route gives beyond those every route of its kind can (see `errorsOf`). */
  errors?: number[];
  /** A route of access "token" held by the upload's token (a header) rather than the request's status token. */
  uploadToken?: boolean;
};

/** The part of a route-table row the document reads. */
export type DocumentedRoute = {
  method: string;
  path: string;
  access: Access;
  summary: string;
  /** An API key's scopes that open the route, where a key may call it. */
  scopes?: readonly string[];
  api: Operation;
  /**
   * A provider's webhook: never refused for its parameters or body (a body it cannot read is taken and dropped, so the
   * provider does not send it again), only for its signature (401).
   */
  webhook?: boolean;
  /**
   * Served by the gateway itself (the table, its health, this document), not forwarded: it answers before the
   * table's rate limits and bearer check, so none of their refusals apply.
   */
  own?: boolean;
};

/** What the platform POSTs to an integrator's endpoint for one event (the document's `webhooks`), and its headers. */
export type DocumentedWebhook = { name: string; summary: string; headers: z.ZodObject; body: z.ZodType };

function webhookOf(hook: DocumentedWebhook): Json {
  return {
    post: {
      operationId: `webhook.${hook.name}`.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase()),
      summary: hook.summary,
      description: `${hook.summary}. Sent to each of the owner's enabled endpoints subscribed to ${hook.name}, signed as Standard Webhooks signs; an answer other than 2xx (or none in 10 s) is retried with backoff for more than a day (longer where Retry-After asks), and an endpoint that has taken no delivery in the 3 days since its first failure is disabled and its owner emailed.`,
      tags: ["webhooks"],
      parameters: fieldsOf(hook.headers, "header"),
      requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(hook.body, "output") } } },
      responses: { "2XX": { description: "Taken: the delivery succeeded" }, default: { description: "Anything else (or no answer within 10 s): tried again later" } },
    },
  };
}

/** A JSON answer with its schema. */
export const json = (schema: z.ZodType, description = "OK"): Answer => ({ description, json: schema });

type Json = Record<string, unknown>;

/** JSON Schema 2020-12 of a zod schema, as a client sends it (input) or reads it (output). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  // Transforms and preprocessing have no JSON Schema: they stand as "any value" rather than failing the document.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" });
  return rest;
}

const PROBLEM_REF = { $ref: "#/components/schemas/Problem" };

/** Why a route gives each refusal, said once for every route. */
const refusals: Record<number, string> = {
  400: "A field failed its schema: `errors` names each one",
  401: "No valid credentials where the route needs them, or a bearer token (or API key) that is not valid: refused on every route, public ones too",
  403: "The caller's role does not open this route, or an API key is used where its scopes do not (a route naming no scopes takes no key)",
  404: "No such resource, or not the caller's (never said which)",
  405: "The route does not take this method",
  409: "The resource's state does not allow it",
  410: "Gone",
  413: "The body is too large",
  415: "The body's media type is not one the route takes",
  422: "The input is well formed but cannot be acted on",
  426: "The route only streams: open a WebSocket, or accept text/event-stream",
  429: "Rate limited: try again after Retry-After",
  503: "A service this one hands the work to did not take it: nothing was changed, try again",
};

/**
 * The refusals a route can give: every row of the table can be rate limited and refuses a bearer token that is not valid (the
 * gateway's rule, so a client that believes it is signed in learns it is not), input can fail its schema, a caller
 * lack a right.
 */
export function errorsOf(route: DocumentedRoute): number[] {
  const api = route.api;
  const codes = new Set<number>([...(route.own ? [] : [401, 429]), ...(api.errors ?? [])]);
  if (!route.webhook && (route.path.includes(":") || api.query || api.body || api.bodyTypes)) codes.add(400);
  // An API key is refused (403) on every table route whose row does not name one of its scopes; dev routes answer
  // before that check, and do not exist (404) where the dev tools are off.
  if (!route.own && route.access !== "dev") codes.add(403);
  if (route.path.includes(":") || route.access === "token" || route.access === "dev") codes.add(404);
  // Every body is bounded, by the worker's own limit or, in front of it, the platform's.
  if (!route.webhook && (api.body || api.bodyTypes)) {
    codes.add(413);
    codes.add(415);
  }
  return [...codes].sort((a, b) => a - b);
}

/** The security requirements of an access level: any one of them opens the route. */
function securityOf(route: DocumentedRoute): Json[] {
  const key = route.scopes ? [{ apiKey: [...route.scopes] }] : [];
  switch (route.access) {
    case "public":
    case "dev":
      return [];
    case "token":
      return [route.api.uploadToken ? { uploadToken: [] } : { statusToken: [] }, ...(route.api.uploadToken ? [] : [{ accessToken: [] }]), ...key];
    default:
      return [{ accessToken: [] }, ...key];
  }
}

const who: Record<Access, string> = {
  public: "Anyone.",
  token: "The holder of the request's status token (`?token=`) or its signed-in owner.",
  "signed-in": "Any signed-in user, for their own data only.",
  author: "Authors, ops and admins.",
  ops: "Ops and admins.",
  dev: "Local development only (DEV_TOOLS).",
};

/** `/requests/:id` as OpenAPI writes it: `/requests/{id}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

function parametersOf(route: DocumentedRoute): Json[] {
  const api = route.api;
  const inPath = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? "");
  const params = api.params ? jsonSchemaOf(api.params, "input") : undefined;
  const pathParams = inPath.map((name) => ({ name, in: "path", required: true, schema: propertyOf(params, name) ?? { type: "string" } }));
  return [...pathParams, ...fieldsOf(api.query, "query"), ...fieldsOf(api.headers, "header")];
}

/** One parameter per field of a query's or the headers' schema. */
function fieldsOf(schema: z.ZodObject | undefined, where: "query" | "header"): Json[] {
  if (!schema) return [];
  const fields = jsonSchemaOf(schema, "input");
  const required = new Set(Array.isArray(fields.required) ? fields.required : []);
  const props = typeof fields.properties === "object" && fields.properties !== null ? Object.entries(fields.properties) : [];
  // A field's description is the parameter's: where Swagger UI shows it beside the name.
  return props.map(([name, field]) => {
    const { description, ...schema } = typeof field === "object" && field !== null ? (field as Json) : {};
    return { name, in: where, required: required.has(name), ...(typeof description === "string" ? { description } : {}), schema };
  });
}

function propertyOf(schema: Json | undefined, name: string): unknown {
  const props: unknown = schema?.properties;
  return typeof props === "object" && props !== null ? Reflect.get(props, name) : undefined;
}

function operationOf(route: DocumentedRoute): Json {
  const api = route.api;
  const responses: Json = {};
  for (const [status, answer] of Object.entries(api.responses)) {
    // A route may answer JSON or another type by the request's Accept: then the answer names both.
    const media = {
      ...(answer.json ? { "application/json": { schema: jsonSchemaOf(answer.json, "output") } } : {}),
      ...(answer.type ? { [answer.type]: answer.schema ? { schema: jsonSchemaOf(answer.schema, "output") } : {} } : {}),
    };
    const content = Object.keys(media).length ? media : undefined;
    responses[status] = { description: answer.description, ...(content ? { content } : {}) };
  }
  // Each refusal is one shared response (components.responses), not a copy per route.
  for (const status of errorsOf(route)) responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  const bodies: Json = {};
  if (api.body) bodies["application/json"] = { schema: jsonSchemaOf(api.body, "input") };
  for (const [type, schema] of Object.entries(api.bodyTypes ?? {})) bodies[type] = schema ? { schema: jsonSchemaOf(schema, "input") } : {};
  // The table's summary up to its first aside, for the one-line title; the whole of it as the description.
  const summary = route.summary.split(/\s\(|[:;]\s/)[0] ?? route.summary;
  return {
    operationId: `${route.method.toLowerCase()}${route.own ? "Api" : ""}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
    summary: summary.trim(),
    description: `${route.summary}\n\nWho may call: ${who[route.access]}${route.scopes ? ` An API key with ${route.scopes.join(" or ")}.` : ""}`,
    tags: [route.own ? "api" : tagOf(route.path)],
    "x-access": route.access,
    security: securityOf(route),
    parameters: parametersOf(route),
    ...(Object.keys(bodies).length ? { requestBody: { required: true, content: bodies } } : {}),
    responses,
  };
}

/** The tag a route is listed under: its first path segment (`/ops/...` by its second, so ops is one tag per kind). */
function tagOf(path: string): string {
  // Every ops route under one tag: Swagger UI (5.x) stops rendering operations, silently, once operations and tags
  // together pass about 150, and a tag per ops resource was most of the tags.
  const [first = ""] = path.split("/").filter(Boolean);
  return first.replace(/^\./, "");
}

/** The whole document for a route table: `paths` under `/api`, the security schemes, the Problem schema. */
export function openApiDocument(routes: readonly DocumentedRoute[], info: { title: string; version: string; description: string }, webhooks: readonly DocumentedWebhook[] = []): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = `/api${openApiPath(route.path)}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: "3.1.0",
    info,
    servers: [{ url: "/", description: "This deployment" }],
    paths,
    ...(webhooks.length ? { webhooks: Object.fromEntries(webhooks.map((hook) => [hook.name, webhookOf(hook)])) } : {}),
    components: {
      schemas: { Problem: jsonSchemaOf(Problem, "output") },
      responses: Object.fromEntries(
        Object.entries(refusals).map(([status, description]) => [`Problem${status}`, { description, content: { "application/problem+json": { schema: PROBLEM_REF } } }]),
      ),
      securitySchemes: {
        accessToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "An access token from POST /api/sessions (ES256, 15 minutes); refresh with POST /api/sessions/refresh" },
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "sx_…", description: "An API key (`sx_` and its secret) from POST /api/me/api-keys, acting as its owner within its scopes" },
        statusToken: { type: "apiKey", in: "query", name: "token", description: "A request's status token, from its submission's answer (statusUrl)" },
        uploadToken: { type: "apiKey", in: "header", name: "x-upload-token", description: "An upload's token, from POST /api/uploads" },
      },
    },
  };
}
