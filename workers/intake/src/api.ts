/**
 * IntakeApi: the RPC entrypoint for what does not arrive over HTTP. Email
 * reaches the platform's primary worker (the gateway: Email Routing delivers to
 * one worker), which hands the raw message here.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { Logger } from "@statex/shared/logger";
import { type EmailOutcome, type IncomingEmail, receiveEmail } from "./email/receive";
import { type SpamEntry, logSpam } from "./spam";

export class IntakeApi extends WorkerEntrypoint<IntakeEnv> {
  /** Turns an email into a request, or says why not. Throws only for failures worth a retry by the sender's server. */
  async receiveEmail(mail: IncomingEmail): Promise<EmailOutcome> {
    const log = new Logger(this.env, "intake");
    try {
      const outcome = await receiveEmail(this.env, this.ctx, log, mail);
      log.info("email received", { from: mail.from, outcome: outcome.status, ...(outcome.status === "accepted" ? {} : { reason: outcome.reason }) });
      return outcome;
    } finally {
      this.ctx.waitUntil(log.flush());
    }
  }

  /** Keeps a submission refused before it reached intake (the gateway's rate limit) in the spam log. */
  async recordSpam(entry: SpamEntry): Promise<void> {
    await logSpam(this.env.DB, entry);
  }
}
