/**
 * What notify says, per template: a subject, a plain-text body and an HTML body.
 * Everything a client typed (name, summary) is escaped in the HTML (Hono's `html`
 * escapes every value it is given); the text body carries it as is. Rendering is
 * pure and deterministic, so a retried send repeats the exact payload and the
 * provider's idempotency key matches it.
 */
import type { AccountTemplate } from "@statex/shared/account-email";
import { html, raw } from "hono/html";

/** The templates notify knows; stored on each notification row. */
export type TemplateName = "request-received" | "request-ready" | "request-failed" | AccountTemplate;

/** One rendered message, ready for any channel (a chat channel uses `text`). */
export type Rendered = { template: TemplateName; subject: string; text: string; html: string };

/**
 * The values a template may use; `link` is an account email's link (absolute), `linkValidHours` how long it works,
 * `until` when what it tells of ends (ISO).
 */
export type TemplateInput = {
  name: string;
  requestId?: string;
  statusUrl?: string;
  summary?: string;
  siteUrl: string;
  link?: string;
  linkValidHours?: number;
  until?: string;
};

/** Paragraphs split at blank lines; single line breaks become <br>. */
const paragraphs = (text: string) =>
  text.split(/\n{2,}/).map((p) => html`<p>${p.split("\n").flatMap((line, i) => (i ? [raw("<br>"), line] : [line]))}</p>\n`);

function layout(title: string, body: unknown[]) {
  return html`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem">
${body}<p style="color:#666">— The StateX team</p>
</body></html>`;
}

type Draft = { subject: string; intro: string; summary?: string; url?: string; linkLabel?: string };

function draft(template: TemplateName, v: TemplateInput): Draft {
  const ref = v.requestId ? ` (${v.requestId})` : "";
  switch (template) {
    case "request-received":
      return {
        subject: "We received your request",
        intro: `Hello ${v.name},\n\nThank you: we received your request${ref} and are preparing an analysis and a first draft of a solution. We will write again as soon as it is ready, usually within minutes.`,
        url: v.statusUrl,
        linkLabel: "Follow its progress",
      };
    case "request-ready":
      return {
        subject: "Your analysis is ready",
        intro: `Hello ${v.name},\n\nThe analysis of your request${ref} is ready. In short:`,
        summary: v.summary,
        url: v.statusUrl,
        linkLabel: "Read the full analysis and the draft",
      };
    case "request-failed":
      // The internal reason stays in the logs: it may name providers or limits the client cannot act on.
      return {
        subject: "We could not finish your request",
        intro: `Hello ${v.name},\n\nWe are sorry: we could not finish the analysis of your request${ref}. Our team has been told and will look at it. You can see where it stopped here:`,
        url: v.statusUrl,
        linkLabel: "See your request",
      };
    case "verify-email":
      return {
        subject: "Confirm your email address",
        intro: `${greeting(v)}\n\nWelcome to StateX. Please confirm that this address is yours: then your account also shows the requests you sent with it. The link works once, ${validity(v)}.\n\nIf you did not create a StateX account, ignore this email: without the link, nothing happens.`,
        url: v.link,
        linkLabel: "Confirm my email address",
      };
    case "register-attempt":
      // The account's name at most (identity gives it once the address is verified), never the one typed by whoever tried.
      return {
        subject: "Someone tried to create a StateX account with your address",
        intro: `${greeting(v)}\n\nSomeone, perhaps you, tried to create a StateX account with this email address, which already has one. Nothing was changed and no new account was made.\n\nIf it was you, sign in with your password; if you have forgotten it, reset it from the same page. If it was not you, there is nothing to do.`,
        url: v.link,
        linkLabel: "Sign in or reset your password",
      };
    case "password-reset":
      return {
        subject: "Reset your StateX password",
        intro: `${greeting(v)}\n\nSomeone asked to reset the password of your StateX account. To choose a new one, open the link below: it works once, ${validity(v)}, and signs you out everywhere.\n\nIf you did not ask, ignore this email: your password stays as it is.`,
        url: v.link,
        linkLabel: "Choose a new password",
      };
    case "password-changed":
      return {
        subject: "Your StateX password was changed",
        intro: `${greeting(v)}\n\nThe password of your StateX account was just changed, and your other sessions were signed out.\n\nIf you did not change it, reset your password now: the link below sends a reset link to this address.`,
        url: v.link,
        linkLabel: "Reset my password",
      };
    case "role-changed":
      // No role named: whoever reads the inbox learns nothing of the account's powers; the account itself says it (GET /api/me).
      return {
        subject: "Your StateX role was changed",
        intro: `${greeting(v)}\n\nThe StateX team changed the role of your account, and with it what you may do on the platform. Your sessions were signed out: sign in again to carry on.`,
        url: v.link,
        linkLabel: "Sign in",
      };
    case "account-locked":
      // Sent once per lock, whoever guessed: the owner learns that it happened, when it ends, and what to do.
      return {
        subject: "Signing in to your StateX account is paused",
        intro: `${greeting(v)}\n\nSomeone, perhaps you, entered a wrong password for your StateX account too many times, so signing in with the password is paused until ${endOf(v)}. Where you are already signed in, you stay signed in, and can still sign in again with your password.\n\nIf it was not you, choose a new password now: the link below sends a reset link to this address, and a new password ends the pause.`,
        url: v.link,
        linkLabel: "Reset my password",
      };
  }
}

/** An account email greets by name only when identity gave one (see AccountEmail's `name`). */
function greeting(v: TemplateInput): string {
  return v.name ? `Hello ${v.name},` : "Hello,";
}

/** "2026-12-02 20:35 UTC": when something ends, to the minute, rounded up so nobody tries a minute too early. */
function endOf(v: TemplateInput): string {
  const ms = v.until ? Date.parse(v.until) : Number.NaN;
  if (Number.isNaN(ms)) return "a little later";
  return `${new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "for the next 24 hours", from the link's lifetime. */
function validity(v: TemplateInput): string {
  const hours = v.linkValidHours ?? 1;
  return hours === 1 ? "for the next hour" : `for the next ${hours} hours`;
}

/** Renders a template for one recipient. */
export async function render(template: TemplateName, input: TemplateInput): Promise<Rendered> {
  const d = draft(template, input);
  const text = [d.intro, d.summary, d.url ? `${d.linkLabel ?? "Open"}: ${d.url}` : undefined, "— The StateX team"]
    .filter((part): part is string => Boolean(part))
    .join("\n\n");
  const body = await layout(d.subject, [
    paragraphs(d.intro),
    d.summary ? html`<blockquote>${paragraphs(d.summary)}</blockquote>\n` : "",
    d.url ? html`<p><a href="${d.url}">${d.linkLabel ?? "Open"}</a></p>\n` : "",
  ]);
  return { template, subject: d.subject, text, html: body.toString() };
}
