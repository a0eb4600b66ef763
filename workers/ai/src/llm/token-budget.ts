/**
 * The request's budget of language-model tokens (AI_MAX_TOKENS_PER_REQUEST) as one task sees it: what earlier
 * tasks used comes in the task message, what this task spends (digests, repairs) is added as it goes. A call that
 * would not fit is declined, so the chain's next provider (the offline methods) finishes the task.
 */
import type { Usage } from "@statex/shared/tasks";
import { Unsupported } from "../providers/types";

/** Below this many tokens left for an answer, a call is not worth making. */
const MIN_ANSWER_TOKENS = 256;

export class TokenBudget {
  private spent = 0;

  constructor(
    private readonly max: number,
    private readonly usedBefore: number,
  ) {}

  static of(env: AiEnv, tokensUsed: number | undefined): TokenBudget {
    const max = Number(env.AI_MAX_TOKENS_PER_REQUEST);
    return new TokenBudget(Number.isFinite(max) && max > 0 ? max : Number.POSITIVE_INFINITY, tokensUsed ?? 0);
  }

  /** The answer tokens a call may ask for, given its input's estimate and the answer it wants at most. */
  allow(inputTokens: number, wanted: number): number {
    const left = this.max - this.usedBefore - this.spent - inputTokens;
    if (left < MIN_ANSWER_TOKENS) {
      throw new Unsupported(`the request's language-model budget is spent (${this.usedBefore + this.spent} of ${this.max} tokens used)`);
    }
    return Math.min(wanted, Math.floor(left));
  }

  spend(usage: Usage): void {
    this.spent += (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
  }
}
