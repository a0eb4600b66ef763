// The providers' webhooks as they arrive: public routes through the gateway to notify, which verifies each one on the
// raw body the gateway forwarded untouched. The secrets are notify's development values (devSecretValue).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMIT_TEST_MS, call, exhaustLimit } from "./call";

const dev = (name: string) => `dev-only-${name.toLowerCase().replace(/_/g, "-")}`;
const encoder = new TextEncoder();

async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(message)));
}
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const sha256 = async (text: string) => hex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));

// Unicode, escapes and uneven spacing: a body that any re-serialising on the way would change, and its signature with it.
const inboundBody = (from: string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",  "messages":[{"from":"${from}","id":"wamid.x","timestamp":"${Math.floor(Date.now() / 1000)}","type":"text","text":{"body":"Grüße \\u00e9 ✓"}}]}}]}]}`;

const windowOf = (phone: string) => env.DB.prepare("select last_inbound_at from whatsapp_windows where phone = ?").bind(phone).first();

describe("webhooks through the gateway", () => {
  it("are public routes to notify", async () => {
    const { routes } = await (await call("/api")).json<{ routes: { method: string; path: string; access: string }[] }>();
    for (const [method, path] of [["POST", "/api/webhooks/email"], ["POST", "/api/webhooks/telegram"], ["GET", "/api/webhooks/whatsapp"], ["POST", "/api/webhooks/whatsapp"], ["POST", "/api/notifications/unsubscribe"]]) {
      expect(routes).toContainEqual(expect.objectContaining({ method, path, access: "public" }));
    }
  });

  it("WhatsApp: the raw body's signature holds through the gateway; a wrong one is 401 and changes nothing", async () => {
    const phone = `49${String(Date.now()).slice(-10)}`;
    const body = inboundBody(phone);
    const forged = await call("/api/webhooks/whatsapp", { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${hex(await hmac(encoder.encode("guess"), body))}` }, body });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("content-type")).toBe("application/problem+json");
    expect(await windowOf(phone)).toBeNull();

    const signed = await call("/api/webhooks/whatsapp", { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${hex(await hmac(encoder.encode(dev("WHATSAPP_APP_SECRET")), body))}` }, body });
    expect(signed.status).toBe(200);
    expect(await windowOf(phone)).not.toBeNull();
  });

  it(
    "count against the webhooks' own limit, not the clients': a provider's address that used up the general limit still reports",
    async () => {
      const ip = "198.18.7.7";
      await exhaustLimit(env.RATE_LIMIT_API, ip);
      expect((await call("/api/pages", { headers: { "cf-connecting-ip": ip } })).status).toBe(429);
      const phone = `49${String(Date.now()).slice(-10)}`;
      const body = inboundBody(phone);
      const signature = `sha256=${hex(await hmac(encoder.encode(dev("WHATSAPP_APP_SECRET")), body))}`;
      const res = await call("/api/webhooks/whatsapp", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip, "x-hub-signature-256": signature }, body });
      expect(res.status).toBe(200);
    },
    LIMIT_TEST_MS,
  );

  it("WhatsApp's handshake answers the challenge as text", async () => {
    const res = await call(`/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${dev("WHATSAPP_VERIFY_TOKEN")}&hub.challenge=42`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("42");
  });

  it("email: a Svix signature holds through the gateway; none is 401", async () => {
    const body = JSON.stringify({ type: "email.delivered", created_at: new Date().toISOString(), data: { email_id: "not-one-of-ours" } });
    const id = `msg_${crypto.randomUUID()}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = base64(await hmac(encoder.encode(dev("EMAIL_WEBHOOK_SECRET")), `${id}.${timestamp}.${body}`));
    const headers = { "content-type": "application/json", "svix-id": id, "svix-timestamp": timestamp };
    expect((await call("/api/webhooks/email", { method: "POST", headers, body })).status).toBe(401);
    expect((await call("/api/webhooks/email", { method: "POST", headers: { ...headers, "svix-signature": `v1,${signature}` }, body })).status).toBe(200);
  });

  it("Telegram: without the secret token 401; with it, /start <code> links the chat", async () => {
    const code = `code${crypto.randomUUID().replace(/-/g, "")}`;
    const requestId = `req_${crypto.randomUUID()}`;
    await env.DB.prepare("insert into telegram_link_codes (code_hash, request_id, expires_at) values (?, ?, ?)").bind(await sha256(code), requestId, new Date(Date.now() + 60_000).toISOString()).run();
    const body = JSON.stringify({ update_id: Date.now(), message: { message_id: 1, date: 0, chat: { id: 777, type: "private" }, from: { id: 777, is_bot: false, first_name: "Ada" }, text: `/start ${code}` } });
    expect((await call("/api/webhooks/telegram", { method: "POST", headers: { "content-type": "application/json" }, body })).status).toBe(401);
    const res = await call("/api/webhooks/telegram", { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": dev("TELEGRAM_WEBHOOK_SECRET") }, body });
    expect(res.status).toBe(200);
    expect(await env.DB.prepare("select chat_id from telegram_chats where request_id = ?").bind(requestId).first()).toEqual({ chat_id: "777" });
  });

  it("the unsubscribe link refuses a token that is not notify's", async () => {
    const res = await call("/api/notifications/unsubscribe?token=u.usr_1.ready.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", { method: "POST" });
    expect(res.status).toBe(400);
  });
});
