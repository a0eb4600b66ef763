/**
 * An attempt at something guessable or that sends an email (signing in, registering, asking for a reset link or a
 * verification link), counted on its account's throttle and its network's before it is made (./throttle.ts).
 *
 * The account is the normalised email's sha256, so an address without an account is counted and refused just like
 * one with an account, and a refusal tells nobody which it was. The network is `cf-connecting-ip`, which Cloudflare's
 * edge sets on every request (replacing whatever the client sent) and the gateway passes on; a header a client sets,
 * such as `x-real-ip`, is never read. A request without it has not come through the edge (a test calling identity
 * directly), and is counted per account only.
 */
import type { Database } from "@statex/shared/db";
import { ProblemError } from "@statex/shared/errors";
import { sha256Hex } from "@statex/shared/hash";
import { securityEvent } from "./security-events";
import type { Rule } from "./throttle";
import { normalizeEmail } from "./users";

/** Who an attempt is about: the address tried (any case), the account when there is one, the network it came from. */
export type AttemptOf = { email: string; userId?: string | undefined; network: string | null };

/** One counter's count of an admitted attempt: its throttle's name, the rule, and the ticket to settle or give back. */
type Counted = { name: string; rule: Rule; ticket: number };

/** An attempt admitted on each of its counters, the account's first. */
export type Admitted = { counted: Counted[] };

/** The name of an account's throttle: its normalised address's sha256, whether or not it has an account. */
async function accountThrottle(email: string): Promise<string> {
  return `account:${await sha256Hex(normalizeEmail(email))}`;
}

/** The throttles an attempt is counted on, by name: one per account, and one per network when the network is known. */
async function counters(about: AttemptOf, rules: { account: Rule; network: Rule }): Promise<{ name: string; rule: Rule }[]> {
  const account = { name: await accountThrottle(about.email), rule: rules.account };
  return about.network === null ? [account] : [account, { name: `network:${about.network}`, rule: rules.network }];
}

/**
 * Counts an attempt on its account's throttle and its network's, or refuses it with 429 and Retry-After: what one
 * throttle counted is given back when the other refuses, so a refused attempt is never made and costs nothing. The
 * first refusal of each wait is recorded as a security event (`attempt-refused`, with the rule and the wait), and
 * the refusals after it are not, so hammering a refusal cannot fill the table.
 */
export async function admitAttempt(env: IdentityEnv, db: Database, about: AttemptOf, rules: { account: Rule; network: Rule }, now: Date): Promise<Admitted> {
  const wanted = await counters(about, rules);
  const answers = await Promise.all(wanted.map(async (w) => ({ ...w, admission: await env.THROTTLE.getByName(w.name).admit(w.rule, now.getTime()) })));
  const counted = answers.flatMap((a) => (a.admission.admitted ? [{ name: a.name, rule: a.rule, ticket: a.admission.ticket }] : []));
  // The longest wait is the one that counts; the account's lock before any network's budget.
  const refusal = answers
    .flatMap((a) => (a.admission.admitted ? [] : [{ rule: a.rule, ...a.admission }]))
    .sort((x, y) => Number(y.locked) - Number(x.locked) || y.retryAfterS - x.retryAfterS)[0];
  if (!refusal) return { counted };

  await Promise.all(counted.map((c) => env.THROTTLE.getByName(c.name).giveBack(c.ticket)));
  if (refusal.firstRefusal) {
    const until = new Date(now.getTime() + refusal.retryAfterS * 1_000).toISOString();
    const { insert } = await securityEvent(db, "attempt-refused", { email: normalizeEmail(about.email), userId: about.userId, network: about.network, detail: `${refusal.rule} until ${until}` }, now);
    await insert.run();
  }
  const retryAfter = { "retry-after": String(refusal.retryAfterS) };
  if (refusal.locked) {
    throw new ProblemError(429, "sign-in-locked", "Too many wrong passwords for this account: signing in with a password is paused for now. Try again later, or reset your password.", undefined, retryAfter);
  }
  throw new ProblemError(429, "too-many-attempts", `Too many attempts; try again in ${refusal.retryAfterS} seconds`, undefined, retryAfter);
}

/**
 * Tells each throttle how a sign-in ended (see `Throttle.settle`); the end of the account's lock when this failure
 * began one, so its owner is told once.
 */
export async function settleAttempt(env: IdentityEnv, attempt: Admitted, succeeded: boolean, now: Date): Promise<Date | null> {
  const settled = await Promise.all(attempt.counted.map((c) => env.THROTTLE.getByName(c.name).settle(c.rule, c.ticket, succeeded, now.getTime())));
  const lockedUntil = settled[0]?.lockedUntil;
  return lockedUntil === undefined ? null : new Date(lockedUntil);
}

/** Lifts an account's sign-in lock and forgets its guesses, once a reset link proved the address and set a new password. */
export async function forgetGuesses(env: IdentityEnv, email: string): Promise<void> {
  await env.THROTTLE.getByName(await accountThrottle(email)).clear(["sign-in", "sign-in-session"]);
}
