/**
 * Account emails go to notify over RPC (`NotifyApi.sendAccountEmail`), never as events: their links carry single-use
 * tokens, and every event is kept in logging's audit trail. They are sent after the answer, so an answer takes the
 * same time whether or not an email went out (registration and password resets must not tell who has an account),
 * and a slow email API never holds a client. A failed call is tried again with the same idempotency key, so notify
 * sends the email once however many tries reach it.
 */
import type { AccountEmail } from "@statex/shared/account-email";
import { backoffMs } from "@statex/shared/backoff";
import type { AppEnv } from "@statex/shared/http";
import { errorField } from "@statex/shared/logger";
import { notificationLocale } from "@statex/shared/notifications";
import type { Context } from "hono";

/** Tries of one email: enough to outlast a blip of the email API, short enough to end well inside waitUntil. */
export const ACCOUNT_EMAIL_TRIES = 3;

type Email = Omit<AccountEmail, "correlationId" | "final" | "locale">;

/** Sends an account email once the answer is out; the request's id follows it into notify's log lines and events. */
export function sendAfterResponse(c: Context<AppEnv<IdentityEnv>>, email: Email): void {
  const log = c.get("log");
  const correlationId = c.get("requestId");
  // Written in the language of the browser that asked, unless the account chose one (notify knows that).
  const locale = notificationLocale(c.req.header("accept-language"));
  const send = async () => {
    for (let attempt = 1; attempt <= ACCOUNT_EMAIL_TRIES; attempt++) {
      const final = attempt === ACCOUNT_EMAIL_TRIES;
      try {
        await c.env.NOTIFY_API.sendAccountEmail({ ...email, locale, correlationId, final });
        return;
      } catch (err) {
        log.warn(final ? "account email not sent" : "account email failed, will retry", { template: email.template, attempt, error: errorField(err) });
        if (!final) await scheduler.wait(backoffMs(attempt, { baseMs: 1_000, capMs: 4_000 }));
      }
    }
  };
  c.executionCtx.waitUntil(send());
}
