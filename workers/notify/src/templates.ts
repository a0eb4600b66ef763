/**
 * One template, every channel's format: the words of copy.ts in the reader's language become an email (a subject, a
 * plain-text body and an HTML body), a Telegram message (its HTML subset), a WhatsApp message (its text, with its
 * formatting marks), and the parameters of a WhatsApp template. Everything a client typed (name, summary) is escaped
 * for each format: Hono's `html` (the platform's one HTML escaping) for the email and Telegram, and the formatting
 * marks neutralised for WhatsApp; the plain text carries it as typed. A request's first draft appears in the HTML
 * email only, formatted by the platform's markdown renderer (raw HTML shown as text, only http(s), mailto and relative
 * links), as on the request page; chats and the plain text, which is also LinkedIn's task, link to it instead.
 * Rendering is pure and deterministic, so a retried send repeats the exact payload and the provider's idempotency key
 * matches it.
 */
import { renderMarkdown } from "@statex/shared/markdown-render";
import type { NotificationKind, NotificationLocale } from "@statex/shared/notifications";
import { html, raw } from "hono/html";
import { type Draft, type TemplateInput, type TemplateName, words } from "./copy";

export type { TemplateInput, TemplateName } from "./copy";

/** One rendered message: each channel takes its own format. */
export type Rendered = {
  template: TemplateName;
  kind: NotificationKind;
  locale: NotificationLocale;
  subject: string;
  /** The email's plain text, also what LinkedIn's manual task holds. */
  text: string;
  html: string;
  /** Telegram's HTML (parse_mode HTML): only its tags, everything else escaped. */
  telegram: string;
  /** WhatsApp's text, its formatting marks neutralised in what the client typed. */
  whatsapp: string;
  /** A WhatsApp template's body parameters: the name, then the link. */
  params: string[];
};

/** What each template is about. */
export const KIND_OF: Record<TemplateName, NotificationKind> = {
  "request-received": "received",
  "request-ready": "ready",
  "request-failed": "failed",
  "verify-email": "account",
  "register-attempt": "account",
  "password-reset": "account",
  "password-changed": "account",
  "role-changed": "account",
  "account-locked": "account",
  "ops-alert": "account",
  "webhook-disabled": "account",
};

/** A chat message holds this much of a summary at most (Telegram and WhatsApp take 4096 characters in all). */
const CHAT_SUMMARY_CHARS = 1_500;

/** What makes formatting in WhatsApp's text: bold, italic, strike-through, monospace. */
const WHATSAPP_MARKS = /[*_~`]/g;
/** Line starts that WhatsApp reads as a quote or a list. */
const WHATSAPP_LINE_MARKS = /^(\s*)(>|-\s|\d+\.\s)/gm;
/** An invisible character that keeps a mark from pairing up with the next, so text shows as typed. */
const WORD_JOINER = "\u2060";

/** What a client typed, safe in WhatsApp's text: no mark of theirs formats anything. */
export function whatsappText(text: string): string {
  return text.replace(WHATSAPP_MARKS, (mark) => `${WORD_JOINER}${mark}${WORD_JOINER}`).replace(WHATSAPP_LINE_MARKS, `$1${WORD_JOINER}$2`);
}

/**
 * A WhatsApp template parameter: Meta refuses new lines, tabs and more than four spaces in a row in one, and a
 * parameter is text, not formatting.
 */
export function whatsappParam(text: string): string {
  return whatsappText(text.replace(/[\r\n\t]+/g, " ").replace(/ {4,}/g, "   ").trim()).slice(0, 1_000);
}

/** Cuts a summary for a chat message at a word, saying where the rest is. */
function chatSummary(summary: string, more: string): string {
  if (summary.length <= CHAT_SUMMARY_CHARS) return summary;
  const cut = summary.slice(0, CHAT_SUMMARY_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), CHAT_SUMMARY_CHARS / 2))}… (${more})`;
}

/** Paragraphs split at blank lines; single line breaks become <br>. */
const paragraphs = (text: string) =>
  text.split(/\n{2,}/).map((p) => html`<p>${p.split("\n").flatMap((line, i) => (i ? [raw("<br>"), line] : [line]))}</p>\n`);

