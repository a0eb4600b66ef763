import { describe, expect, it } from "vitest";
import { message, pdf, attachment } from "../workers/intake/test/mail";
import { type OutboxMessage, type RequestView, apiUrl, eventually, siteUrl } from "./helpers";

async function outboxTo(address: string): Promise<OutboxMessage[]> {
  const res = await fetch(`${siteUrl()}/api/dev/outbox?to=${encodeURIComponent(address)}`);
  return ((await res.json()) as { messages: OutboxMessage[] }).messages;
}

describe("a request by email, through wrangler's local email endpoint", () => {
  it("becomes a request with its attachment, answered by email", async () => {
    const from = `lena.${Date.now()}@studio.example`;
    const raw = message({
      from: `Lena Roth <${from}>`,
      subject: "A portfolio website",
      parts: [
        { type: "text/plain; charset=utf-8", body: "Our design studio needs a portfolio website with a contact form and a blog." },
        attachment("brief.pdf", "application/pdf", pdf("Portfolio website brief")),
      ],
    });
    const res = await fetch(`${apiUrl()}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=requests%40statex.local`, { method: "POST", body: raw });
    expect(res.ok).toBe(true);

    const ready = await eventually("the ready email to the sender", async () => {
      const messages = await outboxTo(from);
      return messages.find((m) => /ready/i.test(m.subject));
    }, 30_000);
    expect((await outboxTo(from)).some((m) => /received/i.test(m.subject))).toBe(true);
    const link = /request\.html\?id=(req_\w+)&token=([\w-]+)/.exec(ready.body);
    const view = (await (await fetch(`${siteUrl()}/api/requests/${link?.[1]}?token=${link?.[2]}`)).json()) as RequestView & { channel: string };
    expect(view).toMatchObject({ status: "completed", channel: "email" });
  });

  it("refuses a message with an executable attachment, with the reason", async () => {
    const raw = message({
      from: "eve@example.com",
      subject: "invoice",
      parts: [{ type: "text/plain", body: "see attached" }, attachment("invoice.pdf", "application/pdf", Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0]))],
    });
    const res = await fetch(`${apiUrl()}/cdn-cgi/handler/email?from=eve%40example.com&to=requests%40statex.local`, { method: "POST", body: raw });
    const text = await res.text();
    expect(res.ok, text).toBe(false);
    expect(text).toMatch(/executable/);
  });
});
