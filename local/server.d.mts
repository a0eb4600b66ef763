/** Types for TypeScript callers (vitest globalSetup) of the plain-JS local services. */
export type LocalServices = { port: number; url: string; speech: { ready: boolean; reason: string }; close: () => Promise<void> };
export function startLocalServices(options?: {
  port?: number;
  host?: string;
  dataDir?: string;
  emailApiKey?: string;
  aiApiKey?: string;
}): Promise<LocalServices>;
