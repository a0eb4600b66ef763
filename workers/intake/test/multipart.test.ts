import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type FilePart, type Problem, call, contact, count, form, sha256, submitForm } from "./call";
import { allKeys, docx, exe, noise, pdf, png, speech, textOf, zip } from "./files";

const MiB = 1024 * 1024;

type Row = { name: string; kind: string; mime: string; size: number; sha256: string; key: string };
async function filesOf(id: string): Promise<Row[]> {
  return (await env.DB.prepare("select name, kind, mime, size, sha256, key from request_files where request_id = ? order by name").bind(id).all<Row>()).results;
}

/** Submits and expects nothing at all to remain: no request, no file row, no object. */
async function refused(data: FormData | BodyInit, status: number, field: string, headers: Record<string, string> = {}): Promise<void> {
  const before = { requests: await count("requests"), keys: await allKeys() };
  const res = await call("/requests", { method: "POST", body: data, headers });
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect((await res.json<Problem>()).errors?.map((e) => e.field)).toContain(field);
  expect(await count("requests")).toBe(before.requests);
  expect(await allKeys()).toEqual(before.keys);
}

/** A form's bytes: sent with their length declared, or as a stream with no length (then only counting can stop it). */
async function serialised(data: FormData): Promise<{ bytes: Uint8Array; type: string; stream: () => ReadableStream<Uint8Array> }> {
  const req = new Request("http://x/", { method: "POST", body: data });
  const bytes = new Uint8Array(await req.arrayBuffer());
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
  return { bytes, type: req.headers.get("content-type") ?? "", stream };
}

describe("POST /requests as multipart/form-data", { timeout: 30_000 }, () => {
  it("stores real documents and speech clips with their sniffed type, size and sha256", async () => {
    const files: FilePart[] = [
      { name: "brief.pdf", bytes: pdf("Clinic booking requirements") },
      { name: "spec.docx", bytes: docx("Three clinics, SMS reminders") },
      { name: "logo.png", bytes: png(), type: "application/pdf" },
      { name: "notes.md", bytes: new TextEncoder().encode("# Notes\n\n- three clinics\n") },
      ...(["webm", "ogg", "mp3", "m4a", "wav"] as const).map((ext) => ({ name: `voice.${ext}`, bytes: speech(ext) })),
    ];
    const res = await submitForm(form({ ...contact, channel: "web", phone: "", website: "" }, files));
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    const rows = await filesOf(id);
    const expected: Record<string, [string, string]> = {
      "brief.pdf": ["document", "application/pdf"],
      "spec.docx": ["document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
      "logo.png": ["document", "image/png"],
      "notes.md": ["document", "text/markdown"],
      "voice.webm": ["audio", "audio/webm"],
      "voice.ogg": ["audio", "audio/ogg"],
      "voice.mp3": ["audio", "audio/mpeg"],
      "voice.m4a": ["audio", "audio/mp4"],
      "voice.wav": ["audio", "audio/wav"],
    };
    expect(rows.map((r) => [r.name, r.kind, r.mime])).toEqual(Object.entries(expected).map(([n, km]) => [n, ...km]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    for (const f of files) {
      const row = rows.find((r) => r.name === f.name);
      expect(row?.size).toBe(f.bytes.length);
      expect(row?.sha256).toBe(await sha256(f.bytes));
      const stored = await env.FILES.get(row?.key ?? "");
      expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(f.bytes);
    }
    const event = await env.DB.prepare("select body from event_outbox where body like ?").bind(`%${id}%`).first<{ body: string }>();
    expect(JSON.parse(event?.body ?? "{}")).toMatchObject({ type: "request.created", data: { channel: "web", files: expect.arrayContaining([expect.objectContaining({ name: "voice.webm", kind: "audio" })]) } });
  });

  it("streams a file larger than one R2 part as a multipart upload, and sniffs a large DOCX from its stored directory", async () => {
    const big = textOf(9 * MiB);
    const bigDocx = docx("Large document", 6 * MiB);
    const res = await submitForm(form(contact, [{ name: "log.txt", bytes: big }, { name: "big.docx", bytes: bigDocx }]));
    expect(res.status).toBe(202);
    const rows = await filesOf((await res.json<{ id: string }>()).id);
    expect(rows.map((r) => [r.name, r.mime, r.size])).toEqual([
      ["big.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", bigDocx.length],
      ["log.txt", "text/plain", big.length],
    ]);
    const stored = await env.FILES.get(rows[1]?.key ?? "");
    expect(await sha256(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0)))).toBe(await sha256(big));
    expect(rows[1]?.sha256).toBe(await sha256(big));
  });

  it.each([
    ["an executable named .pdf", "invoice.pdf", exe()],
    ["a ZIP archive", "docs.zip", zip()],
    ["an unknown binary type", "data.bin", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)],
  ])("refuses %s with 415 naming the file, after a good file was already stored", async (_label, name, bytes) => {
    await refused(form(contact, [{ name: "brief.pdf", bytes: pdf("ok") }, { name, bytes }]), 415, `files.${name}`);
  });

  it("refuses a ZIP larger than one part once its directory shows it is no DOCX, deleting it", async () => {
    const { zipSync } = await import("fflate");
    const bigZip = zipSync({ "data.bin": [noise(6 * MiB), { level: 0 }] });
    await refused(form(contact, [{ name: "archive.docx", bytes: bigZip }]), 415, "files.archive.docx");
  });

  it("refuses a file over MAX_FILE_BYTES with 413 naming it, aborting its multipart upload", async () => {
    await refused(form(contact, [{ name: "small.pdf", bytes: pdf("a") }, { name: "huge.txt", bytes: textOf(13 * MiB) }]), 413, "files.huge.txt");
  });

  it("refuses a request over MAX_REQUEST_BYTES: by its declared length, and by what streams in", async () => {
    const data = () => form(contact, [1, 2, 3].map((i) => ({ name: `part${i}.txt`, bytes: textOf(6 * MiB) })));
    const { bytes, type, stream } = await serialised(data());
    await refused(bytes, 413, "body", { "content-type": type, "content-length": String(bytes.length) });
    await refused(stream(), 413, "files.part3.txt", { "content-type": type });
  });

  it("refuses more than MAX_FILES files with 413 naming the first one too many", async () => {
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `f${i + 1}.txt`, bytes: new TextEncoder().encode(`file ${i}`) }));
    await refused(form(contact, files), 413, "files.f11.txt");
  });

  it("validates fields with the JSON schema, deleting files that arrived before them", async () => {
    const data = new FormData();
    data.append("files", new File([pdf("first")], "first.pdf"));
    data.append("name", "Ann");
    data.append("email", "not-an-email");
    data.append("text", "hello");
    await refused(data, 400, "email");
    await refused(form({ ...contact, text: "x".repeat(20_001) }), 413, "text");
  });

  it("ignores an empty file input and unknown fields, and refuses malformed bodies with 400", async () => {
    const data = form({ ...contact, submit: "Send" });
    data.append("files", new File([], ""));
    expect((await submitForm(data)).status).toBe(202);
    await refused("--x\r\ncontent-disposition: form-data; name=\"name\"\r\n\r\nAnn", 400, "body", { "content-type": "multipart/form-data; boundary=x" });
    await refused("anything", 400, "body", { "content-type": "multipart/form-data" });
  });
});
