// The fuzzer of every public route (issue 20), shared by the end-to-end test (e2e/fuzz.test.ts, a few cases a route)
// and the benchmark (scripts/bench-fuzz.mjs, 10,000 cases). Nothing here names a route: the routes, their parameters,
// queries and bodies come from the running gateway's OpenAPI document, so a route added to the table is fuzzed
// without a change here. The few values a generator cannot make up (a real request id with its status token, an
// upload with its token, a webhook, a page, a template) are made by `makeCallers` through the API itself and
// matched to routes by the path that leads to them.
//
// Each case is one call through the gateway, of one of four kinds:
//  - near-valid: a body, query and path that pass their schemas, with at most one field broken (a wrong type, empty,
//    huge, unicode edge cases, missing, or a field the schema does not have), so a 400 must name that field;
//  - garbage: malformed or truncated JSON, a JSON value of the wrong kind, random bytes (a 400 names `body`);
//  - a valid body under a wrong or missing content type (a 415 names `content-type`);
//  - multipart (where a route takes it): its fields, files whose bytes lie about their type or name, truncated
//    bodies.
// The properties every answer is held to are in `judge`; what the stores must hold afterwards in `storeFindings`.
import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";

/** @typedef {Record<string, any>} Json */
/** @typedef {{ name: string, in: string, required: boolean, schema: Json }} Param */
/**
 * @typedef {{ key: string, method: string, path: string, access: string, params: Param[], query: Param[], headers: Param[],
 *   json?: Json, types: string[], statuses: Set<string>, uploadToken: boolean }} Op
 */
/** @typedef {{ name: string, headers: Record<string, string> }} Caller */
/**
 * @typedef {{ op: Op, kind: string, caller: string, path: string, query: [string, string][], headers: Record<string, string>,
 *   body?: string | Uint8Array, broken?: string }} Case
 */

// Values that have tripped parsers, databases and renderers: NUL, lone surrogates, the right-to-left override, a
// 4-byte emoji, a byte-order mark, a line separator, combining marks, a zero-width joiner sequence.
export const UNICODE_EDGES = ["\u0000", "\ud800", "\udfff", "a\ud83d", "\u202e", "\u202egnp.exe", "😀", "👩‍👩‍👧", "\ufeff", "\u2028", "e\u0301\u0301\u0301", "\u0000\u0000", "%00", "🏳️‍🌈".repeat(50)];
// What a percent-encoded path or query may carry that a decoder chokes on.
const RAW_ESCAPES = ["%", "%zz", "%ED%A0%80", "%C0%AF", "%00", "%2F..%2F..", "%FF%FE"];

/** The operations of the document that go through the table: the gateway's own four take nothing to fuzz. */
export function operationsOf(document) {
  /** @type {Op[]} */
  const ops = [];
  for (const [p, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (op.tags?.includes("api")) continue;
      /** @type {Param[]} */
      const parameters = (op.parameters ?? []).map((x) => ({ ...x, schema: x.schema ?? {} }));
      const content = op.requestBody?.content ?? {};
      ops.push({
        key: `${method.toUpperCase()} ${p}`,
        method: method.toUpperCase(),
        path: p,
        access: op["x-access"],
        params: parameters.filter((x) => x.in === "path"),
        query: parameters.filter((x) => x.in === "query"),
        headers: parameters.filter((x) => x.in === "header"),
        json: content["application/json"]?.schema,
        types: Object.keys(content),
        statuses: new Set(Object.keys(op.responses ?? {})),
        uploadToken: (op.security ?? []).some((s) => "uploadToken" in s),
        statusToken: (op.security ?? []).some((s) => "statusToken" in s),
      });
    }
  }
  return ops;
}

function resolve(schema, document) {
  let s = schema;
  for (let i = 0; s && s.$ref && i < 10; i++) s = s.$ref.split("/").slice(1).reduce((o, k) => o?.[k], document);
  return s ?? {};
}

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const plain = (minLength = 0, maxLength = 24) => fc.string({ unit: fc.constantFrom(...ALNUM), minLength, maxLength: Math.max(minLength, maxLength) });

