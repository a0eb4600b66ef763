/** Types for TypeScript callers (vitest globalSetup) of the plain-JS local services. */
export type LocalServices = { port: number; url: string; speech: { ready: boolean; reason: string }; close: () => Promise<void> };
export function startLocalServices(options?: {
  port?: number;
  host?: string;
  dataDir?: string;
  emailApiKey?: string;
  aiApiKey?: string;
  chatPieceDelayMs?: number;
  /** Where the channels' webhooks go (the gateway's URL); none when unset. Default: LOCAL_WEBHOOK_BASE. */
  webhookBase?: string;
  /** Values of secrets other than their dev values (TELEGRAM_BOT_TOKEN, WHATSAPP_APP_SECRET, EMAIL_WEBHOOK_SECRET, …). */
  secrets?: Record<string, string>;
  /** Shorter statuses and webhook retries, in ms, for tests. */
  timing?: Partial<{ sentMs: number; deliveredMs: number; readMs: number; attempts: number; retryBaseMs: number; retryCapMs: number; timeoutMs: number }>;
  /** A repeatable random for fail rates and shuffled statuses. */
  random?: () => number;
}): Promise<LocalServices>;
