/**
 * Email ingress. Email Routing (and wrangler's local email endpoint) delivers to
 * the platform's primary worker; the message is read once and handed to intake
 * over RPC, which decides. A refusal is given back to the sending server as a
 * rejection with its reason, so the sender gets a bounce that says why. A
 * message intake holds (its sender failed SPF, DKIM and DMARC) is not rejected:
 * the bounce would go to the address it forged.
 */
import { Logger } from "@statex/shared/logger";

/** Larger messages are refused before they are read into memory. */
const HARD_LIMIT = 40 * 1024 * 1024;

export async function email(message: ForwardableEmailMessage, env: GatewayEnv, ctx: ExecutionContext): Promise<void> {
  const log = new Logger(env, "gateway");
  try {
    if (message.rawSize > HARD_LIMIT) {
      message.setReject(`message too large (${message.rawSize} bytes)`);
      return;
    }
    const raw = await new Response(message.raw).arrayBuffer();
    const outcome = await env.INTAKE_API.receiveEmail({ from: message.from, to: message.to, raw });
    if (outcome.status === "rejected") message.setReject(outcome.reason);
    log.info("email handed to intake", { to: message.to, outcome: outcome.status });
  } finally {
    ctx.waitUntil(log.flush());
  }
}
