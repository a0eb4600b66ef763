import { localServicesSetup } from "../../shared/test/local-services";
import { workerProject } from "../../shared/test/project";

// The channels' circuit breakers against the real local stand-ins switched to fail: a project of its own, with its own
// local services, since their controls are one switch per channel that notify's other test files would share. A
// few seconds' cool-down: long enough for the sends a test makes while open, short enough to wait out its probes.
export default workerProject(import.meta.dirname, {
  globalSetup: [localServicesSetup],
  bindings: (inject) => {
    const base = `http://127.0.0.1:${inject<number>("localServicesPort")}`;
    return { EMAIL_API_URL: `${base}/email`, TELEGRAM_API_URL: `${base}/telegram`, WHATSAPP_API_URL: `${base}/whatsapp`, OUTBOX_URL: base, BREAKER_COOLDOWN_SECONDS: "3" };
  },
  variant: { name: "notify-breakers", include: ["test-breakers/**/*.test.ts"] },
});
