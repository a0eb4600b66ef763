import { localServicesSetup } from "../../shared/test/local-services";
import { workerProject } from "../../shared/test/project";
import { scriptedProvidersSetup } from "./test/scripted-providers";

// The real local services run beside the tests: each channel sends through its stand-in (email into the outbox,
// Telegram and WhatsApp as their APIs answer), and the tests read what was sent back from there. A scripted provider
// answers the failure paths each test sets up for itself (see test/scripted-providers.ts).
export default workerProject(import.meta.dirname, {
  globalSetup: [localServicesSetup, scriptedProvidersSetup],
  bindings: (inject) => {
    const base = `http://127.0.0.1:${inject<number>("localServicesPort")}`;
    return {
      EMAIL_API_URL: `${base}/email`,
      TELEGRAM_API_URL: `${base}/telegram`,
      WHATSAPP_API_URL: `${base}/whatsapp`,
      OUTBOX_URL: base,
      SCRIPTED_PROVIDERS_URL: `http://127.0.0.1:${inject<number>("scriptedProvidersPort")}`,
    };
  },
});
