/**
 * Email intake: a message sent to the intake address becomes a request with
 * channel `email`. Its attachments go to R2 under the same type rules as web
 * uploads. Refusals say why (the sender's server turns the reason into a
 * bounce); automated mail is recognised and not turned into a request. Mail
 * whose sender the receiving server could not authenticate is held for ops
 * (the spam log) before anything else is decided: neither an answer nor a
 * bounce goes to an address that may be forged.
 */
import { database } from "@statex/shared/db";
import type { StoredFile } from "@statex/shared/events";
import type { Logger } from "@statex/shared/logger";
import { newId } from "@statex/shared/ids";
import PostalMime from "postal-mime";
import { z } from "zod";
import { createRequest } from "../create";
import { isRefusal, storeBytes } from "../files/store";
import { logSpam } from "../spam";
import { senderVerdict } from "./authentication";
import { automatedBecause } from "./automated";
import { htmlToText } from "./text";

export type EmailOutcome =
  | { status: "accepted"; requestId: string }
  | { status: "rejected"; reason: string }
  | { status: "ignored"; reason: string }
  /** Kept in the spam log for ops; the sender is not answered (their address may be forged). */
  | { status: "held"; reason: string };

const Sender = z.email();

export type IncomingEmail = { from: string; to: string; raw: ArrayBuffer };

function limits(env: IntakeEnv) {
  return { message: Number(env.MAX_EMAIL_BYTES), file: Number(env.MAX_FILE_BYTES), files: Number(env.MAX_FILES) };
}

export async function receiveEmail(env: IntakeEnv, ctx: Pick<ExecutionContext, "waitUntil">, log: Logger, mail: IncomingEmail): Promise<EmailOutcome> {
  const max = limits(env);
  if (mail.raw.byteLength > max.message) return { status: "rejected", reason: `message larger than ${max.message} bytes` };
  const email = await PostalMime.parse(mail.raw);
  const verdict = senderVerdict(email.headers);
  if (verdict.checked && !verdict.authenticated) {
    // Not a rejection: a relay that took the message would bounce the rejection to the forged envelope sender.
    const reason = `email sender not authenticated (${verdict.summary}): held, not answered`;
    const claimed = email.from && "address" in email.from && email.from.address ? email.from.address : mail.from;
    const excerpt = [email.subject?.trim(), email.text?.trim()].filter(Boolean).join(" — ");
    await logSpam(env.DB, { reason, channel: "email", email: claimed, excerpt });
    log.warn("email held: sender not authenticated", { verdict: verdict.summary, messageId: email.messageId });
    return { status: "held", reason };
  }
  const automated = automatedBecause(email, mail.from);
  if (automated) {
    log.info("automated email not turned into a request", { reason: automated, messageId: email.messageId });
    return { status: "ignored", reason: automated };
  }
  const from = email.from && "address" in email.from && email.from.address ? email.from : { name: "", address: mail.from };
  const sender = Sender.safeParse(from.address);
  if (!sender.success) return { status: "rejected", reason: "the sender's address is not valid" };

  const body = (email.text?.trim() || (email.html ? await htmlToText(email.html) : "")).slice(0, Number(env.MAX_TEXT_CHARS));
  const subject = email.subject?.trim() ?? "";
  const attachments = email.attachments.filter((a) => a.disposition !== "inline" || a.filename);
  if (!body && !attachments.length) return { status: "rejected", reason: "the message has no text and no attachments" };
  if (attachments.length > max.files) return { status: "rejected", reason: `more than ${max.files} attachments` };

  const requestId = newId("req");
  const files: StoredFile[] = [];
  try {
    for (const [i, a] of attachments.entries()) {
      const bytes = typeof a.content === "string" ? new TextEncoder().encode(a.content) : new Uint8Array(a.content);
      const stored = await storeBytes(env.FILES, requestId, a.filename ?? `attachment-${i + 1}`, bytes, max.file);
      if (isRefusal(stored)) {
        await removeAll(env.FILES, files);
        return { status: "rejected", reason: `attachment "${stored.file}": ${stored.reason}` };
      }
      files.push(stored);
    }
    const text = [subject, body].filter(Boolean).join("\n\n") || "(see the attached files)";
    const name = from.name.trim() || sender.data.split("@")[0] || sender.data;
    await createRequest(database(env.DB), env, ctx, log, { id: requestId, channel: "email", contact: { name: name.slice(0, 200), email: sender.data }, text, files });
    return { status: "accepted", requestId };
  } catch (err) {
    // Nothing half-written: the files of a request that was not created are removed.
    await removeAll(env.FILES, files);
    throw err;
  }
}

async function removeAll(bucket: R2Bucket, files: StoredFile[]): Promise<void> {
  if (files.length) await bucket.delete(files.map((f) => f.key));
}
