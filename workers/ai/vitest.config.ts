import { workerProject } from "../../shared/test/project";

// The real orchestrator runs beside ai, so reports travel the real service binding to a real job.
// The tests also reach the orchestrator's D1 (to migrate it and read the mirror) and its RequestJob objects (to start jobs).
export default workerProject(import.meta.dirname, {
  auxiliary: ["orchestrator"],
  miniflare: {
    d1Databases: { DB: "6f3a2c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b" },
    durableObjects: { REQUEST_JOB: { className: "RequestJob", scriptName: "statex-orchestrator", useSQLite: true } },
  },
});
