import { workerProject } from "../../shared/test/project";

// The job machinery is tested on one-task jobs (nlp); the ai project runs nlp → prototype end to end.
// Every job here takes a slot and gives it back, with more slots than the tests ever fill; waiting in line is
// tested with two slots in its own project (vitest.slots.config.ts), so no other test file shares its line.
export default workerProject(import.meta.dirname, { bindings: { ENABLED_TASK_KINDS: "nlp", JOB_SLOTS: "10000" } });
