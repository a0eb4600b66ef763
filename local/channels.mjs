// The three notification channels' stand-ins (email, Telegram, WhatsApp) and what they
// share: the outbox they store into, the controls that make them misbehave, the clock
// their statuses follow and the webhooks they send back to the platform.
//
//   GET /outbox/channels   each channel's state for the outbox page: webhook targets, handshake, known chats,
//                          open WhatsApp windows, and the controls
import { devSecretValue } from "../infra/topology.mjs";
import { registerControls } from "./controls.mjs";
import { sendJson } from "./router.mjs";
import { registerEmail } from "./services/email.mjs";
import { registerTelegram } from "./services/telegram.mjs";
import { registerWhatsApp } from "./services/whatsapp.mjs";
import { registerWebhookLog } from "./webhooks.mjs";

/**
 * What every channel stand-in is given.
 * @typedef {{ outbox: ReturnType<typeof import("./store.mjs").openOutbox>, controls: ReturnType<typeof import("./controls.mjs").createControls>,
 *   webhooks: ReturnType<typeof import("./webhooks.mjs").createWebhooks>, scheduler: ReturnType<typeof import("./webhooks.mjs").createScheduler>,
 *   timing: typeof import("./webhooks.mjs").DEFAULT_TIMING, dataDir: string, webhookUrl?: string }} ChannelDeps
 */

/**
 * Registers the channels. `secret(name)` gives a secret's value (its dev value unless a test overrides it), the same
 * values the notify worker is configured with; `webhookBase` is the gateway's URL, or undefined to send no webhooks
 * (the delivery log then says so).
 * @param {ReturnType<typeof import("./router.mjs").createRouter>} router
 * @param {Omit<ChannelDeps, "webhookUrl"> & { emailApiKey?: string, secret?: (name: string) => string, webhookBase?: string }} deps
 */
export function registerChannels(router, { emailApiKey, secret = devSecretValue, webhookBase, ...deps }) {
  const base = webhookBase?.replace(/\/+$/, "");
  const target = (channel) => (base ? `${base}/api/webhooks/${channel}` : undefined);
  registerEmail(router, { ...deps, apiKey: emailApiKey ?? secret("EMAIL_API_KEY"), webhookUrl: target("email"), webhookSecret: secret("EMAIL_WEBHOOK_SECRET") });
  const telegram = registerTelegram(router, { ...deps, botToken: secret("TELEGRAM_BOT_TOKEN") });
  const whatsapp = registerWhatsApp(router, {
    ...deps,
    webhookUrl: target("whatsapp"),
    token: secret("WHATSAPP_TOKEN"),
    appSecret: secret("WHATSAPP_APP_SECRET"),
    verifyToken: secret("WHATSAPP_VERIFY_TOKEN"),
  });
  registerControls(router, deps.controls);

  const describe = () => ({
    email: { webhook: target("email") ?? null },
    telegram: telegram.describe(),
    whatsapp: whatsapp.describe(),
  });
  registerWebhookLog(router, deps.webhooks, describe);
  router.on("GET", "/outbox/channels", ({ res }) => sendJson(res, 200, { ...describe(), controls: deps.controls.all() }));
}
