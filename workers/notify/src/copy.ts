/**
 * What notify says, in each language it writes: per template a subject, an introduction, and the link's label; plus
 * the few lines every message shares. Plain text only: templates.ts puts it into each channel's format and escapes
 * it there. A template missing in a language is a type error, so no client gets half a translation.
 */
import type { AccountTemplate } from "@statex/shared/account-email";
import type { NotificationKind, NotificationLocale } from "@statex/shared/notifications";

/** The templates notify knows; stored on each notification row. */
export type TemplateName = "request-received" | "request-ready" | "request-failed" | AccountTemplate;

/**
 * The values a template may use; `link` is an account email's link (absolute), `linkValidHours` how long it works,
 * `until` when what it tells of ends (ISO), `telegramLink` a `t.me` link that links the reader's Telegram chat.
 */
export type TemplateInput = {
  name: string;
  requestId?: string;
  statusUrl?: string;
  summary?: string;
  /** A request's first draft, markdown. */
  draft?: string;
  siteUrl: string;
  link?: string;
  linkValidHours?: number;
  until?: string;
  telegramLink?: string;
};

/** One message in words, before any channel's format. */
export type Draft = { subject: string; intro: string; summary?: string; draft?: string; url?: string; linkLabel?: string };

/** The words of one language. */
export type Words = {
  draft(template: TemplateName, v: TemplateInput): Draft;
  /** The signature under every message. */
  signature: string;
  /** The default label of a link. */
  open: string;
  /** Offers the Telegram link to someone who gave a Telegram name but has not linked a chat. */
  telegramOffer: string;
  /** Under a non-essential email: how to receive no more of its kind. */
  unsubscribe: string;
  /** Says that a summary was cut short for a chat message. */
  more: string;
  /** The heading over a request's first draft in the "ready" email. */
  firstDraft: string;
  /** The unsubscribe page: what each kind of message is, the question, its button, and the answer. */
  kinds: Record<Exclude<NotificationKind, "account">, string>;
  unsubscribeQuestion(kind: string): string;
  unsubscribeButton: string;
  unsubscribed(kind: string): string;
  /** What the bot answers in a chat. */
  bot: { linked: string; used: string; expired: string; unknown: string; stopped: string; help: string };
};

