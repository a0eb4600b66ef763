/**
 * gateway: the public /api surface. It matches each request against the route
 * table, applies rate limits, authenticates the caller, checks access, and
 * forwards to the owning worker over its service binding with the request id
 * and the caller's identity attached.
 */
import { USER_ID_HEADER, USER_ROLE_HEADER } from "@statex/shared/auth";
import { ProblemError } from "@statex/shared/errors";
import { REQUEST_ID_HEADER, createApp } from "@statex/shared/http";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { authenticate, authorize } from "./auth";
import { email } from "./email";
import { healthOfAll } from "./health";
import { matchRoute, routes } from "./routes";

const app = createApp<GatewayEnv>("gateway");

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

// Who may call: anyone. Reports whether every worker answers.
app.get("/api/health", async (c) => {
  const report = await healthOfAll(c.env);
  return c.json(report, report.status === "ok" ? 200 : 503);
});

// Who may call: anyone. The route table is the API documentation.
app.get("/api", (c) =>
  c.json({
    name: "StateX Edge API",
    routes: routes.map(({ method, path, access, summary }) => ({ method, path: `/api${path}`, access, summary })),
  }),
);

function clientKey(headers: Headers): string {
  return headers.get("cf-connecting-ip") ?? headers.get("x-real-ip") ?? "unknown";
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

const tooMany = () =>
  new ProblemError(429, "rate-limited", "Too many requests from this client; try again in a minute", undefined, { "retry-after": "60" });

// Who may call: as the matched route's `access` says.
app.all("/api/*", async (c) => {
  const url = new URL(c.req.url);
  const match = matchRoute(c.req.method, url.pathname.slice("/api".length));
  if (!match) throw new ProblemError(404, "not-found", `No route for ${c.req.method} ${url.pathname}`);
  if ("methods" in match) {
    throw new ProblemError(405, "method-not-allowed", `${c.req.method} is not allowed here`, undefined, { allow: match.methods.join(", ") });
  }
  const { route, target } = match;
  const key = clientKey(c.req.raw.headers);
  // One limit per request: a submission counts against the stricter submission limit, which already
  // bounds it far below the general one; everything else against the general limit.
  const limiter = route.submit ? c.env.RATE_LIMIT_SUBMIT : c.env.RATE_LIMIT_API;
  if (!(await limiter.limit({ key })).success) {
    if (!route.submit) throw tooMany();
    // A refused submission is kept in intake's spam log for ops (the gateway has no D1), after the answer.
    if (route.service === "INTAKE" && firstRefusalThisMinute(key)) c.executionCtx.waitUntil(c.env.INTAKE_API.recordSpam({ reason: "rate limit", channel: "http", clientIp: key, excerpt: `${route.method} /api${route.path}` }).catch(() => undefined));
    throw tooMany();
  }

  const { caller, rejected } = await authenticate(c.env, c.req.raw.headers);
  authorize(route.access, caller, rejected, c.env);

  const headers = new Headers(c.req.raw.headers);
  // Only the gateway speaks for the caller: identity headers from outside are dropped.
  headers.delete(USER_ID_HEADER);
  headers.delete(USER_ROLE_HEADER);
  headers.set(REQUEST_ID_HEADER, c.get("requestId"));
  if (caller) {
    headers.set(USER_ID_HEADER, caller.userId);
    headers.set(USER_ROLE_HEADER, caller.role);
  }
  const forwarded = new Request(new URL(`${target}${url.search}`, "https://internal"), {
    method: c.req.method,
    headers,
    body: c.req.method === "GET" || c.req.method === "HEAD" ? null : c.req.raw.body,
  });
  const res = await c.env[route.service].fetch(forwarded);
  const out = new Response(res.body, res);
  out.headers.set(REQUEST_ID_HEADER, c.get("requestId"));
  return out;
});

export default { fetch: app.fetch, email } satisfies ExportedHandler<GatewayEnv>;
