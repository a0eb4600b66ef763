/** The file a task names: read from R2 (FILES), typed by the task's mime or, failing that, the stored one. */
import type { TaskMessage } from "@statex/shared/tasks";
import { ProviderError } from "./providers/types";

/** Reads `task.input.fileKey` as a File whose name and type the APIs it is sent to can use. */
export async function readTaskFile(task: TaskMessage, env: AiEnv): Promise<File> {
  const key = task.input.fileKey;
  if (!key) throw new ProviderError(`${task.kind} task without a fileKey`, "invalid-input");
  const object = await env.FILES.get(key);
  // Intake stores the file before the request exists, so a missing one will never appear.
  if (!object) throw new ProviderError(`file not found: ${key}`, "invalid-input");
  const type = task.input.mime ?? object.httpMetadata?.contentType ?? "application/octet-stream";
  return new File([await object.arrayBuffer()], key.split("/").at(-1) ?? "file", { type });
}
