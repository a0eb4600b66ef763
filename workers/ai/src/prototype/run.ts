/**
 * The offline prototype task: the NLP analysis the orchestrator passed along
 * (or, for a message without one, a fresh analysis of the text), the best
 * active template from D1, and the draft built from both.
 */
import { NlpResult, type PrototypeResult, type TaskMessage } from "@statex/shared/tasks";
import { ProviderError } from "../providers/types";
import { analyse } from "../providers/offline/nlp";
import { type Template, TemplateStore } from "../templates/store";
import { TemplateError, draftPrototype } from "./draft";

/** What any prototype drafts from: the request's text, its analysis, and the best active template for its category. */
export async function prototypeInput(task: TaskMessage, env: AiEnv): Promise<{ text: string; analysis: NlpResult; template: Template }> {
  const text = task.input.text?.trim() ?? "";
  const given = NlpResult.safeParse(task.input.analysis);
  if (!given.success && !text) throw new ProviderError("prototype task without analysis or text", "invalid-input");
  const analysis = given.success ? given.data : analyse(text);
  const category = analysis.category?.label ?? "other";
  // A missing template is a setup fault (migrations not applied): worth a retry once someone fixes it.
  const template = await new TemplateStore(env.DB).bestFor(category);
  if (!template) throw new ProviderError(`no active template for ${category} or the fallback`, "retryable");
  return { text, analysis, template };
}

export async function runPrototype(task: TaskMessage, env: AiEnv): Promise<PrototypeResult> {
  const { text, analysis, template } = await prototypeInput(task, env);
  try {
    return draftPrototype(text, analysis, template);
  } catch (err) {
    if (err instanceof TemplateError) throw new ProviderError(err.message, "invalid-input");
    throw err;
  }
}