/** An arbitrary of values that pass `schema` (JSON Schema 2020-12 as zod writes it), as far as a schema can say. */
export function validOf(schema, document, depth = 0) {
  const s = resolve(schema, document);
  if ("const" in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => validOf(a, document, depth + 1)));
  if (s.allOf) return validOf(s.allOf[0], document, depth + 1);
  const types = Array.isArray(s.type) ? s.type.filter((t) => t !== "null") : s.type ? [s.type] : s.properties ? ["object"] : [];
  const base = (() => {
    switch (types[0]) {
      case "string":
        return stringOf(s);
      case "integer": {
        const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
        return fc.integer({ min, max: s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : min + 100) });
      }
      case "number":
        return fc.double({ min: s.minimum ?? 0, max: s.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "array": {
        const item = depth > 4 ? fc.constant("x") : validOf(s.items ?? {}, document, depth + 1);
        const constraints = { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, (s.minItems ?? 0) + 3) };
        return s.uniqueItems ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(item, constraints);
      }
      case "object": {
        if (depth > 4 || !s.properties) return fc.constant({});
        const model = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, validOf(v, document, depth + 1)]));
        return fc.record(model, { requiredKeys: s.required ?? [] });
      }
      default:
        return fc.oneof(plain(1), fc.integer(), fc.boolean());
    }
  })();
  // A schema's examples are the values its author knew to pass (an email zod accepts, a text long enough).
  return s.examples?.length ? fc.oneof(fc.constantFrom(...s.examples), base) : base;
}

function stringOf(s) {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? min + 24, min + 24);
  if (s.format === "email") return fc.tuple(plain(1, 10), plain(1, 8)).map(([a, b]) => `${a}@${b}.example`);
  if (s.format === "date-time") return fc.date({ min: new Date("2026-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === "uri" || s.format === "url") return plain(1, 10).map((p) => `https://fuzz.example/${p}`);
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot walk: plain text, which the schema may well refuse (a 400 is allowed, named).
    }
  }
  return plain(Math.max(min, 1), max);
}

/** Values that a field of `schema` should refuse (or at least survive): wrong kinds, empty, huge, unicode edges. */
function brokenOf(schema, document, { inUrl = false } = {}) {
  const s = resolve(schema, document);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const huge = fc.constantFrom(70_000, 300_000).map((n) => "x".repeat(n));
  const edges = fc.constantFrom(...UNICODE_EDGES);
  const wrapped = fc.tuple(validOf(s, document), edges, fc.boolean()).map(([v, e, before]) => {
    const text = typeof v === "string" ? v : JSON.stringify(v);
    return before ? `${e}${text}` : `${text}${e}`;
  });
  if (inUrl) {
    return fc.oneof(
      edges,
      wrapped,
      fc.constantFrom(...RAW_ESCAPES).map((raw) => ({ raw })),
      fc.constantFrom("-1", "0", "1e999", "NaN", "0x10", "9".repeat(40), "true", "null", "[]", "{}", " ", "a".repeat(2000)),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
    );
  }
  const wrongKinds = [12345, -1, 1.5, 1e308, true, null, {}, [], "", " ", ["x"], { nested: { deeper: [null] } }];
  return fc.oneof(
    fc.constantFrom(...wrongKinds.filter((v) => typeof v !== type)),
    edges,
    wrapped,
    huge,
    fc.string({ unit: "binary", maxLength: 40 }),
    ...(type === "array" ? [fc.array(fc.oneof(edges, fc.integer(), fc.constant(null)), { maxLength: 200 })] : []),
  );
}

/** A path parameter or query value as it goes in the URL: a `{raw}` value as it is, any other percent-encoded. */
function encode(value) {
  if (value && typeof value === "object" && "raw" in value) return value.raw;
  // A client resolves a whole segment of dots (encoded or not) before sending: the call would go to another route.
  if (/^(\.|%2e){1,2}$/i.test(String(value))) return `x${String(value)}`;
  // encodeURIComponent refuses lone surrogates: they go as the bytes a careless client would send.
  return String(value).replace(/[\ud800-\udfff]/g, (c, i, all) => (isPaired(all, i) ? c : "\u0000")).split("\u0000").map(encodeURIComponent).join("%ED%A0%80");
}
function isPaired(s, i) {
  const c = s.charCodeAt(i);
  if (c < 0xdc00) return i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
  return i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) < 0xdc00;
}

