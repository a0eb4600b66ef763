import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attachment, message, pdf, quotedPrintable } from "./mail";

const raw = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
const receive = (from: string, text: string) => exports.IntakeApi.receiveEmail({ from, to: "requests@statex.local", raw: raw(text) });

async function requestRow(id: string) {
  return env.DB.prepare("select channel, name, email, text from requests where id = ?").bind(id).first<{ channel: string; name: string; email: string; text: string }>();
}

async function filesOf(id: string) {
  return (await env.DB.prepare("select name, kind, mime, size, sha256, key from request_files where request_id = ? order by name").bind(id).all<{ name: string; kind: string; mime: string; size: number; sha256: string; key: string }>()).results;
}

describe("email intake", () => {
  it("turns a multipart message with attachments into a request, files in R2 with their sniffed types", async () => {
    const doc = pdf("Clinic booking requirements");
    const notes = new TextEncoder().encode("# Notes\n\n- three clinics\n- SMS reminders\n");
    const outcome = await receive(
      "marta@clinic.example",
      message({
        from: "Marta Silva <marta@clinic.example>",
        subject: "Booking website",
        parts: [
          { type: "text/plain; charset=utf-8", body: "We need an online booking website for three clinics." },
          attachment("brief.pdf", "application/octet-stream", doc),
          attachment("notes.md", "text/markdown", notes),
        ],
      }),
    );
    expect(outcome.status).toBe("accepted");
    if (outcome.status !== "accepted") return;
    expect(await requestRow(outcome.requestId)).toEqual({
      channel: "email",
      name: "Marta Silva",
      email: "marta@clinic.example",
      text: "Booking website\n\nWe need an online booking website for three clinics.",
    });
    const files = await filesOf(outcome.requestId);
    expect(files.map((f) => [f.name, f.kind, f.mime, f.size])).toEqual([
      ["brief.pdf", "document", "application/pdf", doc.byteLength],
      ["notes.md", "document", "text/markdown", notes.byteLength],
    ]);
    const stored = await env.FILES.get(files[0]?.key ?? "");
    expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(doc);
    const outbox = await env.DB.prepare("select body from event_outbox where id like '%' and body like ?").bind(`%${outcome.requestId}%`).first<{ body: string }>();
    expect(JSON.parse(outbox?.body ?? "{}")).toMatchObject({ type: "request.created", data: { channel: "email", files: [{ name: "brief.pdf" }, { name: "notes.md" }] } });
  });

  it("decodes quoted-printable bodies in a non-UTF-8 charset", async () => {
    // "Grüße aus München — wir brauchen eine App" in ISO-8859-1 (the dash is not in Latin-1, so a plain hyphen).
    const latin1 = Uint8Array.from("Grüße aus München - wir brauchen eine App für unsere Bäckerei.", (ch) => ch.charCodeAt(0));
    const outcome = await receive(
      "jonas@baeckerei.example",
      message({ from: "jonas@baeckerei.example", subject: "App", parts: [{ type: "text/plain; charset=iso-8859-1", body: quotedPrintable(latin1), encoding: "quoted-printable" }] }),
    );
    expect(outcome.status).toBe("accepted");
    if (outcome.status === "accepted") {
      const row = await requestRow(outcome.requestId);
      expect(row?.text).toBe("App\n\nGrüße aus München - wir brauchen eine App für unsere Bäckerei.");
      expect(row?.name).toBe("jonas");
    }
  });

  it("turns an HTML-only message into text", async () => {
    const outcome = await receive(
      "ann@shop.example",
      message({
        from: "Ann <ann@shop.example>",
        subject: "Shop",
        parts: [{ type: "text/html; charset=utf-8", body: "<html><head><style>p{}</style></head><body><p>We sell <b>tea</b> &amp; cakes.</p><ul><li>online shop</li><li>delivery</li></ul><script>alert(1)</script></body></html>" }],
      }),
    );
    expect(outcome.status).toBe("accepted");
    if (outcome.status === "accepted") expect((await requestRow(outcome.requestId))?.text).toBe("Shop\n\nWe sell tea & cakes.\n- online shop\n- delivery");
  });

  it.each([
    ["Auto-Submitted", { "Auto-Submitted": "auto-replied" }, "ann@shop.example"],
    ["an empty Return-Path", { "Return-Path": "<>" }, "ann@shop.example"],
    ["Precedence: bulk", { Precedence: "bulk" }, "ann@shop.example"],
    ["a mailer-daemon sender", {}, "MAILER-DAEMON@mx.example"],
  ])("ignores automated mail (%s) without creating a request", async (_label, headers, from) => {
    const before = await env.DB.prepare("select count(*) as n from requests").first<{ n: number }>();
    const outcome = await receive(from, message({ from, subject: "Out of office", headers, parts: [{ type: "text/plain", body: "I am away until Monday." }] }));
    expect(outcome.status).toBe("ignored");
    expect(await env.DB.prepare("select count(*) as n from requests").first<{ n: number }>()).toEqual(before);
  });

  it.each([
    ["an executable attachment", [{ type: "text/plain", body: "see attached" }, attachment("invoice.pdf", "application/pdf", Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0]))], /invoice\.pdf.*Windows executable/],
    ["a ZIP archive", [{ type: "text/plain", body: "see attached" }, attachment("docs.zip", "application/zip", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))], /docs\.zip.*ZIP archive/],
    ["no content", [{ type: "text/plain", body: "   " }], /no text and no attachments/],
  ])("rejects a message with %s, storing nothing", async (_label, parts, reason) => {
    const listed = async () => (await env.FILES.list({ prefix: "requests/" })).objects.length;
    const before = await listed();
    const outcome = await receive("bob@example.com", message({ from: "bob@example.com", subject: "", parts }));
    expect(outcome).toMatchObject({ status: "rejected", reason: expect.stringMatching(reason) });
    expect(await listed()).toBe(before);
  });
});
