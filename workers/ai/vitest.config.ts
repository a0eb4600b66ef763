import { aiFixturesSetup } from "../../shared/test/ai-fixtures";
import { localServicesSetup } from "../../shared/test/local-services";
import { workerProject } from "../../shared/test/project";

// The real orchestrator runs beside ai, so reports travel the real service binding to a real job.
// The tests also reach the orchestrator's D1 (to migrate it and read the mirror) and its RequestJob objects (to start jobs).
// The real local services run too: the `openai` provider reaches the local model server as it does in `npm run dev`;
// the fixtures (speech, PDF, DOCX, images) are made by the setup with the real tools, and a fake hosted API checks
// what the provider sends to a hosted service.
export default workerProject(import.meta.dirname, {
  auxiliary: ["orchestrator"],
  globalSetup: [localServicesSetup, aiFixturesSetup],
  // A long API timeout: the quality tests send many clips through pocketsphinx on a shared CI machine. A
  // circuit-breaker cool-down of two seconds, so test/breakers.test.ts waits out its probes.
  bindings: (inject) => ({ AI_API_URL: `http://127.0.0.1:${inject<number>("localServicesPort")}/v1`, AI_API_TIMEOUT_MS: "180000", BREAKER_COOLDOWN_SECONDS: "2" }),
  miniflare: {
    d1Databases: { DB: "6f3a2c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b" },
    durableObjects: { REQUEST_JOB: { className: "RequestJob", scriptName: "statex-orchestrator", useSQLite: true } },
  },
});
