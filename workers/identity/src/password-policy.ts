/**
 * What a new password must be, after NIST SP 800-63B-4 (§3.1.1.2): long rather than complex — at least 15
 * characters, since a password is the only factor here; no rules of character classes; any Unicode, each code
 * point one character — and not one that attackers try first: the 10,000 most common passwords (from
 * @zxcvbn-ts/language-common, see scripts/common-passwords.mjs) or one built on the account's own email address.
 * Existing passwords are never judged again: the rules apply when a password is chosen.
 */
import { ProblemError, validationProblem } from "@statex/shared/errors";
import { z } from "zod";
import common from "./common-passwords.json";

export const MIN_PASSWORD_LENGTH = 15;
/** NIST asks that at least 64 be allowed; the bound keeps a request's body small (the pepper's HMAC takes any length). */
export const MAX_PASSWORD_LENGTH = 200;
/**
 * A local part shorter than this is not looked for: refusing every password that contains "al" because the address is
 * al@… would refuse good passwords and stop nothing.
 */
const MIN_LOCAL_PART = 3;

const COMMON = new Set(common);

/** Why a password may not be anyone's (length, a common password), or undefined when it may. */
export function passwordProblem(password: string): string | undefined {
  const normalised = password.normalize("NFKC");
  const length = [...normalised].length;
  if (length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `at most ${MAX_PASSWORD_LENGTH} characters`;
  if (COMMON.has(normalised.toLowerCase())) return "one of the most common passwords: choose another";
  return undefined;
}

/**
 * A body of the shared API (shared/src/api/identity.ts) with the rules of its new `password` that a schema cannot
 * carry: the length in code points, the common list, and, when the body carries the address, not built on it. It
 * refines the very schema the API document shows, and runs whenever the password is a string, even when another
 * field failed, so that every field's problem is told at once.
 */
export function withPasswordPolicy<T extends z.ZodType<{ password: string; email?: string }>>(body: T): T {
  return body.superRefine(
    (value, ctx) => {
      const message = passwordProblem(value.password);
      if (message) ctx.addIssue({ code: "custom", path: ["password"], message });
      else if (typeof value.email === "string" && containsEmail(value.password, value.email)) ctx.addIssue({ code: "custom", path: ["password"], message: CONTAINS_EMAIL });
    },
    { when: (payload) => typeof (payload.value as { password?: unknown } | undefined)?.password === "string" },
  );
}

/** The email's local part, and its part before a "+tag", lower case: what a password must not contain. */
function localParts(email: string): string[] {
  const local = email.trim().toLowerCase().split("@")[0] ?? "";
  return [...new Set([local, local.split("+")[0] ?? ""])].filter((part) => part.length >= MIN_LOCAL_PART);
}

/** Whether a password is built on the account's own address, which is the first thing a guesser tries. */
export function containsEmail(password: string, email: string): boolean {
  const lower = password.normalize("NFKC").toLowerCase();
  return localParts(email).some((part) => lower.includes(part));
}

export const CONTAINS_EMAIL = "must not contain your email address";

/** 400 naming `password` when it is built on the account's address (for routes that learn the address from D1). */
export function refuseEmailInPassword(password: string, email: string): void {
  if (containsEmail(password, email)) throw validationProblem([{ code: "custom", path: ["password"], message: CONTAINS_EMAIL, input: undefined }]);
}

/**
 * A password asked for again was wrong: 403, not 401, since the caller is signed in and a client that forgets its
 * session on a 401 must not lose it for a typo. Guesses count against the gateway's stricter submission limit (the
 * route table marks these routes `submit`).
 */
export function wrongPassword(field: string): ProblemError {
  return new ProblemError(403, "wrong-password", "The password is not right", [{ field, message: "not your current password" }]);
}
