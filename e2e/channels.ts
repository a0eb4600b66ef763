// The notification channels as a test meets them on the running platform: what the platform recorded of each
// message (ops' GET /api/ops/notifications), what each local stand-in holds and sent back (its own stores: the
// messages with their statuses, the webhook log), the stand-ins' controls, and the client's side of each chat.
import { randomInt } from "node:crypto";
import { devSecretValue } from "../infra/topology.mjs";
import { metaSignature, svixHeaders } from "../local/webhooks.mjs";
import { type Submitted, apiUrl, eventually, localUrl, opsHeaders, tokenOf } from "./helpers";

/** A message as the platform keeps it (one row per message and channel, one per step of the ladder). */
export type Notification = {
  id: string;
  requestId: string | null;
  channel: "email" | "telegram" | "whatsapp" | "linkedin";
  kind: string;
  template: string;
  recipient: string;
  status: string;
  step: number;
  fallbackFrom: string | null;
  attempts: number;
  providerMessageId: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
};

/** A message as a stand-in stored it: what the provider took, and every status it reported since. */
export type StoredMessage = {
  id: string;
  channel: string;
  to: string[];
  subject?: string;
  body: string;
  html?: string;
  requestId?: string;
  time: string;
  status?: string;
  statuses: { status: string; time: string; detail?: string }[];
  idempotencyKey?: string;
  providerMessageId: string;
  details?: { type?: string; template?: { name: string; language: { code: string } }; windowOpen?: boolean; parseMode?: string; entities?: { type: string; offset: number; length: number }[] };
};

/** One webhook a stand-in sent to the platform, with each attempt's answer. */
export type WebhookDelivery = { id: string; channel: string; event: string; state: string; createdAt: string; attempts: { time: string; status?: number; error?: string }[]; payload: unknown };

/** How a stand-in channel behaves (local/controls.mjs). */
export type Control = { mode: "normal" | "fail" | "fail-4xx" | "429" | "no-delivery" | "out-of-order" | "undeliverable"; retryAfter?: number };

const json = { "content-type": "application/json" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls like `eventually`, but at most every 400 ms: ops' routes count against the API's rate limit (600 a minute per
 * network), which a check every 100 ms over a minute-long wait would spend.
 */
export function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  let first = true;
  return eventually(
    what,
    async () => {
      if (!first) await sleep(300);
      first = false;
      return check();
    },
    timeoutMs,
  );
}

/** A fresh, run-unique label for addresses: no test sees another's (or an earlier run's) messages. */
export function unique(label: string): string {
  return `${label}.${Date.now().toString(36)}${randomInt(1_000_000).toString(36)}`;
}

/** A phone number no other test uses, as a client types it (+, country code, digits). */
export function freshPhone(): string {
  return `+49151${String(randomInt(10_000_000)).padStart(7, "0")}`;
}

/** A Telegram chat id no other test uses (a private chat's id is its user's id). */
export function freshChatId(): number {
  return randomInt(1_000_000_000, 9_000_000_000);
}

/** WhatsApp's form of a number: its digits. */
export const digits = (phone: string) => phone.replace(/\D/g, "");

/** A bot link as the platform answers it (the account page's, or a request's). */
export type TelegramLink = { url: string; code: string; expiresAt: string };

/** A client's view of a request's messages (GET /api/requests/:id/notifications): addresses half hidden. */
export type ClientView = {
  requestId: string;
  telegram: { linked: boolean; offered: boolean };
  notifications: (Pick<Notification, "id" | "channel" | "kind" | "status" | "step" | "fallbackFrom" | "attempts"> & { to: string })[];
};

/** A LinkedIn message as ops see the task of sending it by hand. */
export type LinkedinTask = { id: string; notificationId: string; requestId: string | null; profile: string; text: string; status: string; doneBy: string | null; doneAt: string | null };

/**
 * A client on a network of its own: the gateway limits submissions (30 a minute), registrations and API calls per
 * network, so each test calls from its own `cf-connecting-ip`. `auth` signs its calls in as an account.
 */
