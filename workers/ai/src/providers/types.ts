/**
 * The provider contract. A provider is one way of running AI tasks (the
 * built-in offline methods, the Workers AI binding, an external model API);
 * the chain tries the configured ones in order.
 */
import type { ErrorClass, PromptRef, TaskKind, TaskMessage, Usage } from "@statex/shared/tasks";

/** One backend that can run some kinds of task. `name`, `model`, `version` go into every result's provenance. */
export interface Provider {
  readonly name: string;
  readonly model: string;
  readonly version: string;
  /** It calls a service that can fail as a whole (a model API): a circuit breaker skips it while it keeps failing. */
  readonly breaker?: boolean;
  supports(kind: TaskKind): boolean;
  /**
   * The task's output (its schema is the kind's, e.g. NlpResult), or an Answer when the provider knows more
   * (the model that answered, what it billed); throws a ProviderError when it cannot.
   */
  run(task: TaskMessage, env: AiEnv, context?: RunContext): Promise<Record<string, unknown> | Answer>;
}

/** What a task's run may tell as it goes: the draft as the model writes it (markdown so far). */
export type RunContext = { draft?: (markdownSoFar: string) => void };

/** A failure a provider understands: bad input (never retry), a rate limit (wait), or a passing fault (retry). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly errorClass: ErrorClass,
    readonly retryAfterMs?: number,
    /** What the provider had already spent on a model before it failed (a repair that failed too, say). */
    readonly usage?: Usage,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** Anything thrown as a ProviderError; an unexpected error counts as a passing fault. */
export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  return new ProviderError(err instanceof Error ? err.message : String(err), "retryable");
}

/** An output with what a hosted provider adds to its provenance: one provider may use a model per task. */
export class Answer {
  constructor(
    readonly output: Record<string, unknown>,
    readonly extra: { model?: string; usage?: Usage; prompt?: PromptRef; template?: { id: string; version: number } } = {},
  ) {}
}

/**
 * The provider cannot handle this input at all (an image for a provider without OCR): the chain moves on and,
 * if every provider declines, reports the most telling failure seen rather than this one.
 */
export class Unsupported extends ProviderError {
  constructor(message: string) {
    super(message, "invalid-input");
  }
}
