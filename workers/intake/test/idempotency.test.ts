import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Problem, call, contact, count, form, submitForm } from "./call";
import { allKeys, pdf } from "./files";

const json = (body: unknown, key?: string) =>
  call("/requests", { method: "POST", headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) }, body: JSON.stringify(body) });

type Accepted = { id: string; status: string; statusUrl: string };

describe("Idempotency-Key on POST /requests", () => {
  it("answers the same key and body with the first answer, and a different body with 409 (JSON)", async () => {
    const first = await json(contact, "k-json-1");
    expect(first.status).toBe(202);
    const answer = await first.json<Accepted>();
    const again = await json(contact, "k-json-1");
    expect(again.status).toBe(202);
    expect(await again.json<Accepted>()).toEqual(answer);
    const before = await count("requests");
    const other = await json({ ...contact, text: "Something else entirely." }, "k-json-1");
    expect(other.status).toBe(409);
    expect((await other.json<Problem>()).errors?.[0]?.field).toBe("header.idempotency-key");
    expect(await count("requests")).toBe(before);
  });

  it("replays a multipart submission without storing its files twice; other files are a different body", async () => {
    const send = (text: string) => submitForm(form(contact, [{ name: "brief.pdf", bytes: pdf(text) }]), { "idempotency-key": "k-form-1" });
    const first = await send("v1");
    expect(first.status).toBe(202);
    const answer = await first.json<Accepted>();
    const keys = await allKeys("requests/");
    const again = await send("v1");
    expect(await again.json<Accepted>()).toEqual(answer);
    expect(await allKeys("requests/")).toEqual(keys);
    expect((await send("v2")).status).toBe(409);
    expect(await allKeys("requests/")).toEqual(keys);
  });

  it("creates one request from concurrent duplicates (a double click), all answered with it", async () => {
    const before = await count("requests");
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? json(contact, "k-race") : submitForm(form(contact), { "idempotency-key": "k-race" }))));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
    const ids = new Set((await Promise.all(answers.map((r) => r.json<Accepted>()))).map((a) => a.id));
    expect(ids.size).toBe(1);
    expect(await count("requests")).toBe(before + 1);
    const events = await env.DB.prepare("select count(*) as n from event_outbox where body like ?").bind(`%${[...ids][0]}%`).first<{ n: number }>();
    expect(events?.n).toBe(1);
  });

  it("refuses a malformed key with 400", async () => {
    const res = await json(contact, "bad key with spaces");
    expect(res.status).toBe(400);
  });
});
