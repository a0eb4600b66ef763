/**
 * gateway: the public /api surface. Each row of the route table is a Hono route
 * that applies rate limits, authenticates the caller, checks access, and
 * forwards to the owning worker over its service binding with the request id
 * and the caller's identity attached.
 */
import { API_KEY_ID_HEADER, API_KEY_SCOPES_HEADER, USER_ID_HEADER, USER_ROLE_HEADER, USER_SESSION_HEADER, hasRole } from "@statex/shared/auth";
import { ProblemError } from "@statex/shared/errors";
import { type AppEnv, REQUEST_ID_HEADER, createApp } from "@statex/shared/http";
import { networkOf } from "@statex/shared/network";
import type { Handler, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { authenticate, authorize, presentsApiKey } from "./auth";
import { email } from "./email";
import { healthOfAll } from "./health";
import { docsPage } from "./docs";
import { apiDocument, ownRoutes } from "./openapi";
import { type Route, routes } from "./routes";

const app = createApp<GatewayEnv>("gateway");

/** A route's path under /api, with and without a trailing slash (clients have always been able to add one). */
const pathsOf = (path: string) => [`/api${path}`, `/api${path}/`];

/** The CORS middleware for the configured origins, made once per isolate (and again only if the setting differs). */
let corsFor: { config: string; handler: MiddlewareHandler } | undefined;

app.use("/api/*", async function corsFromConfig(c, next) {
  if (corsFor?.config !== c.env.CORS_ORIGINS) {
    const origins = c.env.CORS_ORIGINS.split(",").map((o) => o.trim());
    corsFor = {
      config: c.env.CORS_ORIGINS,
      handler: cors({
        origin: (origin) => (origins.includes(origin) ? origin : null),
        allowHeaders: ["authorization", "content-type", "idempotency-key", "x-upload-token", REQUEST_ID_HEADER],
        exposeHeaders: [REQUEST_ID_HEADER, "location", "retry-after"],
        maxAge: 600,
      }),
    };
  }
  return corsFor.handler(c, next);
});

// Who may call: anyone; 503 when a worker or a dependency the platform needs is down. Ops and admins (their bearer
// token) see every worker's checks; anyone else only up or down.
app.on("GET", pathsOf("/health"), async (c) => {
  const report = await healthOfAll(c.env);
  const code = report.status === "down" ? 503 : 200;
  const { caller } = await authenticate(c.env, c.req.raw.headers);
  if (caller && hasRole(caller.role, "ops")) return c.json(report, code);
  return c.json({ status: report.status === "down" ? "down" : "up" }, code);
});

// Who may call: anyone. The route table is the API documentation.
app.on("GET", pathsOf(""), (c) =>
  c.json({
    name: "StateX Edge API",
    document: "/api/openapi.json",
    reference: "/api/docs",
    routes: [...ownRoutes, ...routes].map(({ method, path, access, summary }) => ({ method, path: `/api${path}`, access, summary })),
  }),
);

/** The document as served: built on the first call in an isolate, since the table and its schemas never change in one. */
let documentJson: string | undefined;

// Who may call: anyone. The OpenAPI 3.1 document of every route in the table.
app.on("GET", pathsOf("/openapi.json"), (c) => {
  documentJson ??= JSON.stringify(apiDocument());
  return c.body(documentJson, 200, { "content-type": "application/json", "cache-control": "public, max-age=300" });
});

// Who may call: anyone. The interactive reference of the same document.
app.on("GET", pathsOf("/docs"), docsPage);

/**
 * The client's network (`cf-connecting-ip`, which Cloudflare's edge sets, replacing whatever the client sent; an
 * IPv6 address as its /64, since one line picks fresh addresses in it at will). Never a header the client sets
 * itself, such as `x-real-ip`, or anyone could pick a fresh key per request. Every request through the edge has one;
 * only one that did not come through it (a test) shares the one key of the unknown.
 */
function clientKey(headers: Headers): string {
  return networkOf(headers.get("cf-connecting-ip")) ?? "unknown";
}

/**
 * Clients whose rate-limit refusal this isolate has already logged, and in which minute. A flood is the case the
 * limit is for: it gets one spam-log entry per client a minute (per isolate), not a D1 write per refused request.
 */
const refusalsLogged = new Map<string, number>();

function firstRefusalThisMinute(client: string, now = Date.now()): boolean {
  const minute = Math.floor(now / 60_000);
  if (refusalsLogged.get(client) === minute) return false;
  if (refusalsLogged.size >= 10_000) refusalsLogged.clear();
  refusalsLogged.set(client, minute);
  return true;
}

/**
 * Networks that presented too many API keys identity did not know, and in which minute (this isolate's view). A call
 * with a key skips the network's limits, so without this a stream of made-up keys would reach identity's D1 unbounded:
 * each refused key counts against the general limit by the network, and once that is spent the network's key calls are
 * refused here, before any RPC, for the rest of the minute.
 */
const badKeyNetworks = new Map<string, number>();

const tooMany = (who = "this client") =>
  new ProblemError(429, "rate-limited", `Too many requests from ${who}; try again in a minute`, undefined, { "retry-after": "60" });

/** Limits, authenticates and authorizes a request for one route of the table, then forwards it to the route's owner. */
function proxy(route: Route): Handler<AppEnv<GatewayEnv>> {
  return async function proxy(c) {
    // A call with an API key is counted by the key, once identity knows it; any other by the client's network first,
    // before its access token is verified.
    const withKey = presentsApiKey(c.req.raw.headers);
    const key = clientKey(c.req.raw.headers);
    // One limit per request: a submission counts against the stricter submission limit, which already
    // bounds it far below the general one; a provider's webhook against the webhooks' own; everything else against
    // the general limit.
    const limiter = route.submit ? c.env.RATE_LIMIT_SUBMIT : route.webhook ? c.env.RATE_LIMIT_WEBHOOK : c.env.RATE_LIMIT_API;
    if (!withKey && !(await limiter.limit({ key })).success) {
      if (!route.submit) throw tooMany();
      // A refused submission is kept in intake's spam log for ops (the gateway has no D1), after the answer.
      if (route.service === "INTAKE" && firstRefusalThisMinute(key)) c.executionCtx.waitUntil(c.env.INTAKE_API.recordSpam({ reason: "rate limit", channel: "http", clientIp: key, excerpt: `${route.method} /api${route.path}` }).catch(() => undefined));
      throw tooMany();
    }

    const minute = Math.floor(Date.now() / 60_000);
    if (withKey && badKeyNetworks.get(key) === minute) throw tooMany();
    const { caller, rejected } = await authenticate(c.env, c.req.raw.headers);
    if (withKey && rejected && !(await c.env.RATE_LIMIT_API.limit({ key: `bad-key:${key}` })).success) {
      if (badKeyNetworks.size >= 10_000) badKeyNetworks.clear();
      badKeyNetworks.set(key, minute);
      throw tooMany();
    }
    authorize(route, caller, rejected, c.env);
    if (caller?.keyId !== undefined) {
      // The key's own limit; its submissions also against the submission limit, by the key rather than the network.
      const byKey = await c.env.RATE_LIMIT_KEY.limit({ key: caller.keyId });
      if (!byKey.success || (route.submit && !(await c.env.RATE_LIMIT_SUBMIT.limit({ key: `key:${caller.keyId}` })).success)) throw tooMany("this API key");
    }

    const headers = new Headers(c.req.raw.headers);
    // Only the gateway speaks for the caller: identity headers from outside are dropped.
    headers.delete(USER_ID_HEADER);
    headers.delete(USER_ROLE_HEADER);
    headers.delete(USER_SESSION_HEADER);
    headers.delete(API_KEY_ID_HEADER);
    headers.delete(API_KEY_SCOPES_HEADER);
    headers.set(REQUEST_ID_HEADER, c.get("requestId"));
    if (caller) {
      headers.set(USER_ID_HEADER, caller.userId);
      headers.set(USER_ROLE_HEADER, caller.role);
      if (caller.sessionId) headers.set(USER_SESSION_HEADER, caller.sessionId);
      // The key itself goes no further than the gateway: the owner's services learn only which key it was and what
      // it may do, and check the scopes again.
      if (caller.keyId) {
        headers.set(API_KEY_ID_HEADER, caller.keyId);
        headers.set(API_KEY_SCOPES_HEADER, caller.scopes.join(" "));
        headers.delete("authorization");
      }
    }
    // Hono hands params back decoded, so each is encoded again: an id carrying `%2F` stays one segment on the service.
    const target = (route.target ?? route.path).replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(c.req.param(name) ?? ""));
    const forwarded = new Request(new URL(`${target}${new URL(c.req.url).search}`, "https://internal"), {
      method: c.req.method,
      headers,
      body: c.req.method === "GET" || c.req.method === "HEAD" ? null : c.req.raw.body,
    });
    const res = await c.env[route.service].fetch(forwarded);
    const out = new Response(res.body, res);
    out.headers.set(REQUEST_ID_HEADER, c.get("requestId"));
    return out;
  };
}

// Who may call: as each route's `access` says. Every row of the table is a Hono route.
for (const route of routes) app.on(route.method, pathsOf(route.path), proxy(route));

// Registered after every method route, so they answer only what no route of the path took: any other method on a
// known path is refused with the methods it has (HEAD comes with GET: Hono answers it from the GET route).
for (const [path, rows] of Map.groupBy(routes, (r) => r.path)) {
  const allow = rows.flatMap((r) => (r.method === "GET" ? ["GET", "HEAD"] : [r.method])).join(", ");
  const methodNotAllowed: Handler<AppEnv<GatewayEnv>> = (c) => {
    throw new ProblemError(405, "method-not-allowed", `${c.req.method} is not allowed here`, undefined, { allow });
  };
  for (const p of pathsOf(path)) app.all(p, methodNotAllowed);
}

export default { fetch: app.fetch, email } satisfies ExportedHandler<GatewayEnv>;
