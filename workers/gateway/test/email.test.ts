import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { email } from "../src/email";

/** A message as Email Routing hands it to the worker, recording what the worker told the sending server. */
function arriving(from: string, headers: string[], body: string) {
  const raw = new TextEncoder().encode([...headers, `From: ${from}`, "To: requests@statex.local", `Message-ID: <${crypto.randomUUID()}@mail.example>`, "Subject: A website", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body].join("\r\n"));
  const rejected: string[] = [];
  const message = {
    from,
    to: "requests@statex.local",
    raw: new Blob([raw]).stream(),
    headers: new Headers(),
    rawSize: raw.byteLength,
    canBeForwarded: true,
    setReject: (reason: string) => void rejected.push(reason),
    forward: () => Promise.reject(new Error("the gateway forwards nothing")),
    reply: () => Promise.reject(new Error("the gateway replies to nothing")),
  } satisfies ForwardableEmailMessage;
  return { message, rejected };
}

async function deliver(message: ForwardableEmailMessage): Promise<void> {
  const ctx = createExecutionContext();
  await email(message, env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("email ingress", () => {
  it("does not reject a message intake held for a forged sender: a relay would bounce the rejection to the forged address", async () => {
    const verdict = "Authentication-Results: mx.cloudflare.net; dkim=fail header.d=bank.example; dmarc=fail header.from=bank.example; spf=fail smtp.mailfrom=ceo@bank.example";
    const { message, rejected } = arriving("ceo@bank.example", [verdict], "");
    await deliver(message);
    expect(rejected).toEqual([]);
  });

  it("rejects, with the reason, what intake refuses from a sender the receiving server authenticated", async () => {
    const verdict = "Authentication-Results: mx.cloudflare.net; dkim=pass header.d=shop.example; dmarc=pass header.from=shop.example; spf=pass smtp.mailfrom=ann@shop.example";
    const { message, rejected } = arriving("ann@shop.example", [verdict], "   ");
    await deliver(message);
    expect(rejected).toEqual([expect.stringMatching(/no text and no attachments/)]);
  });
});
