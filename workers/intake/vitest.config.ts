import path from "node:path";
import { workerProject } from "../../shared/test/project";

// The real orchestrator runs beside intake, so cancel and live progress reach a real RequestJob over OrchestratorApi.
// Smaller file limits than production's, so the limit tests need megabytes, not a hundred of them; still above
// R2's 5 MiB part, so files larger than one part take the multipart path.
export default workerProject(import.meta.dirname, {
  auxiliary: ["orchestrator"],
  globalSetup: [path.join(import.meta.dirname, "fixtures/global-setup.ts")],
  bindings: (inject) => ({
    MAX_FILE_BYTES: String(12 * 1024 * 1024),
    MAX_REQUEST_BYTES: String(16 * 1024 * 1024),
    // The fake siteverify of the global setup; Turnstile stays off until a test sets TURNSTILE_SECRET.
    TURNSTILE_VERIFY_URL: `http://127.0.0.1:${inject<number>("siteverifyPort")}/siteverify`,
  }),
});
