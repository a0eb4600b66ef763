import { env } from "cloudflare:workers";
import { SpamLog } from "@statex/shared/api/intake";
import { describe, expect, inject, it } from "vitest";
import { describeOpsOnly, opsCaller } from "../../../shared/test/callers";
import { call, contact, count, form, forms, submitForm } from "./call";
import { allKeys, pdf } from "./files";

const verifyUrl = () => `http://127.0.0.1:${inject("siteverifyPort")}`;
/** intake with Turnstile on (its secret set); vitest.config.ts points TURNSTILE_VERIFY_URL at the fake siteverify. */
const guarded = (): IntakeEnv => Object.assign({}, env, { TURNSTILE_SECRET: "test-turnstile-secret" });

type Entry = { reason: string; channel: string; clientIp: string | null; email: string | null; excerpt: string | null };
/** The spam log's entries for one sender: each test submits as its own, so no test depends on another's entries. */
async function loggedFor(email: string): Promise<Entry[]> {
  return SpamLog.parse(await (await call("/spam-log?limit=500", { headers: opsCaller })).json()).entries.filter((e) => e.email === email);
}

let senders = 0;
/** The test contact under an address of its own. */
const sender = () => ({ ...contact, email: `sender-${++senders}@clinic.example` });

describe.each(Object.entries(forms))("spam defences (%s)", (_form, send) => {
  it("refuses a filled honeypot with a neutral 422, stores nothing, and logs it for ops", async () => {
    const fields = { ...sender(), website: "http://buy-now.example" };
    const before = await count("requests");
    const res = await send(fields, { "cf-connecting-ip": "203.0.113.9" });
    expect(res.status).toBe(422);
    const problem = await res.json<{ detail: string; errors?: unknown }>();
    expect(problem.errors).toBeUndefined();
    expect(problem.detail).not.toMatch(/honeypot|website/i);
    expect(await count("requests")).toBe(before);
    expect(await loggedFor(fields.email)).toMatchObject([{ reason: "honeypot field filled", channel: "api", clientIp: "203.0.113.9", excerpt: contact.text }]);
  });

  it("verifies Turnstile server-side for channel web with our secret, the token and the client's address", async () => {
    const res = await send({ ...sender(), channel: "web", "cf-turnstile-response": "pass-token" }, { "cf-connecting-ip": "198.51.100.7" }, guarded());
    expect(res.status).toBe(202);
    const sent = await (await fetch(`${verifyUrl()}/last`)).json<Record<string, string>>();
    expect(sent).toEqual({ secret: "test-turnstile-secret", response: "pass-token", remoteip: "198.51.100.7" });
  });

  it.each([
    ["no token", undefined, "turnstile: no token"],
    ["a token the siteverify rejects", "forged-token", "turnstile: invalid-input-response"],
    ["a token solved on another hostname", "other-host-token", "turnstile: hostname evil.example"],
    ["a token solved for another action", "other-action-token", "turnstile: action login"],
  ])("refuses %s on channel web with 422 and logs why", async (_label, token, reason) => {
    const before = await count("requests");
    const fields = { ...sender(), channel: "web", ...(token ? { "cf-turnstile-response": token } : {}) };
    const res = await send(fields, {}, guarded());
    expect(res.status).toBe(422);
    expect(await count("requests")).toBe(before);
    expect(await loggedFor(fields.email)).toMatchObject([{ reason, channel: "web" }]);
  });

  it("asks no Turnstile token of channel api, and none of anyone where no secret is configured", async () => {
    expect((await send(sender(), {}, guarded())).status).toBe(202);
    expect((await send({ ...sender(), channel: "web" })).status).toBe(202);
  });
});

describe("spam defences (multipart with files)", () => {
  it("deletes the files that came with a refused form", async () => {
    const before = await allKeys();
    const res = await submitForm(form({ ...sender(), website: "http://buy-now.example" }, [{ name: "a.pdf", bytes: pdf("x") }]));
    expect(res.status).toBe(422);
    expect(await allKeys()).toEqual(before);
  });
});

// Reached over the binding without the gateway's check, the route still checks the caller the gateway forwarded.
describeOpsOnly([{ method: "GET", path: "/spam-log", served: 200 }], (method, path, headers) => call(path, { method, headers }));
