// The shared logger's redaction, fed hostile lines: what leaves a worker must carry no address, number or secret,
// and must still read as the line it was.
import { Logger, type LogBatch, redactFields, redactText } from "@statex/shared/logger";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";

function keepingQueue() {
  const sent: LogBatch[] = [];
  const queue = { send: async (body: LogBatch) => void sent.push(body) } as unknown as Queue;
  return { queue, sent };
}

const JWT = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJ1c3JfMSIsInJvbGUiOiJvcHMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
const STATUS_TOKEN = "Xk3_9aQw-ZpL0mN2bV7cR1tY5uE8iO4pA6sD9fG2hJk"; // 43 characters of base64url, as statusToken makes

describe("redaction by shape", () => {
  it.each([
    ["an address in prose", "could not send to ada.lovelace+ops@Example.co.uk, giving up", "ada.lovelace+ops@Example.co.uk"],
    ["an address in a URL, percent-encoded", "GET /api/ops/users?email=grace%40navy.mil&x=1", "navy.mil"],
    ["an address in JSON inside a string", '{"contact":{"email":"alan@turing.org"}}', "alan@turing.org"],
    ["a bearer token", "authorization: Bearer abc.DEF-123_456~xyz", "abc.DEF-123_456~xyz"],
    ["a JWT on its own", `token was ${JWT} (expired)`, JWT],
    ["a status token in a query", `/api/requests/req_01JX?token=${STATUS_TOKEN}`, STATUS_TOKEN],
    ["a status token alone", `checked ${STATUS_TOKEN} against req_01JX`, STATUS_TOKEN],
    ["a password in a form body", "password=hunter2hunter2&email=x", "hunter2hunter2"],
    ["a password in JSON text", '{"currentPassword": "correct horse", "password":"s3cret!"}', "s3cret!"],
    ["a Telegram bot token in a URL", "fetch https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage failed", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"],
    ["an API key", "provider refused key sk-proj-abcdefghijklmnopqrstuvwx", "sk-proj-abcdefghijklmnopqrstuvwx"],
    ["a webhook secret", "svix secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["one of our API keys, pasted without its Bearer", "key sx_live_Q2w3E4r5T6y7U8i9O0p1A2s3D4f5G6h7J8k9L0z1 refused", "sx_live_Q2w3E4r5T6y7U8i9O0p1A2s3D4f5G6h7J8k9L0z1"],
    ["an international phone number", "WhatsApp to +49 (30) 1234-5678 refused", "1234-5678"],
    ["a compact international number", "sms +14155552671 queued", "+14155552671"],
    ["a national number with spaces", "call 030 1234 5678 please", "030 1234 5678"],
    ["a US number", "phone (555) 123-4567 on file", "123-4567"],
  ])("removes %s", (_what, line, secret) => {
    const out = redactText(line);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/\[redacted(:[a-z]+)?\]/);
  });

  it.each([
    ["timestamps", "at 2026-12-03T05:25:36.375Z, took 1234 ms"],
    ["dates and times", "window 2026-12-03 05:25 to 2026-12-04 17:00"],
    ["request and event ids", "req_01JX00000000000000000000AB evt_01JX00000000000000000000CD"],
    ["uuids", "message 123e4567-e89b-12d3-a456-426614174000 acked"],
    ["sha-256 in hex", "hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    ["epochs and counts", "expires 1764739536 after 1764739536000 ms, 131047 error, HTTP 503"],
    ["versions and addresses of code", "wrangler 4.164.0 at workers/ai/src/index.ts:42:7"],
    ["queue names", "retries exhausted on statex-notify-dlq-staging"],
    ["prose about tokens", "refresh token reused: the session ends; 1200 tokens used"],
    ["an API key's prefix, which names a key without opening anything", "api key sx_live_Q2w3E4r5 revoked by its owner"],
    ["hyphenated words that begin like a vendor's key", "problem re-authentication-required-for-this-session, pk-constraint-violation-in-batch"],
  ])("keeps %s as they were", (_what, line) => {
    expect(redactText(line)).toBe(line);
  });

  it("removes any generated address, wherever it sits in a line", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (email, before, after) => {
        // Separated by a space, as an address sits in text; glued to random characters it may legitimately become another address.
        expect(redactText(`${before} ${email} ${after}`)).not.toContain(email);
      }),
      { numRuns: 500 },
    );
  });

  it("removes any international number however it is grouped", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 14 }), fc.constantFrom("", " ", "-"), (digits, sep) => {
        const number = `+${digits.slice(0, 2).join("")}${sep}${digits.slice(2, 5).join("")}${sep}${digits.slice(5).join("")}`;
        const out = redactText(`send to ${number} now`);
        expect(out).toBe("send to [redacted:phone] now");
      }),
      { numRuns: 300 },
    );
  });
});