/** Bytes that say they are one thing and are another. */
const MAGIC = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
  jpeg: [0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0],
  gif: [...Buffer.from("GIF89a"), 1, 0, 1, 0],
  webp: [...Buffer.from("RIFF"), 0xff, 0xff, 0, 0, ...Buffer.from("WEBPVP8 ")],
  pdf: [...Buffer.from("%PDF-1.7\n1 0 obj\n<<")],
  zip: [0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0],
  exe: [0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0],
  elf: [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1],
  svg: [...Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">')],
  html: [...Buffer.from("<!doctype html><script>alert(1)</script>")],
  mp3: [...Buffer.from("ID3"), 4, 0, 0, 0, 0, 0, 0],
  ogg: [...Buffer.from("OggS"), 0, 2],
  wav: [...Buffer.from("RIFF"), 0x24, 0, 0, 0, ...Buffer.from("WAVEfmt ")],
};
const FILE_NAMES = ["a.png", "photo.jpg", "doc.pdf", "voice.mp3", "x.exe", "image.svg", "notes.txt", "../../etc/passwd", "C:\\evil\\a.pdf", "a\u0000b.png", "\u202egnp.exe", "😀.pdf", "", " ", "a".repeat(300) + ".pdf", "a.docx"];
const PART_TYPES = ["image/png", "application/pdf", "audio/mpeg", "application/octet-stream", "image/svg+xml", "text/html", "application/x-msdownload", ""];

const lyingFile = fc.record({
  magic: fc.constantFrom(...Object.keys(MAGIC)),
  tail: fc.uint8Array({ maxLength: 600 }),
  name: fc.constantFrom(...FILE_NAMES),
  type: fc.constantFrom(...PART_TYPES),
  field: fc.constantFrom("files", "file"),
});

/** A multipart body as a browser would build it, then maybe cut short or its closing boundary dropped. */
async function multipartOf(fields, files, cut) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, typeof item === "string" ? item : JSON.stringify(item));
  for (const f of files) form.append(f.field, new File([new Uint8Array([...MAGIC[f.magic], ...f.tail])], f.name, f.type ? { type: f.type } : {}));
  const res = new Response(form);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get("content-type") ?? "";
  if (cut === "none") return { bytes, type };
  if (cut === "no-boundary") return { bytes, type: "multipart/form-data" };
  if (cut === "no-close") return { bytes: bytes.slice(0, Math.max(0, bytes.length - 8)), type };
  return { bytes: bytes.slice(0, Math.floor(bytes.length * Number(cut))), type };
}

/** Top-level fields of the JSON body that a case may break (one at a time). */
const fieldsOf = (schema, document) => Object.keys(resolve(schema, document).properties ?? {});

/**
 * The arbitrary of one route's cases. `known` gives real values for a path's parameters and for the status and upload
 * tokens (see `makeCallers`); `callers` are the names of the callers to use for this route.
 */
export function casesOf(op, document, known, callers) {
  const keyOf = (p) => op.path.slice(0, op.path.indexOf(`{${p.name}}`) + p.name.length + 2);
  const validParam = (p) => (known.params[keyOf(p)] !== undefined ? fc.oneof({ weight: 4, arbitrary: fc.constant(known.params[keyOf(p)]) }, { weight: 1, arbitrary: validOf(p.schema, document) }) : validOf(p.schema, document));
  // The status token is the one query value a generator cannot make: given wherever the route takes it.
  const knownQuery = op.statusToken ? known.query : {};
  const validQuery = (p) => (knownQuery[p.name] !== undefined ? fc.constant(knownQuery[p.name]) : validOf(p.schema, document));
  const json = op.json ? resolve(op.json, document) : undefined;
  const bodyFields = json ? fieldsOf(json, document) : [];
  const takesMultipart = op.types.includes("multipart/form-data");
  const takesJson = op.types.includes("application/json");

  const base = fc.record({
    params: fc.tuple(...op.params.map(validParam)),
    query: fc.record(Object.fromEntries(op.query.map((p) => [p.name, validQuery(p)])), { requiredKeys: op.query.filter((p) => p.required || knownQuery[p.name] !== undefined).map((p) => p.name) }),
    body: json ? validOf(json, document) : fc.constant(undefined),
    caller: fc.constantFrom(...callers),
    ip: fc.integer({ min: 1, max: 0xfffffe }),
  });

  // Where one field can be broken: a path parameter, a query field, a header the route reads, a field of the body.
  const targets = [
    ...op.params.map((p) => ({ where: "param", p })),
    ...op.query.map((p) => ({ where: "query", p })),
    ...op.headers.map((p) => ({ where: "header", p })),
    ...bodyFields.map((name) => ({ where: "body", p: { name, schema: json?.properties?.[name] ?? {}, required: (json?.required ?? []).includes(name) } })),
  ];
  const breaking = targets.length
    ? fc.oneof(
        fc.constantFrom(...targets).chain((t) =>
          fc.tuple(fc.constant(t), t.p.required || t.where === "param" ? brokenOf(t.p.schema, document, { inUrl: t.where !== "body" }) : fc.oneof(brokenOf(t.p.schema, document, { inUrl: t.where !== "body" }), fc.constant(MISSING))),
        ),
        ...(json && json.additionalProperties === false ? [fc.tuple(fc.constant({ where: "body", p: { name: "" } }), fc.constantFrom("role", "isAdmin", "__proto__", "constructor", "id", "userId", "😀"))] : []),
      )
    : fc.constant(undefined);

  const kinds = [
    { weight: 2, arbitrary: fc.constant("valid") },
    ...(targets.length ? [{ weight: 5, arbitrary: fc.constant("broken") }] : []),
    ...(op.method !== "GET" ? [{ weight: 2, arbitrary: fc.constant("garbage") }] : []),
    ...(json || op.types.length ? [{ weight: 1, arbitrary: fc.constant("content-type") }] : []),
    ...(takesMultipart ? [{ weight: 3, arbitrary: fc.constant("multipart") }] : []),
  ];
  const garbage = fc.oneof(
    fc.constantFrom("{", '{"a":', "[1,2", '{"name":"x",}', "nul", "{'a':1}", "\u0000", '{"a":"\\ud800"', "[]", "1", "null", '"text"', "true", "{}{}"),
    fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1))),
    fc.uint8Array({ minLength: 1, maxLength: 300 }),
    fc.constant(""),
  );
  return fc
    .record({
      base,
      kind: fc.oneof(...kinds),
      breaking,
      garbage,
      wrongType: fc.constantFrom("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=utf-16", "application/jsonx", "", "none", "text/markdown", "application/octet-stream"),
      files: fc.array(lyingFile, { maxLength: 3 }),
      cut: fc.constantFrom("none", "none", "no-boundary", "no-close", "0.3", "0.6", "0.95"),
    })
    .map((r) => ({ op, ...r }));
}

