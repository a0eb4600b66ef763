import { localServicesSetup } from "../../shared/test/local-services";
import { workerProject } from "../../shared/test/project";

// The real local services run beside the tests: emails go through the Resend-compatible
// API into the outbox, and the tests read them back from there.
export default workerProject(import.meta.dirname, {
  globalSetup: [localServicesSetup],
  bindings: (inject) => {
    const base = `http://127.0.0.1:${inject<number>("localServicesPort")}`;
    return { EMAIL_API_URL: `${base}/email`, OUTBOX_URL: base };
  },
});
