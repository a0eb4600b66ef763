// What notify's vitest config adds to the worker's env: the scripted providers' base URL (test/scripted-providers.ts).
declare namespace Cloudflare {
  interface Env {
    SCRIPTED_PROVIDERS_URL: string;
  }
}