describe("redaction by field name", () => {
  it("blanks secret and personal fields at any depth, whatever their value looks like, and keeps counts and flags", () => {
    const out = redactFields({
      password: "x",
      user: { Email: "not-even-an-address", phone: "call me", whatsapp: "somewhere", name: "Ada" },
      headers: { Authorization: "anything", "x-upload-token": "t", Cookie: "sid=1", "X-Api-Key": "k" },
      STATUS_TOKEN_SECRET: "dev-only",
      refreshToken: { value: "nested" },
      attempts: [{ passwordHash: "ok?", apiKey: "k2" }],
      tokens: 1200,
      inputTokens: 800,
      hasPassword: true,
      emailSent: true,
      channel: "email",
    });
    expect(out).toEqual({
      password: "[redacted]",
      user: { Email: "[redacted:email]", phone: "[redacted:phone]", whatsapp: "[redacted:phone]", name: "Ada" },
      headers: { Authorization: "[redacted]", "x-upload-token": "[redacted]", Cookie: "[redacted]", "X-Api-Key": "[redacted]" },
      STATUS_TOKEN_SECRET: "[redacted]",
      refreshToken: "[redacted]",
      attempts: [{ passwordHash: "ok?", apiKey: "[redacted]" }],
      tokens: 1200,
      inputTokens: 800,
      hasPassword: true,
      emailSent: true,
      channel: "email",
    });
  });

  it("redacts errors' messages, survives cycles and depth, and keeps the __proto__ key a plain key", () => {
    const cyclic: Record<string, unknown> = { note: "to bob@example.com" };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { leaf: "carol@example.com" };
    for (let i = 0; i < 20; i++) deep = { down: deep };
    const hostile = JSON.parse('{"__proto__": {"polluted": "dave@example.com"}}') as Record<string, unknown>;
    const out = redactFields({ error: new TypeError("no mailbox for eve@example.com"), cyclic, deep, hostile });
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/@example\.com/);
    expect(out.error).toEqual({ name: "TypeError", message: "no mailbox for [redacted:email]" });
    expect(text).toContain("[circular]");
    expect(text).toContain("[too deep]");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("the logger redacts before a line leaves the worker", () => {
  afterEach(() => vi.restoreAllMocks());

  it("neither the console nor the logging worker sees the secrets of a line", async () => {
    const echoed: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void echoed.push(line));
    const { queue, sent } = keepingQueue();
    const log = new Logger({ Q_LOGS: queue, LOG_CONSOLE: "debug" }, "notify", "req_01JX00000000000000000000AB");
    log.warn(`delivery to frank@example.com failed with Bearer ${JWT}`, {
      recipient: "+44 20 7946 0958",
      url: `https://statex.app/r/req_01JX?token=${STATUS_TOKEN}`,
      body: { password: "pw", text: "reach me at grace@example.org" },
    });
    await log.flush();
    const shipped = JSON.stringify(sent);
    for (const out of [shipped, echoed.join("\n")]) {
      for (const secret of ["frank@example.com", JWT, "7946 0958", STATUS_TOKEN, '"pw"', "grace@example.org"]) expect(out).not.toContain(secret);
    }
    expect(sent[0]?.lines[0]).toMatchObject({ level: "warn", service: "notify", correlationId: "req_01JX00000000000000000000AB", msg: "delivery to [redacted:email] failed with Bearer [redacted:token]" });
  });
});
