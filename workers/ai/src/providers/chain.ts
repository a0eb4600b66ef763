/**
 * The provider chain: the providers named in AI_PROVIDERS, tried in that order
 * for each task. The first that supports the task's kind and answers wins;
 * a fault or rate limit moves on to the next; bad input stops the chain,
 * since no other provider would find it better.
 */
import { type Outcome, breakerSettings, throughBreaker } from "@statex/shared/breaker";
import type { Logger } from "@statex/shared/logger";
import type { TaskMessage, TaskReport, Usage } from "@statex/shared/tasks";
import { addUsage } from "../llm/structured";
import { offlineProvider } from "./offline";
import { openaiProvider } from "./openai";
import { Answer, type Provider, ProviderError, type RunContext, Unsupported, asProviderError } from "./types";
import { workersAiProvider } from "./workers-ai";

/** Every provider this build knows, by the name AI_PROVIDERS uses. */
export const knownProviders: Readonly<Record<string, Provider>> = {
  offline: offlineProvider,
  openai: openaiProvider,
  "workers-ai": workersAiProvider,
};

/** The chain configured by a comma list; unknown names are returned apart so the caller can say so. */
export function buildChain(config: string, registry: Readonly<Record<string, Provider>> = knownProviders) {
  const names = config.split(",").map((n) => n.trim()).filter(Boolean);
  const chain = names.map((n) => registry[n]).filter((p): p is Provider => p !== undefined);
  return { chain, unknown: names.filter((n) => !registry[n]) };
}

/**
 * Runs one task through the chain and says how it went, as the report the orchestrator takes. Never throws.
 * What providers that failed before the answer had spent on models counts in the answer's usage, and the last
 * such failure is noted in its provenance (say, that the request's token budget was spent).
 */
export async function runChain(chain: Provider[], task: TaskMessage, env: AiEnv, log: Logger, context?: RunContext): Promise<TaskReport> {
  const base = { requestId: task.requestId, taskId: task.taskId, attempt: task.attempt };
  const candidates = chain.filter((p) => p.supports(task.kind));
  let last = new ProviderError(`no configured provider runs ${task.kind} tasks`, "invalid-input");
  let declinedOnly = true;
  let spentBefore: Usage = {};
  let note: string | undefined;
  for (const provider of candidates) {
    // Workers clocks stand still during pure computation, so a fast offline run may measure 0 ms.
    const started = Date.now();
    try {
      const result = await runProvider(provider, task, env, log, context);
      const { output, extra } = result instanceof Answer ? result : new Answer(result);
      const { name, version } = provider;
      const usage = addUsage(spentBefore, extra.usage ?? {});
      const provenance = {
        provider: name,
        model: extra.model ?? provider.model,
        version,
        durationMs: Date.now() - started,
        ...(Object.keys(usage).length ? { usage } : {}),
        ...(extra.prompt ? { prompt: extra.prompt } : {}),
        ...(extra.template ? { template: extra.template } : {}),
        ...(note ? { note: note.slice(0, 500) } : {}),
      };
      return { ok: true, ...base, output, provenance };
    } catch (err) {
      const failure = asProviderError(err);
      log.warn("provider failed", { provider: provider.name, kind: task.kind, errorClass: failure.errorClass, error: failure });
      if (failure.usage) spentBefore = addUsage(spentBefore, failure.usage);
      note = `${provider.name}: ${failure.message}`;
      // A provider that declines the input says less than one that tried and failed, so it never hides that failure.
      if (failure instanceof Unsupported) {
        if (declinedOnly) last = failure;
        continue;
      }
      last = failure;
      declinedOnly = false;
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

/**
 * Runs one provider, through its circuit breaker when it calls a service: while the breaker is open (or another
 * task's call is its probe) the provider is skipped, failing as a passing fault does, so the chain moves on and a
 * task with no provider left is retried by its job no sooner than the next probe.
 */
async function runProvider(provider: Provider, task: TaskMessage, env: AiEnv, log: Logger, context?: RunContext): Promise<Awaited<ReturnType<Provider["run"]>>> {
  if (!provider.breaker || !env.BREAKERS) return provider.run(task, env, context);
  // A probe holds the breaker for as long as a task's calls may take: a repair and digests each wait their timeout.
  const settings = breakerSettings(env, (Number(env.AI_API_TIMEOUT_MS) || 25_000) * 3);
  const ran = await throughBreaker(env, provider.name, settings, log, () => provider.run(task, env, context), { error: judged });
  if ("skipped" in ran) {
    const seconds = Math.ceil(ran.skipped.retryAfterMs / 1_000);
    throw new ProviderError(`skipped: its circuit breaker is ${ran.skipped.state} (next call in ${seconds} s)`, "retryable", ran.skipped.retryAfterMs);
  }
  return ran.value;
}

/** What a provider's failure says about the service: bad input, a declined task or a spent budget say nothing. */
function judged(err: unknown): Outcome {
  const failure = asProviderError(err);
  if (failure instanceof Unsupported || failure.errorClass === "invalid-input") return { kind: "neutral" };
  return { kind: "failure", error: failure.message, retryAfterMs: failure.retryAfterMs };
}
