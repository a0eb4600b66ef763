/**
 * The provider chain: the providers named in AI_PROVIDERS, tried in that order
 * for each task. The first that supports the task's kind and answers wins;
 * a fault or rate limit moves on to the next; bad input stops the chain,
 * since no other provider would find it better.
 */
import type { Logger } from "@statex/shared/logger";
import type { TaskMessage, TaskReport } from "@statex/shared/tasks";
import { offlineProvider } from "./offline";
import { type Provider, ProviderError, asProviderError } from "./types";

/** Every provider this build knows, by the name AI_PROVIDERS uses. */
export const knownProviders: Readonly<Record<string, Provider>> = { offline: offlineProvider };

/** The chain configured by a comma list; unknown names are returned apart so the caller can say so. */
export function buildChain(config: string, registry: Readonly<Record<string, Provider>> = knownProviders) {
  const names = config.split(",").map((n) => n.trim()).filter(Boolean);
  const chain = names.map((n) => registry[n]).filter((p): p is Provider => p !== undefined);
  return { chain, unknown: names.filter((n) => !registry[n]) };
}

/** Runs one task through the chain and says how it went, as the report the orchestrator takes. Never throws. */
export async function runChain(chain: Provider[], task: TaskMessage, env: AiEnv, log: Logger): Promise<TaskReport> {
  const base = { requestId: task.requestId, taskId: task.taskId, attempt: task.attempt };
  const candidates = chain.filter((p) => p.supports(task.kind));
  let last = new ProviderError(`no configured provider runs ${task.kind} tasks`, "invalid-input");
  for (const provider of candidates) {
    // Workers clocks stand still during pure computation, so a fast offline run may measure 0 ms.
    const started = Date.now();
    try {
      const output = await provider.run(task, env);
      const { name, model, version } = provider;
      return { ok: true, ...base, output, provenance: { provider: name, model, version, durationMs: Date.now() - started } };
    } catch (err) {
      last = asProviderError(err);
      log.warn("provider failed", { provider: provider.name, kind: task.kind, errorClass: last.errorClass, error: last });
      if (last.errorClass === "invalid-input") break;
    }
  }
  return {
    ok: false,
    ...base,
    error: last.message.slice(0, 2_000) || "provider failed",
    errorClass: last.errorClass,
    ...(last.retryAfterMs !== undefined ? { retryAfterMs: Math.round(last.retryAfterMs) } : {}),
  };
}
