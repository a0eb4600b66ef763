/**
 * Mail that no person wrote: auto-replies, bounces and list traffic. Turning
 * these into requests would answer a robot, and two auto-responders answering
 * each other loop forever (RFC 3834). Recognised by the headers they carry.
 */
import type { Email } from "postal-mime";

/** Why a message is automated, or undefined when a person sent it. */
export function automatedBecause(email: Email, envelopeFrom: string): string | undefined {
  const header = (name: string) => email.headers.find((h) => h.key === name)?.value.trim();
  const autoSubmitted = header("auto-submitted");
  if (autoSubmitted && autoSubmitted.toLowerCase() !== "no") return `Auto-Submitted: ${autoSubmitted}`;
  // An empty Return-Path (or envelope sender) is how bounces are sent (RFC 5321 §4.5.5).
  const returnPath = header("return-path");
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath)) return "empty Return-Path (a bounce)";
  if (envelopeFrom.trim() === "" || envelopeFrom.trim() === "<>") return "empty envelope sender (a bounce)";
  const precedence = header("precedence")?.toLowerCase();
  if (precedence && ["bulk", "junk", "list", "auto_reply"].includes(precedence)) return `Precedence: ${precedence}`;
  if (header("x-autoreply") || header("x-autorespond") || header("x-auto-response-suppress")?.toLowerCase() === "all") return "auto-reply headers";
  if (/^(mailer-daemon|postmaster)@/i.test(envelopeFrom)) return "sent by a mail system";
  const contentType = header("content-type")?.toLowerCase() ?? "";
  if (contentType.startsWith("multipart/report")) return "a delivery report";
  return undefined;
}