export function clientAt(ip: string, auth: Record<string, string> = {}) {
  const headers = { "cf-connecting-ip": ip };
  const asClient = { ...headers, ...auth };
  const call = async <T>(method: string, path: string, init: { headers?: Record<string, string>; body?: unknown; status: number }): Promise<T> => {
    const res = await fetch(`${apiUrl()}/api${path}`, {
      method,
      headers: { ...(init.body === undefined ? {} : json), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (res.status !== init.status) throw new Error(`${method} /api${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<T>;
  };
  return {
    /** Registers an account from this network and signs in: the same client, signed in. */
    async signedUp(name: string, email: string) {
      const password = `a long enough passphrase ${unique("pw")}`;
      await call("POST", "/users", { headers, body: { name, email, password }, status: 202 });
      const { accessToken } = await call<{ accessToken: string }>("POST", "/sessions", { headers, body: { email, password }, status: 201 });
      return clientAt(ip, { authorization: `Bearer ${accessToken}` });
    },
    /** The signed-in account's single-use bot link. */
    accountLink: () => call<TelegramLink>("POST", "/me/telegram-link", { headers: asClient, status: 201 }),
    /** A request's single-use bot link, asked for with its status link's token; `status` is what to expect. */
    requestLink: (submitted: Submitted, status = 201) => call<TelegramLink>("POST", `/requests/${submitted.id}/telegram-link?token=${tokenOf(submitted)}`, { headers, status }),
    /** What the status link's holder sees of the request's messages. */
    clientView: (submitted: Submitted, token = tokenOf(submitted)) => call<ClientView>("GET", `/requests/${submitted.id}/notifications?token=${encodeURIComponent(token)}`, { headers, status: 200 }),
    /** Ops' LinkedIn tasks of one status. */
    linkedinTasks: async (status: "open" | "done" | "skipped") => (await call<{ tasks: LinkedinTask[] }>("GET", `/ops/linkedin-tasks?status=${status}`, { headers: { ...(await opsHeaders()), ...headers }, status: 200 })).tasks,
    /** Ops mark a LinkedIn task; answers the status code and body. */
    async markTask(id: string, outcome: "done" | "skipped"): Promise<{ status: number; body: unknown }> {
      const res = await fetch(`${apiUrl()}/api/ops/linkedin-tasks/${encodeURIComponent(id)}`, { method: "POST", headers: { ...json, ...(await opsHeaders()), ...headers }, body: JSON.stringify({ outcome }) });
      return { status: res.status, body: await res.json() };
    },
    /** Submits a request (signed in when the client is); `idempotencyKey` makes a resubmission answer the first. */
    submit: (fields: Record<string, string | string[]>, idempotencyKey?: string) =>
      call<Submitted>("POST", "/requests", { headers: { ...asClient, ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}) }, body: fields, status: 202 }),
    /** What the platform recorded of a request's messages, as ops read it. */
    notifications: async (requestId: string) =>
      (await call<{ notifications: Notification[] }>("GET", `/ops/notifications?requestId=${encodeURIComponent(requestId)}`, { headers: { ...(await opsHeaders()), ...headers }, status: 200 })).notifications,
    /** The `notification.delivered` events the platform published about one message (on its request's timeline), once there is one. */
    deliveredEvents(requestId: string, notificationId: string): Promise<{ id: string }[]> {
      return waitFor(`notification.delivered about ${notificationId} on the request's timeline`, async () => {
        const res = await fetch(`${apiUrl()}/api/ops/timeline/${encodeURIComponent(requestId)}`, { headers: { ...(await opsHeaders()), ...headers } });
        if (!res.ok) throw new Error(`ops' timeline answered ${res.status}: ${await res.text()}`);
        const { entries } = (await res.json()) as { entries: { kind: string; id: string; type?: string; data?: { notificationId?: string } }[] };
        const events = entries.filter((e) => e.kind === "event" && e.type === "notification.delivered" && e.data?.notificationId === notificationId);
        return events.length ? events : undefined;
      });
    },
    /** Posts a body to one of the platform's provider webhooks, as the provider would (raw body, its headers). */
    webhook(provider: "email" | "telegram" | "whatsapp", body: string, extra: Record<string, string>): Promise<Response> {
      return fetch(`${apiUrl()}/api/webhooks/${provider}`, { method: "POST", headers: { ...json, ...headers, ...extra }, body });
    },
  };
}
export type Client = ReturnType<typeof clientAt>;

/**
 * The platform's record of a request's message of one kind on one channel, once `ready` says it is far enough; a
 * timeout says what the records were instead.
 */
export async function recordOf(client: Client, requestId: string, match: Partial<Pick<Notification, "channel" | "template">>, ready: (n: Notification) => boolean, timeoutMs = 20_000): Promise<Notification> {
  let seen: Notification[] = [];
  try {
    return await waitFor(
      `the ${match.template ?? ""} ${match.channel ?? ""} message of ${requestId} to be recorded as wanted`,
      async () => {
        seen = await client.notifications(requestId);
        return seen.find((n) => (!match.channel || n.channel === match.channel) && (!match.template || n.template === match.template) && ready(n));
      },
      timeoutMs,
    );
  } catch (err) {
    const rows = seen.map(({ channel, template, status, step, attempts, error, createdAt, sentAt }) => ({ channel, template, status, step, attempts, error, createdAt, sentAt }));
    throw new Error(`${err instanceof Error ? err.message : String(err)}; the records were ${JSON.stringify(rows)}`, { cause: err });
  }
}

/** What the stand-ins hold, newest first (`to` an address, a number's digits or a chat id). */
export async function stored(filter: { to?: string; channel?: string; requestId?: string }): Promise<StoredMessage[]> {
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(`${localUrl()}/outbox/messages?${query}`);
  if (!res.ok) throw new Error(`the stand-ins' outbox answered ${res.status}`);
  return ((await res.json()) as { messages: StoredMessage[] }).messages;
}

/** Every webhook a stand-in sent to the platform on a channel, oldest first, with each attempt's answer. */
export async function webhooks(channel: "email" | "telegram" | "whatsapp"): Promise<WebhookDelivery[]> {
  const res = await fetch(`${localUrl()}/outbox/webhooks?channel=${channel}&limit=500`);
  if (!res.ok) throw new Error(`the stand-ins' webhook log answered ${res.status}`);
  return ((await res.json()) as { deliveries: WebhookDelivery[] }).deliveries.reverse();
}

/** The webhooks about the message with this provider id (email: data.email_id; WhatsApp: statuses[].id), oldest first. */
export async function webhooksAbout(channel: "email" | "whatsapp", providerMessageId: string): Promise<WebhookDelivery[]> {
  return (await webhooks(channel)).filter((d) => JSON.stringify(d.payload).includes(JSON.stringify(providerMessageId)));
}

type StatusNotification = { entry?: { changes?: { value?: { statuses?: { status: string; timestamp: string }[] } }[] }[] };

/** The statuses the WhatsApp webhooks told, in the order the platform heard them, each with its time and the answer. */
export function whatsappStatuses(deliveries: WebhookDelivery[]): { status: string; at: string; answered: number | undefined }[] {
  return deliveries.flatMap((d) =>
    ((d.payload as StatusNotification).entry ?? [])
      .flatMap((e) => e.changes ?? [])
      .flatMap((c) => c.value?.statuses ?? [])
      .map((s) => ({ status: s.status, at: new Date(Number(s.timestamp) * 1_000).toISOString(), answered: d.attempts.at(-1)?.status })),
  );
}

/** Makes a stand-in channel misbehave; {@link resetControls} makes every channel healthy again. */
export async function setControl(channel: "email" | "telegram" | "whatsapp", control: Control): Promise<void> {
  const res = await fetch(`${localUrl()}/outbox/controls/${channel}`, { method: "PUT", headers: json, body: JSON.stringify(control) });
  if (!res.ok) throw new Error(`the ${channel} control answered ${res.status}: ${await res.text()}`);
}

export async function resetControls(): Promise<void> {
  const res = await fetch(`${localUrl()}/outbox/controls`, { method: "DELETE" });
  if (!res.ok) throw new Error(`resetting the controls answered ${res.status}`);
}

/** The client writes to the bot in Telegram (the stand-in sends the Update to the platform's webhook, with its secret token). */
export async function tellBot(chatId: number, text: string): Promise<{ update: { update_id: number } }> {
  const res = await fetch(`${localUrl()}/telegram/standin/updates`, { method: "POST", headers: json, body: JSON.stringify({ chatId, text }) });
  if (!res.ok) throw new Error(`the Telegram stand-in answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<{ update: { update_id: number } }>;
}

/** The client writes to the business on WhatsApp; resolves once the platform took the stand-in's signed webhook (200). */
export async function writeOnWhatsApp(phone: string, text: string): Promise<void> {
  const res = await fetch(`${localUrl()}/whatsapp/standin/inbound`, { method: "POST", headers: json, body: JSON.stringify({ from: phone, text }) });
  if (!res.ok) throw new Error(`the WhatsApp stand-in answered ${res.status}: ${await res.text()}`);
  const { delivery } = (await res.json()) as { delivery: string };
  await waitFor("the platform to take the client's WhatsApp message", async () => {
    const sent = (await webhooks("whatsapp")).find((d) => d.id === delivery);
    return sent?.attempts.at(-1)?.status === 200 || undefined;
  });
}

/** What the bot said in a chat, oldest first. */
export async function botSaid(chatId: number): Promise<string[]> {
  return (await stored({ channel: "telegram", to: String(chatId) })).map((m) => m.body).reverse();
}

/** The code of the bot's start link in a message (`https://t.me/<bot>?start=<code>`). */
export function startCode(text: string): string | undefined {
  return /https:\/\/t\.me\/\w+\?start=([A-Za-z0-9_-]+)/.exec(text)?.[1];
}

/** Resend's headers for a body, as the email provider signs it (Svix), or signed with another secret or at another time. */
export function svixSigned(body: string, opts: { id?: string; secret?: string; at?: number } = {}): Record<string, string> {
  return svixHeaders(opts.secret ?? devSecretValue("EMAIL_WEBHOOK_SECRET"), opts.id ?? `msg_${unique("e2e")}`, body, opts.at);
}

/** Meta's X-Hub-Signature-256 for a body (with the platform's app secret unless told otherwise). */
export function hubSigned(body: string, secret = devSecretValue("WHATSAPP_APP_SECRET")): Record<string, string> {
  return { "x-hub-signature-256": metaSignature(secret, body) };
}

/** A WhatsApp status notification about one message, as Meta sends it. */
export function whatsappStatus(id: string, status: string, atSeconds: number, recipient: string): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "100000000000002", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550100001", phone_number_id: "100000000000001" }, statuses: [{ id, status, timestamp: String(atSeconds), recipient_id: recipient }] } }] }],
  });
}

