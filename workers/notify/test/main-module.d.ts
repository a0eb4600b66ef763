// Types `exports` from "cloudflare:workers" in this worker's tests (NotifyApi's RPC). Not in
// worker-configuration.d.ts, which callers include for typed RPC and which must not claim to be their main module.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
}
