// What logging's test project adds to its env (vitest.config.ts): the local outbox, to read the alerts notify mailed.
declare namespace Cloudflare {
  interface Env {
    OUTBOX_URL: string;
  }
}
