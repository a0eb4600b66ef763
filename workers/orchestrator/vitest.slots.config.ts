import { workerProject } from "../../shared/test/project";

// Jobs waiting in line for a slot (src/slots.ts): two slots, in a runtime of their own.
export default workerProject(import.meta.dirname, {
  bindings: { ENABLED_TASK_KINDS: "nlp", JOB_SLOTS: "2" },
  variant: { name: "orchestrator-slots", include: ["test-slots/**/*.test.ts"] },
});
