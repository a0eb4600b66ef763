import { env, exports } from "cloudflare:workers";
import type { AccountEmail } from "@statex/shared/account-email";
import { Logger } from "@statex/shared/logger";
import { describe, expect, it } from "vitest";
import { sendAccountEmail } from "../src/account-emails";
import { outbox, outboxEvents } from "./helpers";

const TOKEN = "t".repeat(43);

function email(overrides: Partial<AccountEmail> = {}): AccountEmail {
  const key = crypto.randomUUID();
  return {
    to: `ada.${key}@example.com`,
    name: "Ada <Lovelace>",
    template: "verify-email",
    link: `/verify.html?token=${TOKEN}`,
    linkValidHours: 24,
    idempotencyKey: `verify-email:${key}`,
    correlationId: `req-${key}`,
    ...overrides,
  };
}

async function row(id: string) {
  return env.DB.prepare("select * from notifications where id = ?").bind(id).first<{ status: string; body: string; template: string; attempts: number; request_id: string | null }>();
}

describe("NotifyApi.sendAccountEmail", () => {
  it("sends the verification email with its link on the site, and keeps the text without the token", async () => {
    const input = email();
    const sent = await exports.NotifyApi.sendAccountEmail(input);
    expect(sent.status).toBe("sent");
    const [mail, ...more] = await outbox({ to: input.to });
    expect(more).toEqual([]);
    expect(mail?.subject).toBe("Confirm your email address");
    expect(mail?.body).toContain(`${env.SITE_URL}/verify.html?token=${TOKEN}`);
    expect(mail?.body).toContain("for the next 24 hours");
    expect(mail?.html).toContain("Hello Ada &lt;Lovelace&gt;");
    expect(mail?.html).toContain(`href="${env.SITE_URL}/verify.html?token=${TOKEN}"`);

    const stored = await row(sent.notificationId);
    expect(stored).toMatchObject({ status: "sent", template: "verify-email", request_id: null });
    expect(stored?.body).not.toContain(TOKEN);
    expect(stored?.body).toContain("/verify.html?token=(withheld)");
    // The audit trail hears that it was sent, never what the link was.
    const event = (await outboxEvents("notification.sent")).find((e) => e.event.correlationId === input.correlationId);
    expect(event?.event.data).toMatchObject({ notificationId: sent.notificationId, template: "verify-email", recipient: input.to });
    expect(JSON.stringify(event)).not.toContain(TOKEN);
  });

  it("sends once per idempotency key, however often it is asked", async () => {
    const input = email({ template: "password-reset", link: `/reset.html?token=${TOKEN}`, linkValidHours: 1 });
    const first = await exports.NotifyApi.sendAccountEmail(input);
    const again = await exports.NotifyApi.sendAccountEmail(input);
    expect(again).toEqual({ notificationId: first.notificationId, status: "already-sent" });
    const mails = await outbox({ to: input.to });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe("Reset your StateX password");
    expect(mails[0]?.body).toContain("for the next hour");
  });

  it("points an email without a link of its own at the account page", async () => {
    const input = email({ template: "register-attempt", link: undefined, linkValidHours: undefined });
    await exports.NotifyApi.sendAccountEmail(input);
    const [mail] = await outbox({ to: input.to });
    expect(mail?.subject).toBe("Someone tried to create a StateX account with your address");
    expect(mail?.body).toContain(`${env.SITE_URL}/account.html`);
  });

  it("refuses a payload that is not an account email, and a link off the site", async () => {
    // The RPC's refusal, taken as a value at once: a rejected RPC promise left to `expect().rejects` is also
    // reported to the runner as unhandled.
    const refusal = (call: Promise<unknown>) => call.then(() => undefined, (err: unknown) => String(err));
    expect(await refusal(exports.NotifyApi.sendAccountEmail({ ...email(), template: "welcome" } as unknown as AccountEmail))).toMatch(/not an account email/);
    expect(await refusal(exports.NotifyApi.sendAccountEmail(email({ link: "https://evil.example/x" })))).toMatch(/path on the site/);
  });

  it("records a failed send for the caller's retry, marks it failed when the caller says it will not ask again, and sends on a retry that works", async () => {
    const input = email({ template: "password-changed", link: "/reset.html", linkValidHours: undefined });
    const failing = { ...env, EMAIL_API_URL: `${env.OUTBOX_URL}/fail/email` };
    const log = new Logger(env, "notify");
    await expect(sendAccountEmail(input, failing, log)).rejects.toThrow(/email provider answered 500/);
    await expect(sendAccountEmail({ ...input, final: true }, failing, log)).rejects.toThrow();
    const id = (await exports.NotifyApi.sendAccountEmail(input)).notificationId;
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 3 });
    const failed = (await outboxEvents("notification.failed")).find((e) => e.event.correlationId === input.correlationId);
    expect(failed?.event.data).toMatchObject({ notificationId: id, attempts: 2 });
    expect(await outbox({ to: input.to })).toHaveLength(1);
  });
});
