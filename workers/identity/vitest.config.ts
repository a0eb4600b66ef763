import { workerProject } from "../../shared/test/project";

export default workerProject(import.meta.dirname);
