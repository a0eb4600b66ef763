/**
 * The shape every provider of the file tasks shares: asr and docai both read the task's file from R2 and
 * hand it to the provider's own backend, once the provider has checked it is configured here.
 */
import type { TaskKind } from "@statex/shared/tasks";
import { readTaskFile } from "../files";
import { type Answer, type Provider, Unsupported } from "./types";

type FileKind = "asr" | "docai";

export function fileTaskProvider<Backend>(
  meta: Pick<Provider, "name" | "model" | "version" | "breaker">,
  /** The backend for this environment and kind, or an Unsupported error saying what configuration is missing. */
  backendFor: (env: AiEnv, kind: FileKind) => Backend,
  run: Record<FileKind, (backend: Backend, file: File, env: AiEnv) => Promise<Answer>>,
): Provider {
  return {
    ...meta,
    supports(kind: TaskKind): boolean {
      return kind === "asr" || kind === "docai";
    },
    async run(task, env) {
      if (task.kind !== "asr" && task.kind !== "docai") throw new Unsupported(`the ${meta.name} provider does not run ${task.kind} tasks`);
      const backend = backendFor(env, task.kind);
      return run[task.kind](backend, await readTaskFile(task, env), env);
    },
  };
}
