// What identity's test project adds to its env (vitest.config.ts): the local outbox, to read the emails notify sent.
declare namespace Cloudflare {
  interface Env {
    OUTBOX_URL: string;
  }
}
