import { localServicesSetup } from "../../shared/test/local-services";
import { workerProject } from "../../shared/test/project";

// The real notify runs beside logging, so an alert goes over NotifyApi through the Resend-compatible API into the
// local outbox, where the alert test reads it as ops would find it.
export default workerProject(import.meta.dirname, {
  globalSetup: [localServicesSetup],
  auxiliary: [
    {
      name: "notify",
      bindings: (inject) => {
        const base = `http://127.0.0.1:${inject<number>("localServicesPort")}`;
        return { EMAIL_API_URL: `${base}/email`, OUTBOX_URL: base };
      },
    },
  ],
  bindings: (inject) => ({ OUTBOX_URL: `http://127.0.0.1:${inject<number>("localServicesPort")}` }),
});