/** A draft's tables, which have no borders of their own, for mail clients that keep a <style> in the head. */
const DRAFT_STYLE = "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}";

function layout(locale: NotificationLocale, title: string, body: unknown[], signature: string, footer: unknown, style = "") {
  return html`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${title}</title>${style ? raw(`<style>${style}</style>`) : ""}</head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem">
${body}<p style="color:#666">${signature}</p>
${footer}</body></html>`;
}

/** The email: plain text and HTML from the same words. */
async function email(d: Draft, v: TemplateInput, locale: NotificationLocale, unsubscribeUrl: string | undefined) {
  const w = words[locale];
  const label = d.linkLabel ?? w.open;
  const text = [
    d.intro,
    d.summary,
    d.url ? `${label}: ${d.url}` : undefined,
    v.telegramLink ? `${w.telegramOffer}: ${v.telegramLink}` : undefined,
    w.signature,
    unsubscribeUrl ? `${w.unsubscribe}: ${unsubscribeUrl}` : undefined,
  ]
    .filter((part): part is string => Boolean(part))
    .join("\n\n");
  const body = await layout(
    locale,
    d.subject,
    [
      paragraphs(d.intro),
      d.summary ? html`<blockquote>${paragraphs(d.summary)}</blockquote>\n` : "",
      d.draft ? html`<h2>${w.firstDraft}</h2>\n${raw(renderMarkdown(d.draft, { siteOrigin: v.siteUrl }).html)}` : "",
      d.url ? html`<p><a href="${d.url}">${label}</a></p>\n` : "",
      v.telegramLink ? html`<p>${w.telegramOffer}: <a href="${v.telegramLink}">${v.telegramLink}</a></p>\n` : "",
    ],
    w.signature,
    unsubscribeUrl ? html`<p style="color:#666;font-size:small"><a href="${unsubscribeUrl}">${w.unsubscribe}</a></p>\n` : "",
    d.draft ? DRAFT_STYLE : "",
  );
  return { text, html: body.toString() };
}

/** Telegram's HTML: bold subject, the words, the summary quoted, the link. Line breaks are kept as they are. */
async function telegram(d: Draft, locale: NotificationLocale): Promise<string> {
  const w = words[locale];
  const parts = [
    html`<b>${d.subject}</b>`,
    html`${d.intro}`,
    d.summary ? html`<blockquote>${chatSummary(d.summary, w.more)}</blockquote>` : undefined,
    d.url ? html`<a href="${d.url}">${d.linkLabel ?? w.open}</a>` : undefined,
  ];
  return (await Promise.all(parts.filter((p) => p !== undefined))).map(String).join("\n\n");
}

/** WhatsApp's text: the subject in bold (our mark), the client's words neutralised, the link as a plain URL. */
function whatsapp(d: Draft, locale: NotificationLocale): string {
  const w = words[locale];
  return [
    `*${whatsappText(d.subject)}*`,
    whatsappText(d.intro),
    d.summary ? whatsappText(chatSummary(d.summary, w.more)) : undefined,
    d.url ? `${whatsappText(d.linkLabel ?? w.open)}: ${d.url}` : undefined,
    w.signature,
  ]
    .filter((part): part is string => Boolean(part))
    .join("\n\n");
}

/**
 * Renders a template for one recipient in their language (English when there is no such translation). An
 * `unsubscribeUrl` adds the one-click unsubscribe line under the email (mail that is not essential).
 */
export async function render(template: TemplateName, input: TemplateInput, locale: NotificationLocale = "en", unsubscribeUrl?: string): Promise<Rendered> {
  const lang = words[locale] ? locale : "en";
  const d = words[lang].draft(template, input);
  const mail = await email(d, input, lang, unsubscribeUrl);
  return {
    template,
    kind: KIND_OF[template],
    locale: lang,
    subject: d.subject,
    text: mail.text,
    html: mail.html,
    telegram: await telegram(d, lang),
    whatsapp: whatsapp(d, lang),
    params: [whatsappParam(input.name || "StateX"), d.url ?? input.siteUrl],
  };
}
