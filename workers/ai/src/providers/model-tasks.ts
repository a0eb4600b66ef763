/**
 * The text tasks on a language model, the same for every hosted provider: `nlp` (the analysis) and `prototype`
 * (the first draft), each under its versioned prompt, checked against the offline results' schemas, within the
 * request's token budget. A provider without a chat model configured here declines, so the chain moves on.
 */
import type { TaskKind } from "@statex/shared/tasks";
import { analyseWithModel } from "../llm/analysis";
import type { ChatModel } from "../llm/chat";
import { draftWithModel } from "../llm/draft";
import { TokenBudget } from "../llm/token-budget";
import { prototypeInput } from "../prototype/run";
import { Answer, type Provider, Unsupported } from "./types";

/** The most input one call is given when AI_INPUT_TOKENS says nothing usable. */
const DEFAULT_INPUT_TOKENS = 12_000;

export function modelTaskProvider(meta: Pick<Provider, "name" | "model" | "version" | "breaker">, chatOf: (env: AiEnv) => ChatModel): Provider {
  return {
    ...meta,
    supports(kind: TaskKind): boolean {
      return kind === "nlp" || kind === "prototype";
    },
    async run(task, env, context) {
      const chat = chatOf(env);
      const budget = TokenBudget.of(env, task.input.tokensUsed);
      const metadata = { requestId: task.requestId, taskId: task.taskId, attempt: String(task.attempt) };
      if (task.kind === "nlp") {
        const inputTokens = Number(env.AI_INPUT_TOKENS) || DEFAULT_INPUT_TOKENS;
        const result = await analyseWithModel(chat, { text: task.input.text ?? "", sources: task.input.sources }, { inputTokens, budget, metadata });
        return new Answer(result.output, { model: result.model, usage: result.usage, prompt: result.prompt });
      }
      if (task.kind !== "prototype") throw new Unsupported(`language models do not run ${task.kind} tasks`);
      const input = await prototypeInput(task, env);
      const result = await draftWithModel(chat, input, { budget, onDraft: context?.draft, metadata });
      return new Answer(result.output, { model: result.model, usage: result.usage, prompt: result.prompt, template: { id: input.template.id, version: input.template.version } });
    },
  };
}

/** One provider from parts that run different kinds (a provider's file tasks and its text tasks). */
export function joinProviders(meta: Pick<Provider, "name" | "model" | "version" | "breaker">, ...parts: Provider[]): Provider {
  return {
    ...meta,
    supports: (kind) => parts.some((p) => p.supports(kind)),
    run(task, env, context) {
      const part = parts.find((p) => p.supports(task.kind));
      if (!part) throw new Unsupported(`the ${meta.name} provider does not run ${task.kind} tasks`);
      return part.run(task, env, context);
    },
  };
}
