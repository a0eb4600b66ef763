/**
 * Holds every JSON answer a test receives from /api to the OpenAPI document: a setup file of the suite wraps `fetch`,
 * so each test's calls are checked wherever they are made. The document is the one the running gateway serves; each
 * answer is validated against its route's documented schema for its status (ajv, JSON Schema 2020-12), and a status
 * the route does not document fails too (a 5xx included), as does a media type it does not name and an answer from a
 * path the document lacks (but a 404 or 405 problem). A mismatch throws from the test's own fetch, failing that test;
 * conformance.test.ts shows each kind of mismatch does.
 */
import Ajv2020 from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { inject } from "vitest";

type Answer = { $ref?: string; content?: Record<string, { schema?: unknown }> };
type Operation = { responses: Record<string, Answer> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, Answer> }; webhooks?: Record<string, unknown> };

const realFetch = globalThis.fetch;
const origins = new Set([inject("siteUrl"), inject("apiUrl")].map((u) => new URL(u).origin));

async function load(): Promise<{ document: Document; ajv: InstanceType<typeof Ajv2020> }> {
  const res = await realFetch(`${inject("apiUrl")}/api/openapi.json`);
  if (!res.ok) throw new Error(`the gateway's OpenAPI document answered ${res.status}`);
  const document = (await res.json()) as Document;
  // The document itself is the schema store: each answer's schema is reached by a JSON pointer into it, so its
  // $refs to components resolve. Formats and OpenAPI's own keywords are not the schemas' business here.
  const ajv = new Ajv2020({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
  ajv.addSchema(document, "openapi.json");
  return { document, ajv };
}

let loaded: ReturnType<typeof load> | undefined;

/** `/api/requests/{id}` as a pattern of paths, its parameters counted so a fixed segment wins over a parameter. */
const matchers = new Map<string, { pattern: RegExp; params: number }>();
function matcherOf(path: string) {
  let m = matchers.get(path);
  if (!m) {
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}/?$`);
    m = { pattern, params: (path.match(/\{/g) ?? []).length };
    matchers.set(path, m);
  }
  return m;
}

const pointer = (...parts: string[]) => `openapi.json#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
const compiled = new Map<string, ValidateFunction>();

/** Throws when an answer from /api does not match what the document says its route answers. */
export async function checkAnswer(method: string, url: URL, res: Response): Promise<void> {
  // A CORS preflight is the browser's question about a route, answered by the gateway's CORS layer: no operation.
  if (method === "options") return;
  const type = res.headers.get("content-type") ?? "";
  const media = type.split(";")[0]?.trim() ?? "";
  const { document, ajv } = await (loaded ??= load());
  const candidates = Object.keys(document.paths)
    .filter((p) => document.paths[p]?.[method] && matcherOf(p).pattern.test(url.pathname))
    .sort((a, b) => matcherOf(a).params - matcherOf(b).params);
  const path = candidates[0];
  const status = String(res.status);
  const where = `${method.toUpperCase()} ${url.pathname} → ${status}`;
  if (!path) {
    // No such route (404) or not with this method (405): refused as a problem. Anything else answered by a route the
    // document does not have fails.
    if (res.status !== 404 && res.status !== 405) throw new Error(`${where}: no route of the OpenAPI document answers this`);
    if (media !== "application/problem+json") throw new Error(`${where}: refused as ${media || "no media type"}, not a problem`);
    return;
  }
  const op = document.paths[path]?.[method];
  let answer = op?.responses[status] ?? op?.responses.default;
  if (!answer) throw new Error(`${where}: the OpenAPI document does not say ${path} answers ${status}`);
  let answerPointer = answer === op?.responses[status] ? ["paths", path, method, "responses", status] : ["paths", path, method, "responses", "default"];
  if (answer.$ref) {
    const name = answer.$ref.split("/").pop() ?? "";
    answer = document.components.responses[name] ?? {};
    answerPointer = ["components", "responses", name];
  }
  if (!answer.content) return;
  // A documented `image/*` takes any image; every other media type is named as it is answered.
  const documented = Object.keys(answer.content).find((m) => m === media || (m.endsWith("/*") && media.startsWith(m.slice(0, -1))));
  if (!documented) throw new Error(`${where}: answered ${media || "no media type"}, documented ${Object.keys(answer.content).join(", ")}`);
  if (media !== "application/json" && media !== "application/problem+json") return;
  if (answer.content[media]?.schema === undefined) return;
  holdTo(ajv, pointer(...answerPointer, "content", media, "schema"), await res.clone().json(), `${where}: the answer`);
}

/** Throws, naming the first fields at fault, unless `body` matches the document's schema at `ref` (compiled once). */
function holdTo(ajv: InstanceType<typeof Ajv2020>, ref: string, body: unknown, what: string): void {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "(body)"} ${e.message ?? ""}`).join("; ");
    throw new Error(`${what} does not match its documented schema: ${errors}`);
  }
}

/** Throws unless `body` is what the document's `webhooks` says the platform POSTs for its `type`. */
export async function checkWebhookBody(body: { type: string }): Promise<void> {
  const { type } = body;
  const { document, ajv } = await (loaded ??= load());
  if (!document.webhooks?.[type]) throw new Error(`the OpenAPI document describes no webhook ${type}`);
  holdTo(ajv, pointer("webhooks", type, "post", "requestBody", "content", "application/json", "schema"), body, `webhook ${type}: the body`);
}

globalThis.fetch = async function fetchChecked(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const res = await realFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (origins.has(url.origin) && url.pathname.startsWith("/api/")) {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toLowerCase();
    await checkAnswer(method, url, res);
  }
  return res;
};
