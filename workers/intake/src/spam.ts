/**
 * Spam defences of the submission form, and the log ops read. A refused
 * submission is never silently dropped: it is written to `spam_log` with why.
 *
 * The answer to a refused submission is a 422 with a neutral message and no
 * field, whatever the cause. Answering a bot with a fake 202 teaches it
 * nothing, but it would also mislead a person whose browser autofilled the
 * hidden field; a neutral 422 gives a bot no hint of which check failed while
 * a person sees that the submission did not go through (and ops can find it).
 */
import { SpamLogQuery } from "@statex/shared/api/intake";
import { requireRole } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { newId } from "@statex/shared/ids";
import type { AppEnv } from "@statex/shared/http";
import { validate } from "@statex/shared/http";
import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { optionalSecret } from "@statex/shared/secrets";

export type SpamEntry = { reason: string; channel: string; clientIp?: string | undefined; email?: string | undefined; excerpt?: string | undefined };

/** Writes one refused submission to the spam log. */
export async function logSpam(db: D1Database, entry: SpamEntry): Promise<void> {
  await database(db).insert(schema.spamLog).values({
    id: newId("spam"),
    reason: entry.reason.slice(0, 200),
    channel: entry.channel.slice(0, 20),
    clientIp: entry.clientIp?.slice(0, 64),
    email: entry.email?.slice(0, 254),
    excerpt: entry.excerpt?.slice(0, 200),
  });
}

/** Logs a refused submission and gives the neutral 422 to answer it with. */
export async function refusedAsSpam(db: D1Database, entry: SpamEntry): Promise<ProblemError> {
  await logSpam(db, entry);
  return new ProblemError(422, "submission-refused", "The submission could not be accepted. If you are a person, reload the page and try again.");
}

type Verdict = { success?: boolean; hostname?: string; action?: string; "error-codes"?: string[] };

/**
 * Why a Turnstile token fails server-side verification, or undefined when it passes (or when no
 * secret is configured: then Turnstile is off). The hostname and action must be ours, so a token
 * solved on another site or for another form does not count.
 */
export async function turnstileFailure(env: IntakeEnv, token: string | undefined, clientIp: string | undefined): Promise<string | undefined> {
  const secret = optionalSecret(env, "TURNSTILE_SECRET");
  if (!secret) return undefined;
  if (!token) return "turnstile: no token";
  const form = new FormData();
  form.set("secret", secret);
  form.set("response", token);
  if (clientIp) form.set("remoteip", clientIp);
  let verdict: Verdict;
  try {
    const res = await fetch(env.TURNSTILE_VERIFY_URL, { method: "POST", body: form });
    if (!res.ok) throw new Error(`siteverify answered ${res.status}`);
    verdict = await res.json<Verdict>();
  } catch {
    // Turnstile down is our failure, not the client's: a 503 to retry, nothing logged as spam.
    throw new ProblemError(503, "verification-unavailable", "The spam check is unavailable; try again in a minute", undefined, { "retry-after": "30" });
  }
  if (!verdict.success) return `turnstile: ${(verdict["error-codes"] ?? ["failed"]).join(",")}`;
  const hostnames = env.TURNSTILE_HOSTNAMES.split(",").map((h) => h.trim()).filter(Boolean);
  if (hostnames.length && !hostnames.includes(verdict.hostname ?? "")) return `turnstile: hostname ${verdict.hostname ?? "missing"}`;
  if (env.TURNSTILE_ACTION && verdict.action !== env.TURNSTILE_ACTION) return `turnstile: action ${verdict.action ?? "missing"}`;
  return undefined;
}


/**
 * GET /spam-log: the newest refused submissions first. Who may call: ops. The gateway checks the role and so does
 * the route, so a request that reaches intake over a binding without an ops caller is refused too.
 */
export const spamRoutes = new Hono<AppEnv<IntakeEnv>>().get("/", requireRole("ops"), validate("query", SpamLogQuery), async (c) => {
  const { limit } = c.req.valid("query");
  const entries = await database(c.env.DB).select().from(schema.spamLog).orderBy(desc(schema.spamLog.createdAt), desc(schema.spamLog.id)).limit(limit).all();
  return c.json({ entries });
});
