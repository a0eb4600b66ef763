/**
 * WhatsApp through the Cloud API: `POST ${WHATSAPP_API_URL}/v21.0/<WHATSAPP_PHONE_NUMBER_ID>/messages` with the
 * bearer WHATSAPP_TOKEN. Free text may go to a number only within 24 hours of its last message to us (the window,
 * kept from the webhook's inbound messages); outside it, only an approved template (WHATSAPP_TEMPLATES, in one of
 * WHATSAPP_TEMPLATE_LANGUAGES). When Meta says the window is closed although our record says open (error 131047),
 * the template goes at once. Delivery arrives later, as status webhooks (webhook-whatsapp.ts).
 */
import { database, schema } from "@statex/shared/db";
import type { NotificationKind, NotificationLocale } from "@statex/shared/notifications";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Accepted, type Channel, ChannelError, type Outgoing, postJson, retryAfter } from "./channels";
import type { DeliveryEnv } from "./env";
import { pace } from "./pacer";

export type WhatsAppSettings = Pick<
  DeliveryEnv,
  "DB" | "PACER" | "WHATSAPP_API_URL" | "WHATSAPP_PHONE_NUMBER_ID" | "WHATSAPP_TOKEN" | "WHATSAPP_TEMPLATES" | "WHATSAPP_TEMPLATE_LANGUAGES"
>;

/** The Graph API version notify speaks. */
export const GRAPH_VERSION = "v21.0";

/** How long after a client's last message free text may go to them. */
export const WINDOW_MS = 24 * 60 * 60 * 1_000;

const SendAnswer = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const GraphError = z.object({
  error: z.object({ message: z.string().optional(), type: z.string().optional(), code: z.number().int().optional(), error_subcode: z.number().int().optional() }),
});

/** The re-engagement error: more than 24 hours since the client's last message. */
const OUTSIDE_WINDOW = 131047;
/** Graph error codes of its rate limits (the app's, the number's throughput, the pair rate, spam limits). */
const RATE_LIMITED = new Set([4, 80007, 130429, 131048, 131056, 133016]);
/** Graph error codes of a passing fault on Meta's side. */
const PASSING = new Set([1, 2, 131000, 131016]);

/** Whether this configuration has a WhatsApp business number. */
export function whatsappConfigured(env: Partial<WhatsAppSettings>): boolean {
  return Boolean(env.WHATSAPP_API_URL && env.WHATSAPP_PHONE_NUMBER_ID && env.WHATSAPP_TOKEN);
}

/** A number as WhatsApp names it: its digits, country code first, no `+`. */
export function waNumber(phone: string): string {
  return phone.replace(/\D/g, "");
}

/** The approved template for a kind of message, and the language to send it in. */
export function templateFor(env: Pick<WhatsAppSettings, "WHATSAPP_TEMPLATES" | "WHATSAPP_TEMPLATE_LANGUAGES">, kind: NotificationKind, locale: NotificationLocale): { name: string; language: string } | undefined {
  const names = new Map(env.WHATSAPP_TEMPLATES.split(",").map((pair) => pair.trim().split(":") as [string, string | undefined]));
  const name = names.get(kind)?.trim();
  if (!name) return undefined;
  const languages = env.WHATSAPP_TEMPLATE_LANGUAGES.split(",").map((l) => l.trim()).filter(Boolean);
  return { name, language: languages.includes(locale) ? locale : (languages[0] ?? "en") };
}

/** Whether a number wrote to us within the last 24 hours. */
export async function windowOpen(db: D1Database, phone: string, now = Date.now()): Promise<boolean> {
  const row = await database(db).select({ at: schema.whatsappWindows.lastInboundAt }).from(schema.whatsappWindows).where(eq(schema.whatsappWindows.phone, phone)).get();
  return row !== undefined && now - Date.parse(row.at) < WINDOW_MS;
}

/** The refusal in Meta's error shape as a ChannelError: its codes decide whether it passes (rate limits, Meta's faults). */
function graphError(res: Response, json: unknown): ChannelError {
  const parsed = GraphError.safeParse(json);
  const code = parsed.success ? parsed.data.error.code : undefined;
  const status = code !== undefined && RATE_LIMITED.has(code) ? 429 : code !== undefined && PASSING.has(code) && res.status < 500 ? 503 : res.status;
  const detail = parsed.success ? (parsed.data.error.message ?? "no details") : "no details";
  return new ChannelError("whatsapp", status, `whatsapp answered ${res.status}${code ? ` (code ${code})` : ""}: ${detail}`, { retryAfterSeconds: retryAfter(res.headers.get("retry-after")), code });
}

async function post(env: WhatsAppSettings, payload: Record<string, unknown>): Promise<string> {
  const url = `${env.WHATSAPP_API_URL.replace(/\/+$/, "")}/${GRAPH_VERSION}/${env.WHATSAPP_PHONE_NUMBER_ID}/messages`;
  const { res, json } = await postJson("whatsapp", url, { authorization: `Bearer ${env.WHATSAPP_TOKEN}` }, { messaging_product: "whatsapp", recipient_type: "individual", ...payload });
  if (!res.ok) throw graphError(res, json);
  const answer = SendAnswer.safeParse(json);
  if (!answer.success) throw new ChannelError("whatsapp", 502, "whatsapp answered without a message id");
  return answer.data.messages[0]?.id ?? "";
}

function templateMessage(env: WhatsAppSettings, out: Outgoing, to: string): Record<string, unknown> {
  const template = templateFor(env, out.kind, out.message.locale);
  // Without an approved template nothing may reach the number now: refused for good, so the ladder moves on.
  if (!template) throw new ChannelError("whatsapp", 422, `outside the 24-hour window and no approved template for ${out.kind} messages`);
  return {
    to,
    type: "template",
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: "body", parameters: out.message.params.map((text) => ({ type: "text", text })) }],
    },
  };
}

export function whatsappChannel(env: WhatsAppSettings): Channel {
  return {
    name: "whatsapp",
    async send(out): Promise<Accepted> {
      const to = waNumber(out.to);
      // 80 messages a second from the business number; one every 6 seconds to one recipient (the pair rate).
      await pace(env.PACER, `whatsapp:${env.WHATSAPP_PHONE_NUMBER_ID}`, [
        { key: "number", perSecond: 80, burst: 80 },
        { key: `to:${to}`, perSecond: 1 / 6, burst: 1 },
      ]);
      if (!(await windowOpen(env.DB, to))) return { providerMessageId: await post(env, templateMessage(env, out, to)), status: "sent" };
      try {
        return { providerMessageId: await post(env, { to, type: "text", text: { preview_url: false, body: out.message.whatsapp } }), status: "sent" };
      } catch (err) {
        if (!(err instanceof ChannelError && err.code === OUTSIDE_WINDOW)) throw err;
        return { providerMessageId: await post(env, templateMessage(env, out, to)), status: "sent" };
      }
    },
  };
}
