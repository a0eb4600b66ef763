import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMIT_TEST_MS, call, exhaustLimit, opsHeaders } from "./call";

function form(fields: Record<string, string>, file?: { name: string; text: string }): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  if (file) data.append("files", new File([file.text], file.name));
  return data;
}

const contact = { name: "Ada", email: "ada@example.com", text: "We need a booking website for our clinic." };
type Entry = { reason: string; clientIp: string | null };
const spamLog = async () => (await (await call("/api/ops/spam-log", { headers: await opsHeaders() })).json<{ entries: Entry[] }>()).entries;

describe("intake's web submissions through the gateway", () => {
  it("streams a multipart submission with a file through to intake", async () => {
    const res = await call("/api/requests", { method: "POST", headers: { "cf-connecting-ip": "192.0.2.71" }, body: form(contact, { name: "notes.md", text: "# Notes" }) });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "received" });
  });

  it("routes resumable uploads, the token travelling in x-upload-token", async () => {
    const started = await call("/api/uploads", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.72" }, body: JSON.stringify({ name: "a.txt", size: 5 }) });
    expect(started.status).toBe(201);
    const u = await started.json<{ id: string; uploadToken: string }>();
    expect((await call(`/api/uploads/${u.id}/parts/1`, { method: "PUT", headers: { "x-upload-token": u.uploadToken }, body: "hello" })).status).toBe(200);
    expect((await call(`/api/uploads/${u.id}/complete`, { method: "POST", headers: { "x-upload-token": u.uploadToken } })).status).toBe(200);
  });

  it("keeps the spam log for ops only, with honeypot refusals and rate-limited submissions", { timeout: LIMIT_TEST_MS }, async () => {
    const trap = await call("/api/requests", { method: "POST", headers: { "cf-connecting-ip": "192.0.2.73" }, body: form({ ...contact, website: "spam" }) });
    expect(trap.status).toBe(422);
    expect((await call("/api/ops/spam-log")).status).toBe(401);
    expect((await spamLog())[0]).toMatchObject({ reason: "honeypot field filled", clientIp: "192.0.2.73" });

    await exhaustLimit(env.RATE_LIMIT_SUBMIT, "192.0.2.74");
    const limited = await call("/api/requests", { method: "POST", headers: { "cf-connecting-ip": "192.0.2.74", "content-type": "application/json" }, body: JSON.stringify(contact) });
    expect(limited.status).toBe(429);
    expect((await spamLog())[0]).toMatchObject({ reason: "rate limit", clientIp: "192.0.2.74" });
  });

  it("logs a flood from one client once a minute, not once per refused request", { timeout: LIMIT_TEST_MS }, async () => {
    await exhaustLimit(env.RATE_LIMIT_SUBMIT, "192.0.2.75");
    for (let i = 0; i < 5; i++) {
      const limited = await call("/api/requests", { method: "POST", headers: { "cf-connecting-ip": "192.0.2.75", "content-type": "application/json" }, body: JSON.stringify(contact) });
      expect(limited.status).toBe(429);
    }
    expect((await spamLog()).filter((e) => e.clientIp === "192.0.2.75")).toHaveLength(1);
  });
});