const MISSING = Symbol("missing");

/** Builds the HTTP request of a generated case. */
export async function buildCase(g, callersByName, known) {
  const { op, base, kind } = g;
  const params = [...base.params];
  const query = { ...base.query };
  let body = base.body === undefined ? undefined : structuredClone(base.body);
  /** @type {Record<string, string>} */
  const headers = {};
  let broken;
  if (kind === "broken" && g.breaking) {
    const [t, value] = g.breaking;
    if (t.where === "body" && t.p.name === "") {
      broken = value;
      body = { ...(body ?? {}), [value]: "x" };
    } else if (t.where === "param") {
      broken = `param.${t.p.name}`;
      params[op.params.indexOf(t.p)] = value;
    } else if (t.where === "query") {
      broken = `query.${t.p.name}`;
      if (value === MISSING) delete query[t.p.name];
      else query[t.p.name] = value;
    } else if (t.where === "header") {
      broken = `header.${t.p.name}`;
      if (value !== MISSING) headers[t.p.name] = typeof value === "string" ? value.replace(/[^\t\x20-\x7e]/g, "?") : JSON.stringify(value);
    } else {
      broken = t.p.name;
      body = { ...(body ?? {}) };
      if (value === MISSING) delete body[t.p.name];
      else body[t.p.name] = value;
    }
  }
  const pathname = op.path.replace(/\{([^}]+)\}/g, () => encode(params.shift() ?? ""));
  const search = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encode(typeof v === "object" && !("raw" in v) ? JSON.stringify(v) : v)}`)
    .join("&");
  const caller = callersByName[base.caller];
  Object.assign(headers, caller.headers, { "cf-connecting-ip": `10.${(base.ip >> 16) & 255}.${(base.ip >> 8) & 255}.${base.ip & 255}` });
  if (op.uploadToken && known.uploadToken) headers["x-upload-token"] ??= known.uploadToken;

  /** @type {string | Uint8Array | undefined} */
  let payload;
  let contentType;
  if (kind === "garbage") {
    payload = g.garbage;
    contentType = takesJsonOr(op);
    // Bytes are all a raw body takes (an upload's part): only a JSON body can be garbage.
    broken = contentType === "application/json" ? "body" : undefined;
  } else if (kind === "multipart") {
    const fields = Object.fromEntries(Object.entries(body ?? {}).filter(([, v]) => v !== undefined));
    const built = await multipartOf(fields, g.files, g.cut);
    payload = built.bytes;
    contentType = built.type;
    // A form's values are all strings, so a field broken in JSON may be whole in a form: no field is expected.
    broken = undefined;
  } else if (op.types.length || kind === "content-type") {
    const media = op.types.includes("application/json") || !op.types.length ? "application/json" : op.types[0];
    payload = media === "application/json" ? (body === undefined ? undefined : JSON.stringify(body)) : media === "application/octet-stream" ? new Uint8Array(g.files[0]?.tail ?? [1, 2, 3]) : media === "text/markdown" ? "---\ntitle: x\n---\n# x" : JSON.stringify(body ?? {});
    contentType = media;
    if (kind === "content-type") {
      payload ??= "{}";
      contentType = g.wrongType;
    }
  }
  if (op.method === "GET" || op.method === "HEAD") payload = undefined;
  if (payload !== undefined && contentType && contentType !== "none") headers["content-type"] = contentType;
  // A string body without a content type would go as text/plain;charset=UTF-8: bytes go with none.
  if (payload !== undefined && contentType === "none" && typeof payload === "string") payload = new TextEncoder().encode(payload);
  return { op, kind, caller: base.caller, path: pathname, search, headers, body: payload, broken };
}

const takesJsonOr = (op) => (op.types.includes("application/json") || !op.types.length ? "application/json" : op.types[0]);

/**
 * One case, sent. Returns what the properties judge: status, media type, the body (parsed when JSON), and whether a
 * worker behind the gateway answered it (a problem's `instance` is the path its writer saw: the gateway's starts with
 * /api, a worker's is the route's target on it).
 */
export async function send(apiUrl, c, fetchImpl = fetch) {
  const url = `${apiUrl}${c.path}${c.search ? `?${c.search}` : ""}`;
  const res = await fetchImpl(url, { method: c.op.method, headers: c.headers, body: c.body, redirect: "manual", signal: AbortSignal.timeout(60_000) });
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
  let parsed;
  // A live stream never ends: only its first answer matters.
  const streaming = type === "text/event-stream" || res.status === 101;
  const text = streaming ? "" : await res.text();
  if (type.endsWith("json")) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const reached = res.status < 400 || !(parsed && typeof parsed.instance === "string" && parsed.instance.startsWith("/api/"));
  if (streaming) await res.body?.cancel().catch(() => undefined);
  return { status: res.status, type, body: parsed, text, reached };
}

/**
 * What is wrong with an answer to a case, or nothing. A 400 that does not name the broken field comes back with the
 * fields it named (`naming`), for `fuzzRoute` to hold against the same case unbroken.
 * @returns {string | { message: string, naming: string[] } | undefined}
 */
export function judge(c, a) {
  const where = `${c.op.key} (${c.kind}, as ${c.caller})`;
  if (a.status >= 500) return `${where}: answered ${a.status}: ${a.text.slice(0, 300)}`;
  // A path cut by an escape into other segments may land on another route or none (the router's 404, or 405).
  if (!c.op.statuses.has(String(a.status)) && !c.op.statuses.has("default") && !(a.status === 404 || a.status === 405)) return `${where}: answered ${a.status}, which the document does not list`;
  if (a.status < 400) return undefined;
  if (a.type !== "application/problem+json") return `${where}: a ${a.status} as ${a.type || "no media type"}, not problem+json`;
  const p = a.body;
  const shaped = p && typeof p.type === "string" && typeof p.title === "string" && p.status === a.status && (p.errors === undefined || (Array.isArray(p.errors) && p.errors.every((e) => typeof e?.field === "string" && typeof e?.message === "string")));
  if (!shaped) return `${where}: a ${a.status} that is not a Problem: ${a.text.slice(0, 300)}`;
  const fields = (p.errors ?? []).map((e) => e.field);
  const names = (f) => fields.some((x) => x === f || x.startsWith(`${f}.`));
  if (a.status === 400 && c.broken && a.reached && !names(c.broken)) return { naming: fields, message: `${where}: a 400 for a broken ${c.broken} names ${fields.join(", ") || "no field"}` };
  if (a.status === 400 && !fields.length) return `${where}: a 400 that names no field: ${a.text.slice(0, 300)}`;
  if (a.status === 415 && !names("content-type") && !fields.some((f) => f.startsWith("files") || f === "file")) return `${where}: a 415 that names ${fields.join(", ") || "no field"}, not content-type or a file`;
  return undefined;
}

const sqlite = async () => (await import("node:sqlite")).DatabaseSync;

/** The platform's one D1 database and one R2 bucket under a state directory, opened read-only. */
async function stores(stateDir) {
  const DatabaseSync = await sqlite();
  const pick = (dir) => {
    const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
    if (!file) throw new Error(`no database under ${dir}`);
    return new DatabaseSync(path.join(dir, file), { readOnly: true });
  };
  return { d1: pick(path.join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject")), r2: pick(path.join(stateDir, "v3", "r2", "miniflare-R2BucketObject")) };
}

/** Tables only a caller's own call adds rows to (no consumer or cron does): a refused call must add none. */
export const CALLER_TABLES = ["requests", "request_files", "uploads", "users", "sessions", "api_keys", "webhook_endpoints", "pages", "page_versions", "media", "templates", "template_versions", "telegram_link_codes", "account_tokens", "role_changes"];

export async function rowCounts(stateDir) {
  const { d1, r2 } = await stores(stateDir);
  try {
    return Object.fromEntries(CALLER_TABLES.map((t) => [t, Number(d1.prepare(`select count(*) as n from ${t}`).get()?.n ?? 0)]));
  } finally {
    d1.close();
    r2.close();
  }
}

/**
 * What the stores hold that no whole call would leave: a request without the event its submission writes with it
 * (or the job that event made), a file row without its object, an object without its row, an upload marked used by
 * no request's file.
 */
export async function storeFindings(stateDir) {
  const { d1, r2 } = await stores(stateDir);
  try {
    const findings = [];
    const all = (db, q) => db.prepare(q).all();
    // An erased request (its account deleted) keeps its row without its event: erasure removes what carried the text.
    for (const r of all(d1, `select id from requests r where r.erased_at is null and not exists (select 1 from jobs j where j.request_id = r.id)
        and not exists (select 1 from event_outbox o where o.type = 'request.created' and o.body like '%' || r.id || '%')`)) findings.push(`request ${r.id} has neither its request.created event nor a job`);
    const objects = new Set(all(r2, "select key from _mf_objects").map((o) => String(o.key)));
    const fileKeys = new Set();
    for (const f of all(d1, "select key from request_files")) {
      fileKeys.add(String(f.key));
      if (!objects.has(String(f.key))) findings.push(`file row ${f.key} has no object in R2`);
    }
    const requestIds = new Set(all(d1, "select id from requests").map((r) => String(r.id)));
    const uploadKeys = new Set(all(d1, "select key from uploads").map((u) => String(u.key)));
    const mediaKeys = new Set(all(d1, "select sha256, ext from media").map((m) => `media/${m.sha256}.${m.ext}`));
    for (const key of objects) {
      if (key.startsWith("requests/")) {
        if (key.split("/")[2] === "files" ? !fileKeys.has(key) : !requestIds.has(key.split("/")[1] ?? "")) findings.push(`object ${key} has no row`);
      } else if (key.startsWith("results/") && !requestIds.has(key.split("/")[1] ?? "")) findings.push(`object ${key} has no request`);
      else if (key.startsWith("uploads/") && !uploadKeys.has(key)) findings.push(`object ${key} has no upload row`);
      else if (key.startsWith("media/") && !mediaKeys.has(key)) findings.push(`object ${key} has no media row`);
    }
    for (const key of mediaKeys) if (!objects.has(key)) findings.push(`media row ${key} has no object in R2`);
    for (const u of all(d1, "select id from uploads u where status = 'used' and not exists (select 1 from request_files f where f.id = u.id)")) findings.push(`upload ${u.id} is marked used by no request`);
    return findings;
  } finally {
    d1.close();
    r2.close();
  }
}

async function ok(res, what) {
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? {} : res.json();
}

/**
 * The callers a fuzz run uses and the real values it fills in, made through the API: anonymous, a signed-in client
 * (who owns a request, an upload and a webhook), an author (who owns a page and a template) and the development admin
 * (for reading ops routes only: their writes rotate keys and grant roles, which would pull the ground from under the
 * run). Each from a network of its own, as a sign-in counts against its network's submission limit.
 */
export async function makeCallers(apiUrl, admin) {
  const stamp = Date.now();
  let net = 0;
  const from = () => ({ "cf-connecting-ip": `192.0.2.${(++net % 200) + 20}` });
  const json = () => ({ "content-type": "application/json", ...from() });
  const password = `a fuzzing client's long passphrase ${stamp}`;
  const signIn = async (email, pw) => ok(await fetch(`${apiUrl}/api/sessions`, { method: "POST", headers: json(), body: JSON.stringify({ email, password: pw }) }), `sign-in of ${email}`);
  const register = async (name) => {
    const email = `fuzz-${name}-${stamp}@fuzz.example`;
    await ok(await fetch(`${apiUrl}/api/users`, { method: "POST", headers: json(), body: JSON.stringify({ email, name: `Fuzz ${name}`, password }) }), `registering ${name}`);
    return email;
  };
  const clientEmail = await register("client");
  const authorEmail = await register("author");
  const adminSession = await signIn(admin.email, admin.password);
  const adminAuth = { authorization: `Bearer ${adminSession.accessToken}` };
  const authorFirst = await signIn(authorEmail, password);
  await ok(await fetch(`${apiUrl}/api/ops/users/${authorFirst.user.id}/role`, { method: "PUT", headers: { ...json(), ...adminAuth }, body: JSON.stringify({ role: "author", password: admin.password }) }), "granting author");
  const author = { authorization: `Bearer ${(await signIn(authorEmail, password)).accessToken}` };
  const client = { authorization: `Bearer ${(await signIn(clientEmail, password)).accessToken}` };

  const submitted = await ok(
    await fetch(`${apiUrl}/api/requests`, { method: "POST", headers: { ...json(), ...client }, body: JSON.stringify({ name: "Fuzz Client", email: clientEmail, text: "We need a booking website for our clinic, with reminders by email." }) }),
    "the client's request",
  );
  const token = new URL(submitted.statusUrl, apiUrl).searchParams.get("token") ?? "";
  const upload = await ok(await fetch(`${apiUrl}/api/uploads`, { method: "POST", headers: { ...json(), ...client }, body: JSON.stringify({ name: "fuzz.pdf", size: 1000 }) }), "an upload");
  const webhook = await ok(await fetch(`${apiUrl}/api/me/webhooks`, { method: "POST", headers: { ...json(), ...client }, body: JSON.stringify({ url: "https://hooks.fuzz.example/in", events: ["request.completed"] }) }), "a webhook");
  const slug = `fuzz-${stamp}`;
  await ok(await fetch(`${apiUrl}/api/pages/${slug}`, { method: "PUT", headers: { ...json(), ...author }, body: JSON.stringify({ markdown: `---\ntitle: Fuzz\nslug: ${slug}\nkind: page\n---\n\nA page to fuzz.`, baseVersion: 0 }) }), "a page");
  const template = await ok(
    await fetch(`${apiUrl}/api/templates`, { method: "POST", headers: { ...json(), ...author }, body: JSON.stringify({ slug: `tpl_fuzz_${stamp}`, category: "other", title: "Fuzz", body: "Hello {{name}}", requiredFields: ["name"] }) }),
    "a template",
  ).catch(() => undefined);
  const service = await ok(
    await fetch(`${apiUrl}/api/ops/service-accounts`, { method: "POST", headers: { ...json(), ...adminAuth }, body: JSON.stringify({ name: `Fuzz service ${stamp}`, scopes: ["requests:read"] }) }),
    "a service account",
  );
  const view = await ok(await fetch(`${apiUrl}/api/requests/${submitted.id}?token=${token}`, { headers: from() }), "the request's status");
  const taskId = view.steps?.[0]?.id;

  /** @type {Record<string, Caller>} */
  const callers = {
    anonymous: { name: "anonymous", headers: {} },
    client: { name: "client", headers: client },
    author: { name: "author", headers: author },
    ops: { name: "ops", headers: adminAuth },
  };
  const known = {
    params: {
      "/api/requests/{id}": submitted.id,
      "/api/requests/{id}/tasks/{taskId}": taskId,
      "/api/ops/jobs/{requestId}": submitted.id,
      "/api/ops/jobs/{requestId}/tasks/{taskId}": taskId,
      "/api/ops/requests/{id}": submitted.id,
      "/api/ops/timeline/{correlationId}": submitted.id,
      "/api/uploads/{id}": upload.id,
      "/api/uploads/{id}/parts/{n}": 1,
      "/api/me/webhooks/{id}": webhook.id,
      "/api/pages/{slug}": slug,
      "/api/site/{slug}": slug,
      "/api/preview/{slug}": slug,
      "/api/templates/{id}": template?.id,
      "/api/ops/users/{id}": authorFirst.user.id,
      "/api/ops/service-accounts/{id}": service.account.id,
    },
    query: { token },
    uploadToken: upload.uploadToken,
  };
  /** A fresh session of the client's, for a route that ends the session it is called with. */
  const freshClient = async () => ({ authorization: `Bearer ${(await signIn(clientEmail, password)).accessToken}` });
  return { callers, known, freshClient };
}

