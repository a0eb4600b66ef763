import { workerProject } from "../../shared/test/project";

// The job machinery is tested on one-task jobs (nlp); the ai project runs nlp → prototype end to end.
export default workerProject(import.meta.dirname, { bindings: { ENABLED_TASK_KINDS: "nlp" } });
