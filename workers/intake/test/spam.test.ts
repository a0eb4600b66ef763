import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { call, contact, count, form, submitForm } from "./call";
import { allKeys, pdf } from "./files";

const verifyUrl = () => `http://127.0.0.1:${inject("siteverifyPort")}`;
/** intake with Turnstile on (its secret set); vitest.config.ts points TURNSTILE_VERIFY_URL at the fake siteverify. */
const guarded = (): IntakeEnv => Object.assign({}, env, { TURNSTILE_SECRET: "test-turnstile-secret" });

type Entry = { reason: string; channel: string; clientIp: string | null; email: string | null; excerpt: string | null };
async function spamLog(): Promise<Entry[]> {
  return (await (await call("/spam-log?limit=10")).json<{ entries: Entry[] }>()).entries;
}

describe("spam defences", () => {
  it("refuses a filled honeypot with a neutral 422, stores nothing, and logs it for ops", async () => {
    const before = { requests: await count("requests"), keys: await allKeys() };
    const res = await submitForm(form({ ...contact, website: "http://buy-now.example" }, [{ name: "a.pdf", bytes: pdf("x") }]), { "cf-connecting-ip": "203.0.113.9" });
    expect(res.status).toBe(422);
    const problem = await res.json<{ detail: string; errors?: unknown }>();
    expect(problem.errors).toBeUndefined();
    expect(problem.detail).not.toMatch(/honeypot|website/i);
    expect(await count("requests")).toBe(before.requests);
    expect(await allKeys()).toEqual(before.keys);
    expect((await spamLog())[0]).toMatchObject({ reason: "honeypot field filled", clientIp: "203.0.113.9", email: contact.email, excerpt: contact.text });
  });

  it("verifies Turnstile server-side with our secret, the token and the client's address", async () => {
    const res = await submitForm(form({ ...contact, channel: "web", "cf-turnstile-response": "pass-token" }), { "cf-connecting-ip": "198.51.100.7" }, guarded());
    expect(res.status).toBe(202);
    const sent = await (await fetch(`${verifyUrl()}/last`)).json<Record<string, string>>();
    expect(sent).toEqual({ secret: "test-turnstile-secret", response: "pass-token", remoteip: "198.51.100.7" });
  });

  it.each([
    ["no token", undefined, "turnstile: no token"],
    ["a token the siteverify rejects", "forged-token", "turnstile: invalid-input-response"],
    ["a token solved on another hostname", "other-host-token", "turnstile: hostname evil.example"],
    ["a token solved for another action", "other-action-token", "turnstile: action login"],
  ])("refuses %s with 422 and logs why", async (_label, token, reason) => {
    const before = await count("requests");
    const fields = { ...contact, channel: "web", ...(token ? { "cf-turnstile-response": token } : {}) };
    const res = await submitForm(form(fields), {}, guarded());
    expect(res.status).toBe(422);
    expect(await count("requests")).toBe(before);
    expect((await spamLog())[0]?.reason).toBe(reason);
  });

  it("leaves Turnstile off where no secret is configured", async () => {
    expect((await submitForm(form({ ...contact, channel: "web" }))).status).toBe(202);
  });
});
