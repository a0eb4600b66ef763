import { workerProject } from "../../shared/test/project";
import { cloudflareApiSetup } from "./test/cloudflare-api";

// A stand-in for Cloudflare's purge API runs beside the tests, so the cloud's purge path (a zone configured) is
// exercised for real; the dev zone stays empty, so every other test purges the local cache.
export default workerProject(import.meta.dirname, {
  globalSetup: [cloudflareApiSetup],
  bindings: (inject) => ({ CF_API_URL: `http://127.0.0.1:${inject<number>("cloudflareApiPort")}/client/v4` }),
});
