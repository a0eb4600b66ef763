/**
 * Who is told what about an event, and on which channels in which order: the ladder's plan. The order is the
 * person's (their account's preferences, else the request's); when they stated none, the messaging apps they gave
 * come first (WhatsApp, then Telegram), email last. Telegram needs a linked chat (a @username cannot be messaged);
 * LinkedIn, a task for ops, only when they asked for it. Account mail is essential and goes by email only
 * (account-emails.ts), outside any ladder.
 */
import { database, schema } from "@statex/shared/db";
import type { Contact, Envelope } from "@statex/shared/events";
import type { LadderRung, NotificationChannel, NotificationKind, NotificationLocale } from "@statex/shared/notifications";
import { statusToken } from "@statex/shared/tokens";
import { eq } from "drizzle-orm";
import { availableChannels } from "./channels-available";
import type { TemplateInput, TemplateName } from "./copy";
import type { DeliveryEnv } from "./env";
import { preferencesFor, savePreferences } from "./preferences";
import { chatFor } from "./telegram-link";
import { KIND_OF } from "./templates";

/** The order when a person stated none: the apps they gave first, email last. */
export const DEFAULT_ORDER: NotificationChannel[] = ["whatsapp", "telegram", "email"];

/** A ladder's template values as stored: the Telegram link is made when the email is rendered, never stored. */
export type LadderInput = Omit<TemplateInput, "telegramLink"> & { offerTelegram?: boolean };

/** What one event tells one person: the template, its values, the language, and the channels to try in order. */
export type Plan = {
  eventId: string;
  correlationId: string;
  requestId?: string | undefined;
  userId?: string | undefined;
  kind: NotificationKind;
  template: TemplateName;
  locale: NotificationLocale;
  rungs: LadderRung[];
  input: LadderInput;
  /** The person opted out of this kind of message: nothing is sent, and the skip is recorded. */
  optedOut: boolean;
};

const requestTemplates = {
  "request.created": "request-received",
  "request.completed": "request-ready",
  "request.failed": "request-failed",
} as const satisfies Record<string, TemplateName>;

/** The channels and addresses, in the order to try them, of everything a person gave and the platform can reach. */
export function ladderOf(addresses: Partial<Record<NotificationChannel, string>>, stated: NotificationChannel[] | null, available: ReadonlySet<NotificationChannel>): LadderRung[] {
  const reachable = (channel: NotificationChannel) => available.has(channel) && Boolean(addresses[channel]);
  const rungs = (order: NotificationChannel[]) => [...new Set(order)].filter(reachable).map((channel) => ({ channel, address: addresses[channel] ?? "" }));
  const chosen = rungs(stated ?? DEFAULT_ORDER);
  // A stated order that reaches no one would leave the person without their message: email, which they always give, then.
  return chosen.length || !stated ? chosen : rungs(["email"]);
}

/** The plan for an event, or undefined when the event tells no one anything. */
export async function planFor(event: Envelope, env: DeliveryEnv): Promise<Plan | undefined> {
  if (event.type !== "request.created" && event.type !== "request.completed" && event.type !== "request.failed") return undefined;
  const { requestId, contact } = event.data;
  const fromEvent = event.type === "request.created" ? event.data.userId : undefined;
  const userId = fromEvent ?? (await ownerOf(env, requestId));
  // What the form asked for is the request's own preference, kept for its later messages too.
  if (event.type === "request.created" && event.data.preferences) await savePreferences(env.DB, { requestId }, event.data.preferences);
  const prefs = await preferencesFor(env.DB, requestId, userId);
  const template = requestTemplates[event.type];
  const kind = KIND_OF[template];
  const chat = await chatFor(env, requestId, userId);
  const addresses = addressesOf(contact, { whatsapp: prefs.whatsapp, linkedin: prefs.linkedin, telegram: chat });
  const available = new Set(Object.keys(availableChannels(env)) as NotificationChannel[]);
  const rungs = ladderOf(addresses, prefs.channels, available);

  const siteUrl = env.SITE_URL.replace(/\/+$/, "");
  const statusUrl = `${siteUrl}/request.html?id=${encodeURIComponent(requestId)}&token=${await statusToken(env.STATUS_TOKEN_SECRET, requestId)}`;
  // Someone who gave a Telegram name but has no linked chat is offered the bot in the first email.
  const offerTelegram = kind === "received" && Boolean(contact.telegram) && !chat && available.has("telegram");
  const input: LadderInput = {
    name: contact.name,
    requestId,
    siteUrl,
    statusUrl,
    ...(event.type === "request.completed" ? { summary: event.data.summary, ...(event.data.draft ? { draft: event.data.draft } : {}) } : {}),
    ...(offerTelegram ? { offerTelegram } : {}),
  };
  return {
    eventId: event.id,
    correlationId: event.correlationId,
    requestId,
    userId,
    kind,
    template,
    locale: prefs.locale ?? "en",
    rungs,
    input,
    optedOut: prefs.optOuts.includes(kind),
  };
}

/** The addresses a request's contact and its owner's preferences give, per channel. */
function addressesOf(contact: Contact, extra: { whatsapp: string | null; linkedin: string | null; telegram: string | undefined }): Partial<Record<NotificationChannel, string>> {
  const whatsapp = extra.whatsapp ?? contact.whatsapp;
  const linkedin = extra.linkedin ?? contact.linkedin;
  return {
    email: contact.email,
    ...(whatsapp ? { whatsapp } : {}),
    ...(extra.telegram ? { telegram: extra.telegram } : {}),
    ...(linkedin ? { linkedin } : {}),
  };
}

/** The account a request belongs to (request.completed and .failed do not carry it). */
export async function ownerOf(env: DeliveryEnv, requestId: string): Promise<string | undefined> {
  const { requests } = schema;
  const row = await database(env.DB).select({ userId: requests.userId }).from(requests).where(eq(requests.id, requestId)).get();
  return row?.userId ?? undefined;
}
