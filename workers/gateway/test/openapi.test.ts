import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ApiIndex, OpenApiDocument } from "@statex/shared/api/gateway";
import { WEBHOOK_EVENT_TYPES } from "@statex/shared/webhooks";
import { ownRoutes } from "../src/openapi";
import { routes } from "../src/routes";
import { call } from "./call";

type Answer = { $ref?: string; content?: Record<string, unknown> };
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; "x-access": string; security: unknown[]; responses: Record<string, Answer>; requestBody?: unknown }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, Answer>; securitySchemes: Record<string, unknown> };
  webhooks?: Record<string, { post: { parameters: { name: string; in: string; required: boolean }[]; requestBody: { content: Record<string, { schema: unknown }> } } }>;
};

const METHODS = ["get", "put", "post", "delete", "patch"];

async function document(): Promise<Doc> {
  const res = await call("/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  return res.json<Doc>();
}

describe("the OpenAPI document", () => {
  it("has an operation for every row of the route table and each of the gateway's own routes, and no other", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
    const table = [...ownRoutes, ...routes].map((r) => `${r.method} /api${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
    expect(table).toEqual(expect.arrayContaining(["GET /api", "GET /api/health", "GET /api/openapi.json", "GET /api/docs"]));
    expect(documented.sort()).toEqual([...table].sort());
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("states each route's access and the problems it can answer, every one problem+json", async () => {
    const doc = await document();
    for (const route of routes) {
      const op = doc.paths[`/api${route.path.replace(/:([A-Za-z]+)/g, "{$1}")}`]?.[route.method.toLowerCase()];
      expect(op?.["x-access"], `${route.method} ${route.path}`).toBe(route.access);
      // A public route needs nothing; every other names how to prove the right to call it.
      expect(op?.security.length === 0, `${route.method} ${route.path}`).toBe(route.access === "public" || route.access === "dev");
      const problems = Object.entries(op?.responses ?? {}).filter(([status]) => status.startsWith("4"));
      expect(problems.map(([status]) => status), `${route.method} ${route.path}`).toContain("429");
      for (const [status, answer] of problems) {
        expect(answer).toEqual({ $ref: `#/components/responses/Problem${status}` });
        expect(doc.components.responses[`Problem${status}`]?.content).toEqual({ "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } });
      }
      if (route.access === "signed-in" || route.access === "ops") expect(Object.keys(op?.responses ?? {})).toContain("401");
      // The fuzzer's finds (e2e/fuzz.test.ts): a body too large is refused on every route that takes one, and the
      // live route refuses a plain GET with 426; neither may be an answer the document does not list.
      if (op?.requestBody && !route.webhook) expect(Object.keys(op.responses), `${route.method} ${route.path}`).toContain("413");
      if (route.path.endsWith("/live")) expect(Object.keys(op?.responses ?? {})).toContain("426");
      // Every operation describes what it answers when it succeeds.
      expect(Object.keys(op?.responses ?? {}).filter((status) => /^[23]/.test(status)).length, `${route.method} ${route.path}`).toBeGreaterThan(0);
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["accessToken", "apiKey", "statusToken", "uploadToken"]);
  });

  it("documents the integrator's routes with the schemas their worker validates with", async () => {
    const doc = await document();
    const submit = doc.paths["/api/requests"]?.post;
    expect(submit?.requestBody).toMatchObject({ content: { "application/json": { schema: { type: "object", required: expect.arrayContaining(["name", "email", "text"]) } } } });
    expect(submit?.responses["202"]?.content).toMatchObject({ "application/json": { schema: { properties: { id: { pattern: "^req_[0-9A-Z]{26}$" } } } } });
    expect(doc.paths["/api/requests/{id}"]?.get?.responses["200"]?.content).toMatchObject({ "application/json": { schema: { required: expect.arrayContaining(["status", "steps", "result"]) } } });
  });

  it("describes what the platform POSTs to integrators' endpoints, event by event, with the Standard Webhooks headers", async () => {
    const doc = await document();
    expect(Object.keys(doc.webhooks ?? {}).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      const post = doc.webhooks?.[type]?.post;
      expect(post?.parameters.filter((p) => p.in === "header" && p.required).map((p) => p.name)).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
      const schema = post?.requestBody.content["application/json"]?.schema;
      expect(schema).toMatchObject({ properties: { type: { const: type }, data: { required: expect.arrayContaining(["eventId", "requestId", "status", "statusUrl"]) } } });
    }
  });

  it("describes the gateway's own routes by what they answer", async () => {
    OpenApiDocument.parse(await (await call("/api/openapi.json")).json());
    const index = ApiIndex.parse(await (await call("/api")).json());
    expect(index.routes).toHaveLength(ownRoutes.length + routes.length);
    expect(index.document).toBe("/api/openapi.json");
    // Answered before the table's limits and bearer check: none of their refusals is claimed.
    const typed = await document();
    const answers = (path: string) => Object.keys(typed.paths[path]?.get?.responses ?? {}).sort();
    expect(answers("/api")).toEqual(["200"]);
    expect(answers("/api/health")).toEqual(["200", "503"]);
    expect(answers("/api/openapi.json")).toEqual(["200"]);
    expect(answers("/api/docs")).toEqual(["200"]);
    const page = await call("/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("/api/openapi.json");
  });

  it("names only routes that exist on their owning worker", async () => {
    // The worker's own router answers a path it has no route for with 404 "No route for …"; any other answer
    // (a refusal of the missing credentials or the placeholder ids, a 404 of an unknown id) means the route is there.
    const probe = async (service: (typeof routes)[number]["service"], method: string, path: string) => {
      const res = await env[service].fetch(new Request(`https://internal${path}`, { method }));
      const body = res.headers.get("content-type")?.includes("problem+json") ? await res.json<{ detail?: string }>() : (await res.body?.cancel(), {});
      return res.status === 404 && body.detail?.startsWith("No route for") === true;
    };
    // The probe tells a missing route apart: one the worker lacks, and one it has only for another method.
    expect(await probe("INTAKE", "GET", "/no-such-route")).toBe(true);
    expect(await probe("INTAKE", "PATCH", "/requests/x")).toBe(true);
    const missing: string[] = [];
    for (const route of routes) {
      const target = (route.target ?? route.path).replace(/:([A-Za-z]+)/g, "x");
      if (await probe(route.service, route.method, target)) missing.push(`${route.method} ${route.path} (${route.service} ${target})`);
    }
    expect(missing).toEqual([]);
  });
});
