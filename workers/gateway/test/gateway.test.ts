import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ownRoutes } from "../src/openapi";
import { routes } from "../src/routes";
import { LIMIT_TEST_MS, call, exhaustLimit, opsHeaders } from "./call";

type Problem = { status: number; type: string; instance?: string; errors?: { field: string }[]; requestId?: string };

describe("the route table", () => {
  it("documents every route with who may call it", async () => {
    const res = await call("/api");
    expect(res.status).toBe(200);
    const body = await res.json<{ routes: { method: string; path: string; access: string }[] }>();
    expect(body.routes).toHaveLength(ownRoutes.length + routes.length);
    for (const r of body.routes) expect(["public", "token", "signed-in", "author", "ops", "dev"]).toContain(r.access);
    expect(body.routes).toContainEqual(expect.objectContaining({ method: "POST", path: "/api/requests", access: "public" }));
  });

  it("routes the account routes to identity: the public ones answer anyone alike, the signed-in ones need a session", async () => {
    const json = (body: unknown, ip: string) => ({ method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify(body) });
    const reset = await call("/api/password-resets", json({ email: "nobody.here@example.com" }, "198.51.100.31"));
    expect(reset.status).toBe(202);
    const link = await call("/api/users/verify", json({ token: "t".repeat(43) }, "198.51.100.32"));
    expect(await link.json<Problem>()).toMatchObject({ status: 400, instance: "/users/verify", errors: [{ field: "token" }] });
    const confirm = await call("/api/password-resets/confirm", json({ token: "t".repeat(43), password: "short" }, "198.51.100.33"));
    expect((await confirm.json<Problem>()).errors?.map((e) => e.field)).toEqual(["password"]);
    for (const [method, path] of [["POST", "/api/users/verify/resend"], ["PUT", "/api/me/password"], ["DELETE", "/api/me"]] as const) {
      expect((await call(path, { method, headers: { "cf-connecting-ip": "198.51.100.34" } })).status).toBe(401);
    }
  });

  it("forwards to the owning service at the route's target, params in place, with the gateway's request id", async () => {
    // A problem's instance is the path the service itself was asked for.
    const job = await call("/api/ops/jobs/req_none", { headers: await opsHeaders() });
    expect(job.status).toBe(404);
    expect(await job.json<Problem>()).toMatchObject({ instance: "/jobs/req_none", requestId: job.headers.get("x-request-id") });
    const page = await call("/api/pages/no-such-page");
    expect(page.status).toBe(404);
    expect(await page.json<Problem>()).toMatchObject({ instance: "/pages/no-such-page", requestId: page.headers.get("x-request-id") });
  });

  it("keeps an encoded slash inside its parameter, so it cannot reach another path on the service", async () => {
    const res = await call("/api/pages/drafts%2F..%2Fx");
    expect(res.status).toBe(400);
    expect(await res.json<Problem>()).toMatchObject({ instance: "/pages/drafts%2F..%2Fx", errors: [{ field: "param.slug" }] });
  });

  it("takes a trailing slash as the same route", async () => {
    expect((await call("/api/pages/")).status).toBe(200);
    // The gateway's own routes too: the route table, its health, the document and its reference.
    for (const own of ["/api/", "/api/health/", "/api/openapi.json/", "/api/docs/"]) expect((await call(own)).status, own).toBe(200);
    const res = await call("/api/requests/", { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("answers HEAD from the GET route, without a body", async () => {
    const res = await call("/api/pages", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect((await call("/api/requests", { method: "HEAD" })).status).toBe(405);
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
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json<Problem>()).toMatchObject({ type: "/problems/method-not-allowed", requestId: res.headers.get("x-request-id") });
    // Every method the table has on the path, whichever row names it; a path with params as well.
    expect((await call("/api/me", { method: "POST" })).headers.get("allow")).toBe("GET, HEAD, PATCH, DELETE");
    expect((await call("/api/uploads/upl_1", { method: "POST" })).headers.get("allow")).toBe("GET, HEAD, DELETE");
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
    expect((await call("/api/templates")).status).toBe(401);
    expect((await call("/api/templates/tpl_x/retire", { method: "POST" })).status).toBe(401);
    const res = await call("/api/templates?category=website", { headers: await opsHeaders() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ templates: [{ id: "tpl_website", version: 1 }] });
  });

  it("keeps the dev outbox off where DEV_TOOLS is off", async () => {
    const res = await call("/api/dev/outbox", undefined, { DEV_TOOLS: "off" } as Partial<GatewayEnv>);
    expect(res.status).toBe(404);
  });

  it("429 once a client passes the submission limit", { timeout: LIMIT_TEST_MS }, async () => {
    // Use up one client's submission budget through the binding itself; the limiter is keyed per client
    // address, so the gateway must refuse that client and still serve another.
    await exhaustLimit(env.RATE_LIMIT_SUBMIT, "203.0.113.9");
    const res = await call("/api/requests", { method: "POST", headers: { "cf-connecting-ip": "203.0.113.9", "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect((await env.RATE_LIMIT_SUBMIT.limit({ key: "198.51.100.7" })).success).toBe(true);
  });

  it("429 once a client passes the general limit, on every route but submissions (those have their own)", { timeout: LIMIT_TEST_MS }, async () => {
    await exhaustLimit(env.RATE_LIMIT_API, "203.0.113.10");
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

describe("request bodies", () => {
  /** A body sent in chunks with no content-length, as a client streaming it would. */
  function chunked(text: string, chunkBytes = 1024): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + chunkBytes));
        offset += chunkBytes;
      },
    });
  }
  const register = (body: string, ip: string) =>
    call("/api/users", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: chunked(body) });

  it("refuses a chunked body over the service's limit with 413, and takes one within it", async () => {
    // identity takes at most 16 KiB of JSON on registration.
    const over = await register(JSON.stringify({ email: "chunky@example.com", name: "x".repeat(20 * 1024), password: "correct horse battery" }), "198.51.100.21");
    expect(over.status).toBe(413);
    expect(await over.json<Problem>()).toMatchObject({ type: "/problems/too-large", errors: [{ field: "body" }] });

    const within = await register(JSON.stringify({ email: "chunky@example.com", name: "Ada", password: "correct horse battery" }), "198.51.100.22");
    expect(within.status).toBe(202);
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
