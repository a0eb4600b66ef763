import { workerProject } from "../../shared/test/project";

// Every service the gateway routes to runs beside it, so its bindings reach the real workers.
// The gateway has no D1 of its own: it binds the platform's database only so its tests can migrate it for the workers behind it.
export default workerProject(import.meta.dirname, {
  auxiliary: ["intake", "identity", "orchestrator", "ai", "notify", "content", "logging"],
  miniflare: { d1Databases: { DB: "6f3a2c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b" } },
});