/** "2026-12-02 20:35 UTC": when something ends, to the minute, rounded up so nobody tries a minute too early. */
function endOf(v: TemplateInput): string | undefined {
  const ms = v.until ? Date.parse(v.until) : Number.NaN;
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const hours = (v: TemplateInput) => v.linkValidHours ?? 1;
const ref = (v: TemplateInput) => (v.requestId ? ` (${v.requestId})` : "");

const en: Words = {
  signature: "— The StateX team",
  open: "Open",
  telegramOffer: "Would you rather get these messages on Telegram? Open this link and press Start",
  unsubscribe: "To receive no more messages like this one",
  more: "The whole text is on your request's page.",
  firstDraft: "Your first draft",
  kinds: { received: "messages that we received a request", ready: "messages that an analysis is ready", failed: "messages that a request could not be finished" },
  unsubscribeQuestion: (kind) => `Receive no more ${kind} from StateX?`,
  unsubscribeButton: "Unsubscribe",
  unsubscribed: (kind) => `Done: you will receive no more ${kind}. You can change this on your account page at any time.`,
  bot: {
    linked: "Linked: StateX will send your messages to this chat. Send /stop to unlink it.",
    used: "This link was used already. Open a new one from your StateX account page.",
    expired: "This link has expired. Open a new one from your StateX account page.",
    unknown: "This link is not known. Open a new one from your StateX account page.",
    stopped: "Unlinked: StateX will send nothing more to this chat.",
    help: "To receive StateX messages here, open the Telegram link on your StateX account page or in our email.",
  },
  draft(template, v) {
    // An account email greets by name only when identity gave one (see AccountEmail's `name`).
    const greeting = v.name ? `Hello ${v.name},` : "Hello,";
    const validity = hours(v) === 1 ? "for the next hour" : `for the next ${hours(v)} hours`;
    switch (template) {
      case "request-received":
        return {
          subject: "We received your request",
          intro: `Hello ${v.name},\n\nThank you: we received your request${ref(v)} and are preparing an analysis and a first draft of a solution. We will write again as soon as it is ready, usually within minutes.`,
          url: v.statusUrl,
          linkLabel: "Follow its progress",
        };
      case "request-ready":
        return {
          subject: "Your analysis is ready",
          intro: `Hello ${v.name},\n\nThe analysis of your request${ref(v)} is ready. In short:`,
          summary: v.summary,
          draft: v.draft,
          url: v.statusUrl,
          linkLabel: "Read the full analysis and the draft",
        };
      case "request-failed":
        // The internal reason stays in the logs: it may name providers or limits the client cannot act on.
        return {
          subject: "We could not finish your request",
          intro: `Hello ${v.name},\n\nWe are sorry: we could not finish the analysis of your request${ref(v)}. Our team has been told and will look at it. You can see where it stopped here:`,
          url: v.statusUrl,
          linkLabel: "See your request",
        };
      case "verify-email":
        return {
          subject: "Confirm your email address",
          intro: `${greeting}\n\nWelcome to StateX. Please confirm that this address is yours: then your account also shows the requests you sent with it. The link works once, ${validity}.\n\nIf you did not create a StateX account, ignore this email: without the link, nothing happens.`,
          url: v.link,
          linkLabel: "Confirm my email address",
        };
      case "register-attempt":
        // The account's name at most (identity gives it once the address is verified), never the one typed by whoever tried.
        return {
          subject: "Someone tried to create a StateX account with your address",
          intro: `${greeting}\n\nSomeone, perhaps you, tried to create a StateX account with this email address, which already has one. Nothing was changed and no new account was made.\n\nIf it was you, sign in with your password; if you have forgotten it, reset it from the same page. If it was not you, there is nothing to do.`,
          url: v.link,
          linkLabel: "Sign in or reset your password",
        };
      case "password-reset":
        return {
          subject: "Reset your StateX password",
          intro: `${greeting}\n\nSomeone asked to reset the password of your StateX account. To choose a new one, open the link below: it works once, ${validity}, and signs you out everywhere.\n\nIf you did not ask, ignore this email: your password stays as it is.`,
          url: v.link,
          linkLabel: "Choose a new password",
        };
      case "password-changed":
        return {
          subject: "Your StateX password was changed",
          intro: `${greeting}\n\nThe password of your StateX account was just changed, and your other sessions were signed out.\n\nIf you did not change it, reset your password now: the link below sends a reset link to this address.`,
          url: v.link,
          linkLabel: "Reset my password",
        };
      case "role-changed":
        // No role named: whoever reads the inbox learns nothing of the account's powers; the account itself says it (GET /api/me).
        return {
          subject: "Your StateX role was changed",
          intro: `${greeting}\n\nThe StateX team changed the role of your account, and with it what you may do on the platform. Your sessions were signed out: sign in again to carry on.`,
          url: v.link,
          linkLabel: "Sign in",
        };
      case "account-locked":
        // Sent once per lock, whoever guessed: the owner learns that it happened, when it ends, and what to do.
        return {
          subject: "Signing in to your StateX account is paused",
          intro: `${greeting}\n\nSomeone, perhaps you, entered a wrong password for your StateX account too many times, so signing in with the password is paused until ${endOf(v) ?? "a little later"}. Where you are already signed in, you stay signed in, and can still sign in again with your password.\n\nIf it was not you, choose a new password now: the link below sends a reset link to this address, and a new password ends the pause.`,
          url: v.link,
          linkLabel: "Reset my password",
        };
      case "ops-alert":
        // To the ops address, from the logging worker's alert rules: once when an alert fires, once when it resolves.
        return { subject: `StateX alert: ${(v.summary ?? "").split("\n")[0]?.slice(0, 120)}`, intro: "An alert rule of the platform changed state.", summary: v.summary, url: v.link, linkLabel: "Open the ops console" };
      case "webhook-disabled":
        // Essential: an integration that stopped hearing of its requests must learn why; the summary names the endpoint.
        return {
          subject: "A StateX webhook endpoint was disabled",
          intro: `${greeting}\n\nEvery delivery to one of your webhook endpoints has failed for days, so we stopped sending to it. Deliveries made meanwhile are listed with each attempt's answer; once the endpoint answers again, enable it and re-send what it missed.`,
          summary: v.summary,
          url: v.link,
          linkLabel: "Open your account",
        };
    }
  },
};

const de: Words = {
  signature: "— Ihr StateX-Team",
  open: "Öffnen",
  telegramOffer: "Möchten Sie diese Nachrichten lieber über Telegram erhalten? Öffnen Sie diesen Link und tippen Sie auf Start",
  unsubscribe: "Um keine Nachrichten dieser Art mehr zu erhalten",
  more: "Den ganzen Text finden Sie auf der Seite Ihrer Anfrage.",
  firstDraft: "Ihr erster Entwurf",
  kinds: {
    received: "Nachrichten, dass wir eine Anfrage erhalten haben",
    ready: "Nachrichten, dass eine Analyse fertig ist",
    failed: "Nachrichten, dass eine Anfrage nicht abgeschlossen werden konnte",
  },
  unsubscribeQuestion: (kind) => `Keine ${kind} mehr von StateX erhalten?`,
  unsubscribeButton: "Abbestellen",
  unsubscribed: (kind) => `Erledigt: Sie erhalten keine ${kind} mehr. Auf Ihrer Kontoseite können Sie das jederzeit ändern.`,
  bot: {
    linked: "Verbunden: StateX sendet Ihre Nachrichten an diesen Chat. Mit /stop heben Sie die Verbindung auf.",
    used: "Dieser Link wurde schon benutzt. Öffnen Sie einen neuen auf Ihrer StateX-Kontoseite.",
    expired: "Dieser Link ist abgelaufen. Öffnen Sie einen neuen auf Ihrer StateX-Kontoseite.",
    unknown: "Dieser Link ist unbekannt. Öffnen Sie einen neuen auf Ihrer StateX-Kontoseite.",
    stopped: "Getrennt: StateX sendet nichts mehr an diesen Chat.",
    help: "Um StateX-Nachrichten hier zu erhalten, öffnen Sie den Telegram-Link auf Ihrer StateX-Kontoseite oder in unserer E-Mail.",
  },
  draft(template, v) {
    const greeting = v.name ? `Hallo ${v.name},` : "Hallo,";
    const validity = hours(v) === 1 ? "in der nächsten Stunde" : `in den nächsten ${hours(v)} Stunden`;
    switch (template) {
      case "request-received":
        return {
          subject: "Wir haben Ihre Anfrage erhalten",
          intro: `Hallo ${v.name},\n\nvielen Dank: Wir haben Ihre Anfrage${ref(v)} erhalten und bereiten eine Analyse und einen ersten Lösungsentwurf vor. Sobald er fertig ist, melden wir uns wieder, meist innerhalb weniger Minuten.`,
          url: v.statusUrl,
          linkLabel: "Den Fortschritt verfolgen",
        };
      case "request-ready":
        return {
          subject: "Ihre Analyse ist fertig",
          intro: `Hallo ${v.name},\n\ndie Analyse Ihrer Anfrage${ref(v)} ist fertig. Kurz gesagt:`,
          summary: v.summary,
          draft: v.draft,
          url: v.statusUrl,
          linkLabel: "Die ganze Analyse und den Entwurf lesen",
        };
      case "request-failed":
        return {
          subject: "Wir konnten Ihre Anfrage nicht abschließen",
          intro: `Hallo ${v.name},\n\nes tut uns leid: Wir konnten die Analyse Ihrer Anfrage${ref(v)} nicht abschließen. Unser Team ist informiert und kümmert sich darum. Hier sehen Sie, wo sie stehen geblieben ist:`,
          url: v.statusUrl,
          linkLabel: "Ihre Anfrage ansehen",
        };
      case "verify-email":
        return {
          subject: "Bestätigen Sie Ihre E-Mail-Adresse",
          intro: `${greeting}\n\nwillkommen bei StateX. Bitte bestätigen Sie, dass diese Adresse Ihnen gehört: Dann zeigt Ihr Konto auch die Anfragen, die Sie mit ihr gesendet haben. Der Link funktioniert einmal, ${validity}.\n\nWenn Sie kein StateX-Konto angelegt haben, ignorieren Sie diese E-Mail: Ohne den Link geschieht nichts.`,
          url: v.link,
          linkLabel: "Meine E-Mail-Adresse bestätigen",
        };
      case "register-attempt":
        return {
          subject: "Jemand wollte mit Ihrer Adresse ein StateX-Konto anlegen",
          intro: `${greeting}\n\njemand, vielleicht Sie, wollte mit dieser E-Mail-Adresse ein StateX-Konto anlegen, obwohl sie schon eines hat. Es wurde nichts geändert und kein neues Konto angelegt.\n\nWaren Sie es, melden Sie sich mit Ihrem Passwort an; haben Sie es vergessen, setzen Sie es auf derselben Seite zurück. Waren Sie es nicht, ist nichts zu tun.`,
          url: v.link,
          linkLabel: "Anmelden oder Passwort zurücksetzen",
        };
      case "password-reset":
        return {
          subject: "Ihr StateX-Passwort zurücksetzen",
          intro: `${greeting}\n\njemand hat verlangt, das Passwort Ihres StateX-Kontos zurückzusetzen. Um ein neues zu wählen, öffnen Sie den Link unten: Er funktioniert einmal, ${validity}, und meldet Sie überall ab.\n\nHaben Sie nichts verlangt, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.`,
          url: v.link,
          linkLabel: "Ein neues Passwort wählen",
        };
      case "password-changed":
        return {
          subject: "Ihr StateX-Passwort wurde geändert",
          intro: `${greeting}\n\ndas Passwort Ihres StateX-Kontos wurde soeben geändert, und Ihre anderen Sitzungen wurden abgemeldet.\n\nHaben Sie es nicht geändert, setzen Sie Ihr Passwort jetzt zurück: Der Link unten sendet einen Link zum Zurücksetzen an diese Adresse.`,
          url: v.link,
          linkLabel: "Mein Passwort zurücksetzen",
        };
      case "role-changed":
        return {
          subject: "Ihre StateX-Rolle wurde geändert",
          intro: `${greeting}\n\ndas StateX-Team hat die Rolle Ihres Kontos geändert und damit, was Sie auf der Plattform tun dürfen. Ihre Sitzungen wurden abgemeldet: Melden Sie sich erneut an, um weiterzumachen.`,
          url: v.link,
          linkLabel: "Anmelden",
        };
      case "account-locked":
        return {
          subject: "Die Anmeldung bei Ihrem StateX-Konto ist pausiert",
          intro: `${greeting}\n\njemand, vielleicht Sie, hat zu oft ein falsches Passwort für Ihr StateX-Konto eingegeben, daher ist die Anmeldung mit dem Passwort bis ${endOf(v) ?? "etwas später"} pausiert. Wo Sie schon angemeldet sind, bleiben Sie angemeldet und können sich dort auch wieder mit Ihrem Passwort anmelden.\n\nWaren Sie es nicht, wählen Sie jetzt ein neues Passwort: Der Link unten sendet einen Link zum Zurücksetzen an diese Adresse, und ein neues Passwort beendet die Pause.`,
          url: v.link,
          linkLabel: "Mein Passwort zurücksetzen",
        };
      case "ops-alert":
        return { subject: `StateX-Alarm: ${(v.summary ?? "").split("\n")[0]?.slice(0, 120)}`, intro: "Eine Alarmregel der Plattform hat ihren Zustand geändert.", summary: v.summary, url: v.link, linkLabel: "Die Ops-Konsole öffnen" };
      case "webhook-disabled":
        return {
          subject: "Ein StateX-Webhook-Endpunkt wurde deaktiviert",
          intro: `${greeting}\n\nalle Zustellungen an einen Ihrer Webhook-Endpunkte sind seit Tagen fehlgeschlagen, daher senden wir nicht mehr dorthin. Die Zustellungen aus dieser Zeit sind mit der Antwort jedes Versuchs aufgeführt; sobald der Endpunkt wieder antwortet, aktivieren Sie ihn und senden Sie erneut, was ihm entgangen ist.`,
          summary: v.summary,
          url: v.link,
          linkLabel: "Ihr Konto öffnen",
        };
    }
  },
};

/** The words of each language notify writes in. */
export const words: Record<NotificationLocale, Words> = { en, de };
