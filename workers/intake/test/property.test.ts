/**
 * Arbitrary multipart bodies and headers thrown at POST /requests: whatever arrives, the answer is a
 * 202 or a 4xx problem, never a 5xx, and storage never holds a file that no request owns.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, contact } from "./call";
import { allKeys, exe, pdf, png, zip } from "./files";

const enc = (s: string) => new TextEncoder().encode(s);
const tokenChars = fc.constantFrom(..."abcXYZ019'()+_,-./:=? ".split(""));

const content = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.string({ maxLength: 200 }).map(enc),
  fc.constantFrom(pdf("property"), png(4, 4), exe(), zip(), enc("--"), enc("\r\n--b\r\n")),
);

const part = fc.record({
  name: fc.oneof(fc.constantFrom("name", "email", "text", "phone", "channel", "website", "files", "uploadIds", "uploadTokens", "cf-turnstile-response"), fc.string({ maxLength: 12 })),
  filename: fc.option(fc.oneof(fc.constantFrom("a.pdf", "", "x.exe", "../../etc/passwd", 'q"uote.txt'), fc.string({ maxLength: 20 })), { nil: undefined }),
  type: fc.option(fc.constantFrom("application/pdf", "text/plain", "application/octet-stream"), { nil: undefined }),
  body: content,
  rawHeader: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
});

/** Serialises parts, sometimes wrongly: a truncated body, a missing closing delimiter, garbage headers. */
const body = fc.record({
  boundary: fc.string({ unit: tokenChars, minLength: 1, maxLength: 70 }).filter((b) => !b.endsWith(" ")),
  parts: fc.array(part, { maxLength: 6 }),
  valid: fc.boolean(),
  close: fc.boolean(),
  cut: fc.option(fc.nat(), { nil: undefined }),
  preamble: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  /** A well-formed submission with arbitrary extra fields: keeps the accepted side of the property exercised. */
  clean: fc.boolean(),
});

const headers = fc.record({
  contentType: fc.oneof(fc.constant("ok"), fc.constant("multipart/form-data"), fc.string({ maxLength: 40 }), fc.constant("multipart/form-data; boundary=")),
  idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("k1", "k2")), { nil: undefined }),
  contentLength: fc.option(fc.oneof(fc.nat(), fc.constant(10 ** 12)).map(String), { nil: undefined }),
});

/** The fields intake reads: in a clean body, arbitrary parts must not overwrite them with nonsense. */
const FIELDS = new Set(["name", "email", "text", "phone", "channel", "website", "uploadIds", "uploadTokens", "cf-turnstile-response", "telegram", "whatsapp", "linkedin", "notifyBy", "locale"]);

type Body = typeof body extends fc.Arbitrary<infer T> ? T : never;

function serialise(given: Body): Uint8Array {
  const b = given.clean ? { ...given, valid: true, close: true, cut: undefined, parts: given.parts.filter((p) => p.filename === undefined && !FIELDS.has(p.name)) } : given;
  const chunks: Uint8Array[] = [];
  if (b.preamble) chunks.push(enc(`${b.preamble}\r\n`));
  type Part = { name: string; body: Uint8Array; filename?: string | undefined; type?: string | undefined; rawHeader?: string | undefined };
  const fields: Part[] = b.valid ? [...Object.entries(contact).map(([name, v]) => ({ name, body: enc(v) })), ...b.parts] : b.parts;
  for (const p of fields) {
    const head = [`--${b.boundary}`, `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}`];
    if (p.type) head.push(`Content-Type: ${p.type}`);
    if (p.rawHeader !== undefined) head.push(p.rawHeader);
    chunks.push(enc(`${head.join("\r\n")}\r\n\r\n`), p.body, enc("\r\n"));
  }
  if (b.close) chunks.push(enc(`--${b.boundary}--\r\n`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (out.set(c, at), at + c.length), 0);
  return b.cut === undefined ? out : out.subarray(0, b.cut % (out.length + 1));
}

async function orphans(): Promise<string[]> {
  const keys = await allKeys("requests/");
  const owned = new Set((await env.DB.prepare("select key from request_files").all<{ key: string }>()).results.map((r) => r.key));
  return keys.filter((k) => !owned.has(k));
}

describe("POST /requests under arbitrary multipart input", () => {
  it("answers only 202 or 4xx, and never leaves an orphan file", { timeout: 120_000 }, async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(body, headers, async (b, h) => {
        const bytes = serialise(b);
        const contentType = h.contentType === "ok" || b.clean ? `multipart/form-data; boundary="${b.boundary}"` : h.contentType;
        const key = b.clean ? undefined : h.idempotencyKey;
        const length = b.clean ? undefined : h.contentLength;
        const res = await call("/requests", {
          method: "POST",
          body: bytes,
          headers: { "content-type": contentType, ...(key !== undefined ? { "idempotency-key": key } : {}), ...(length ? { "content-length": length } : {}) },
        });
        const text = await res.text();
        seen.add(res.status);
        expect(res.status === 202 || (res.status >= 400 && res.status < 500), `${res.status} ${text}`).toBe(true);
        expect(await orphans()).toEqual([]);
      }),
      { numRuns: 120 },
    );
    // The generator reaches both sides: accepted submissions and refusals.
    expect(seen).toContain(202);
    expect([...seen].some((s) => s >= 400)).toBe(true);
  });
});
