import { workerProject } from "../../shared/test/project";

// Every service the gateway routes to runs beside it, so its bindings reach the real workers.
export default workerProject(import.meta.dirname, {
  d1: false,
  auxiliary: ["intake", "identity", "orchestrator", "ai", "notify", "content", "logging"],
});
