/** The channels a configuration offers: each one whose provider settings (or binding) are there. */
import type { Channel, ChannelName } from "./channels";
import { emailChannel } from "./channels-email";
import { linkedinChannel } from "./channels-linkedin";
import { telegramChannel, telegramConfigured } from "./channels-telegram";
import { whatsappChannel, whatsappConfigured } from "./channels-whatsapp";
import type { DeliveryEnv } from "./env";

/** The channels this configuration offers, by name. LinkedIn needs nothing: it is a task for ops. */
export function availableChannels(env: DeliveryEnv): Partial<Record<ChannelName, Channel>> {
  const email = emailChannel(env);
  return {
    ...(email ? { email } : {}),
    ...(telegramConfigured(env) ? { telegram: telegramChannel(env) } : {}),
    ...(whatsappConfigured(env) ? { whatsapp: whatsappChannel(env) } : {}),
    linkedin: linkedinChannel(env),
  };
}
