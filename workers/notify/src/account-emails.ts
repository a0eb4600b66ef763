/**
 * Account emails (verify the address, someone tried to register it, reset the password, the password changed), asked
 * for by identity over RPC rather than by an event: their links carry single-use tokens, and events are kept.
 * Account mail is essential: it goes by email only, outside any ladder, with no unsubscribe link. Each goes through
 * the same delivery as every notification (a row, the provider's idempotency key, the notification.sent or .failed
 * event), keyed by the caller's idempotency key, so a retried call sends nothing twice. The row keeps the text with
 * the link's token withheld: the token is stored nowhere but in the email.
 */
import { AccountEmail, type AccountEmailSent } from "@statex/shared/account-email";
import { fieldErrors } from "@statex/shared/errors";
import { sha256Hex } from "@statex/shared/hash";
import type { Logger } from "@statex/shared/logger";
import { emailChannel } from "./channels-email";
import type { DeliveryEnv } from "./env";
import { deliver } from "./notifier";
import { preferencesOf } from "./preferences";
import { render } from "./templates";

/** Sends one account email at most once per idempotency key; throws when it could not be sent (the caller may retry). */
export async function sendAccountEmail(input: AccountEmail, env: DeliveryEnv, log: Logger): Promise<AccountEmailSent> {
  const parsed = AccountEmail.safeParse(input);
  // A plain message: a ZodError crosses RPC as its name alone.
  if (!parsed.success) throw new TypeError(`not an account email: ${fieldErrors(parsed.error.issues).map((e) => `${e.field}: ${e.message}`).join("; ")}`);
  const email = parsed.data;
  const channel = emailChannel(env);
  if (!channel) throw new Error("no email provider is configured (EMAIL_PROVIDER, EMAIL_API_URL or the EMAIL binding)");
  const siteUrl = env.SITE_URL.replace(/\/+$/, "");
  // Without a link of its own, an email points at the account page (sign in, reset the password).
  const link = `${siteUrl}${email.link ?? "/account.html"}`;
  // The account's own choice of language wins over the browser that caused the email.
  const chosen = email.userId ? (await preferencesOf(env.DB, { userId: email.userId })).locale : null;
  const message = await render(email.template, { name: email.name ?? "", siteUrl, link, linkValidHours: email.linkValidHours, until: email.until, summary: email.summary }, chosen ?? email.locale ?? "en");
  const withheld = link.replace(/([?&]token=)[^&]+/, "$1(withheld)");
  const id = `ntf_${(await sha256Hex(`account:${email.idempotencyKey}`)).slice(0, 32)}`;
  const done = await deliver(
    { id, eventId: email.idempotencyKey, correlationId: email.correlationId, userId: email.userId, channel, address: email.to, message, keptBody: message.text.replaceAll(link, withheld), final: email.final },
    { env, log: log.withCorrelation(email.correlationId) },
  );
  // Refused for good, or the caller's last try: the caller hears it failed (the row and notification.failed say so too).
  if (done.status === "failed") throw new Error(`the account email could not be sent (notification ${id})`);
  return { notificationId: id, status: done.fresh ? "sent" : "already-sent" };
}
