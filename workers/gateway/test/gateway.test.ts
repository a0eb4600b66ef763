import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { matchRoute, routes } from "../src/routes";

async function call(path: string, init?: RequestInit, overrides: Partial<GatewayEnv> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gateway${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

type Problem = { status: number; type: string; errors?: { field: string }[]; requestId?: string };

describe("the route table", () => {
  it("documents every route with who may call it", async () => {
    const res = await call("/api");
    expect(res.status).toBe(200);
    const body = await res.json<{ routes: { method: string; path: string; access: string }[] }>();
    expect(body.routes).toHaveLength(routes.length);
    for (const r of body.routes) expect(["public", "token", "signed-in", "author", "ops", "dev"]).toContain(r.access);
    expect(body.routes).toContainEqual(expect.objectContaining({ method: "POST", path: "/api/requests", access: "public" }));
  });

  it("maps paths and params onto the owning service", () => {
    expect(matchRoute("GET", "/ops/timeline/req_1")).toMatchObject({ route: { service: "LOGGING" }, target: "/timeline/req_1" });
    expect(matchRoute("GET", "/requests/req_1")).toMatchObject({ route: { service: "INTAKE" }, target: "/requests/req_1" });
    expect(matchRoute("PUT", "/requests")).toEqual({ methods: ["POST"] });
    expect(matchRoute("GET", "/nothing/here")).toBeNull();
  });
});

describe("refusals come as problem+json with the request id", () => {
  it("404 for an unknown route", async () => {
    const res = await call("/api/nothing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json<Problem>();
    expect(problem.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("405 with Allow for a known path and a wrong method", async () => {
    const res = await call("/api/requests", { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("401 with a Bearer challenge for ops routes without a token", async () => {
    const res = await call("/api/ops/events");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("401 invalid_token for a session token that is not valid, on public routes too, so the client knows", async () => {
    const stale = { authorization: `Bearer ${"x".repeat(43)}` };
    for (const [path, init] of [["/api/pages", {}], ["/api/requests", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }]] as const) {
      const res = await call(path, { ...init, headers: { ...("headers" in init ? init.headers : {}), ...stale } });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await call("/api/pages")).status).toBe(200);
  });

  it("routes /api/templates to the ai worker for authors and ops, and refuses anyone else", async () => {
    expect(matchRoute("POST", "/templates/tpl_x/retire")).toMatchObject({ route: { service: "AI", access: "author" }, target: "/templates/tpl_x/retire" });
    expect((await call("/api/templates")).status).toBe(401);
    const res = await call("/api/templates?category=website", { headers: { authorization: `Bearer ${env.OPS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ templates: [{ id: "tpl_website", version: 1 }] });
  });

  it("keeps the dev outbox off where DEV_TOOLS is off", async () => {
    const res = await call("/api/dev/outbox", undefined, { DEV_TOOLS: "off" } as Partial<GatewayEnv>);
    expect(res.status).toBe(404);
  });

  it("429 once a client passes the submission limit", async () => {
    // Use up one client's submission budget through the binding itself; the limiter is keyed per client
    // address, so the gateway must refuse that client and still serve another.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const ok = await env.RATE_LIMIT_SUBMIT.limit({ key: "203.0.113.9" });
      statuses.push(ok.success ? 200 : 429);
    }
    expect(statuses).toContain(429);
    const res = await call("/api/requests", { method: "POST", headers: { "cf-connecting-ip": "203.0.113.9", "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect((await env.RATE_LIMIT_SUBMIT.limit({ key: "198.51.100.7" })).success).toBe(true);
  });

  it("429 once a client passes the general limit, on every route but submissions (those have their own)", async () => {
    for (let i = 0; i < 700; i++) await env.RATE_LIMIT_API.limit({ key: "203.0.113.10" });
    const headers = { "cf-connecting-ip": "203.0.113.10" };
    const res = await call("/api/pages", { headers });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await call("/api/pages", { headers: { "cf-connecting-ip": "198.51.100.8" } })).status).toBe(200);
    // A submission from the same client is counted against the submission limit only.
    const submitted = await call("/api/requests", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada", email: "ada@example.com", text: "A booking website." }),
    });
    expect(submitted.status).toBe(202);
  });
});

describe("CORS", () => {
  it("allows the site's origin and no other", async () => {
    const allowed = await call("/api/requests", { method: "OPTIONS", headers: { origin: "http://127.0.0.1:8788", "access-control-request-method": "POST" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:8788");
    const other = await call("/api/requests", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

it("answers its own /health", async () => {
  const res = await call("/health");
  expect(await res.json()).toMatchObject({ service: "gateway", status: "ok" });
});
