import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Problem, call, contact, form, sha256, submitForm } from "./call";
import { allKeys, exe, noise, speech } from "./files";

const MiB = 1024 * 1024;
type Created = { id: string; partSize: number; parts: number; uploadToken: string };
type Listing = { status: string; parts: { partNumber: number; size: number }[]; missing: number[] };

async function start(name: string, size: number): Promise<Created> {
  const res = await call("/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, size }) });
  expect(res.status).toBe(201);
  return res.json<Created>();
}
const put = (u: Created, n: number, bytes: Uint8Array, token = u.uploadToken) =>
  call(`/uploads/${u.id}/parts/${n}`, { method: "PUT", headers: { "x-upload-token": token }, body: bytes });
const get = (u: Created, token = u.uploadToken) => call(`/uploads/${u.id}`, { headers: { "x-upload-token": token } });
const complete = (u: Created) => call(`/uploads/${u.id}/complete`, { method: "POST", headers: { "x-upload-token": u.uploadToken } });
const part = (file: Uint8Array, u: Created, n: number) => file.subarray((n - 1) * u.partSize, n * u.partSize);

/** A recording larger than two parts: a real speech clip followed by noise (sniffed by its head, like any WAV). */
function recording(): Uint8Array {
  const clip = speech("wav");
  const file = noise(11 * MiB);
  file.set(clip);
  return file;
}

describe("resumable uploads", { timeout: 30_000 }, () => {
  it("takes parts in any order, replaces a re-sent part, lists what arrived, and completes with the stored hash", async () => {
    const file = recording();
    const u = await start("meeting.wav", file.length);
    expect(u).toMatchObject({ partSize: 5 * MiB, parts: 3 });
    expect((await put(u, 3, part(file, u, 3))).status).toBe(200);
    // A part cut short by a dropped connection is refused, then re-sent whole.
    expect((await put(u, 1, part(file, u, 1).subarray(0, 1000))).status).toBe(400);
    expect((await put(u, 1, noise(u.partSize, 7))).status).toBe(200);
    const listing = await (await get(u)).json<Listing>();
    expect(listing).toMatchObject({ status: "open", missing: [2], parts: [{ partNumber: 1 }, { partNumber: 3 }] });
    expect((await complete(u)).status).toBe(409);
    expect((await put(u, 2, part(file, u, 2))).status).toBe(200);
    expect((await put(u, 1, part(file, u, 1))).status).toBe(200);
    const done = await complete(u);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: "complete", kind: "audio", mime: "audio/wav", size: file.length, sha256: await sha256(file) });
    const stored = await env.FILES.get(`uploads/${u.id}`);
    expect(await sha256(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0)))).toBe(await sha256(file));
  });

  it("becomes a request's file when its holder submits it, once", async () => {
    const clip = speech("ogg");
    const u = await start("voice.ogg", clip.length);
    await put(u, 1, clip);
    await complete(u);
    const res = await submitForm(form({ ...contact, uploadIds: u.id, uploadTokens: u.uploadToken }));
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    const row = await env.DB.prepare("select id, key, mime, sha256 from request_files where request_id = ?").bind(id).first();
    expect(row).toEqual({ id: u.id, key: `uploads/${u.id}`, mime: "audio/ogg", sha256: await sha256(clip) });
    expect((await (await get(u)).json<Listing>()).status).toBe("used");
    const reuse = await submitForm(form({ ...contact, uploadIds: u.id, uploadTokens: u.uploadToken }));
    expect(reuse.status).toBe(409);
  });

  it("is only for its token's holder", async () => {
    const u = await start("a.txt", 5);
    expect((await put(u, 1, new TextEncoder().encode("hello"), "upt_wrong")).status).toBe(404);
    expect((await get(u, "upt_wrong")).status).toBe(404);
    expect((await call(`/uploads/${u.id}`)).status).toBe(404);
    await put(u, 1, new TextEncoder().encode("hello"));
    await complete(u);
    const stolen = await submitForm(form({ ...contact, uploadIds: u.id, uploadTokens: "upt_guess" }));
    expect(stolen.status).toBe(400);
    expect((await stolen.json<Problem>()).errors?.[0]?.field).toBe("uploadIds.0");
  });

  it("refuses a forbidden type on completion and deletes it; aborts on DELETE; refuses an oversize start", async () => {
    const bad = exe();
    const u = await start("setup.pdf", bad.length);
    await put(u, 1, bad);
    const res = await complete(u);
    expect(res.status).toBe(415);
    expect((await res.json<Problem>()).errors?.[0]?.field).toBe("files.setup.pdf");
    expect(await allKeys(`uploads/${u.id}`)).toEqual([]);

    const v = await start("b.txt", 5);
    expect((await call(`/uploads/${v.id}`, { method: "DELETE", headers: { "x-upload-token": v.uploadToken } })).status).toBe(204);
    expect((await get(v)).status).toBe(404);

    const huge = await call("/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "film.webm", size: 13 * MiB }) });
    expect(huge.status).toBe(413);
    expect((await huge.json<Problem>()).errors?.[0]?.field).toBe("files.film.webm");
  });
});