/** Who calls a route: its own kind of caller, and now and then someone it should refuse. */
export function callersFor(op) {
  switch (op.access) {
    case "public":
      return ["anonymous", "anonymous", "client"];
    case "token":
      return ["anonymous", "anonymous", "client"];
    case "signed-in":
      return ["client", "client", "client", "anonymous"];
    case "author":
      return ["author", "author", "author", "client"];
    case "ops":
      return op.method === "GET" ? ["ops", "ops", "ops", "client"] : ["client", "anonymous"];
    default:
      return ["anonymous"];
  }
}

/** Routes that end the very session they are called with: each case gets a session of its own. */
export const ENDS_ITS_SESSION = new Set(["DELETE /api/sessions/current"]);

/**
 * Runs `runs` cases against one route and returns every failure, the answers counted into `tally`. With `stateDir`,
 * the stores are held to it too: a route that refused every case may have added no row to the tables only a caller's
 * call writes (`CALLER_TABLES`).
 */
export async function fuzzRoute(apiUrl, document, op, setup, { runs, seed, stateDir, tally = newTally(), fetchImpl = fetch }) {
  const failures = [];
  const before = stateDir ? await rowCounts(stateDir) : undefined;
  const acceptedBefore = tally.acceptedControls + Object.entries(tally.byStatus).reduce((n, [status, k]) => n + (Number(status) < 300 ? k : 0), 0);
  const property = fc.asyncProperty(casesOf(op, document, setup.known, callersFor(op)), async (g) => {
    const byName = { ...setup.callers };
    if (ENDS_ITS_SESSION.has(op.key) && g.base.caller === "client") byName.client = { name: "client", headers: await setup.freshClient() };
    const c = await buildCase(g, byName, setup.known);
    let a;
    try {
      // A connection the machine's load dropped is tried once more (counted); one dropped twice is a failure.
      a = await send(apiUrl, c, fetchImpl).catch(async (err) => {
        if (!(err instanceof TypeError)) throw err;
        tally.retried++;
        return send(apiUrl, await buildCase(g, byName, setup.known), fetchImpl);
      });
    } catch (err) {
      // No answer, or (in the end-to-end suite) an answer its conformance check refused.
      a = { status: 599, type: "", text: `failed: ${err instanceof Error ? err.message : String(err)}`, reached: false };
    }
    tally.cases++;
    tally.byStatus[a.status] = (tally.byStatus[a.status] ?? 0) + 1;
    if (a.reached) tally.reached++;
    let failure = judge(c, a);
    if (typeof failure === "object") {
      // A schema cannot say everything a field must be (a password's policy, events without repeats, a cursor the
      // worker made, a range's ends in order, a honeypot's value): a generated case may be refused for its other
      // fields too. The same case without its break tells: only when that one is accepted was the 400 the break's.
      const control = await send(apiUrl, await buildCase({ ...g, kind: "valid" }, byName, setup.known), fetchImpl).catch(() => undefined);
      if (control && control.status < 300) tally.acceptedControls++;
      failure = control && control.status >= 400 ? undefined : `${failure.message} (unbroken: ${control?.status ?? "no answer"})`;
    }
    if (failure) {
      failures.push({ failure, request: `${c.op.method} ${c.path}${c.search ? `?${c.search}` : ""} ${describeBody(c.body)}` });
    }
  });
  // Every failure is kept rather than the first shrunk: one run shows all a route gets wrong, each with its request.
  await fc.check(property, { numRuns: runs, seed });
  const acceptedAfter = tally.acceptedControls + Object.entries(tally.byStatus).reduce((n, [status, k]) => n + (Number(status) < 300 ? k : 0), 0);
  if (before && stateDir && acceptedAfter === acceptedBefore) {
    const after = await rowCounts(stateDir);
    const grown = CALLER_TABLES.filter((t) => (after[t] ?? 0) > (before[t] ?? 0));
    if (grown.length) failures.push({ failure: `${op.key}: refused every case, yet ${grown.map((t) => `${t} +${(after[t] ?? 0) - (before[t] ?? 0)}`).join(", ")}`, request: "" });
  }
  return { failures, tally };
}

/** Fuzzes each route in turn (see `fuzzRoute`); `onRoute` hears of each as it ends. */
export async function fuzzRoutes(apiUrl, document, ops, setup, { runs, seed, stateDir, fetchImpl = fetch, onRoute = () => {} }) {
  const tally = newTally();
  const failures = [];
  for (const op of ops) {
    const cases = tally.cases;
    const result = await fuzzRoute(apiUrl, document, op, setup, { runs, seed, stateDir, tally, fetchImpl });
    failures.push(...result.failures);
    onRoute(op, tally.cases - cases, result.failures);
  }
  return { tally, failures };
}

export const newTally = () => ({ cases: 0, reached: 0, acceptedControls: 0, retried: 0, /** @type {Record<number, number>} */ byStatus: {} });

function describeBody(body) {
  if (body === undefined) return "(no body)";
  const s = typeof body === "string" ? body : `bytes ${Buffer.from(body).toString("latin1")}`;
  return JSON.stringify(s.length > 300 ? `${s.slice(0, 300)}… (${s.length})` : s);
}
