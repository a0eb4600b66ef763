/** What a request's tasks used on hosted models, summed from each task's provenance: for its budget and for ops. */
import { Provenance } from "@statex/shared/tasks";
import type { TaskRow } from "./job-tables";
import { parseObject } from "./job-tables";

export type RequestUsage = { inputTokens: number; outputTokens: number; neurons: number };

export function usageOf(tasks: readonly Pick<TaskRow, "provider">[]): RequestUsage {
  const total: RequestUsage = { inputTokens: 0, outputTokens: 0, neurons: 0 };
  for (const t of tasks) {
    if (!t.provider) continue;
    const usage = Provenance.shape.usage.safeParse(parseObject(t.provider).usage);
    if (!usage.success || !usage.data) continue;
    total.inputTokens += usage.data.inputTokens ?? 0;
    total.outputTokens += usage.data.outputTokens ?? 0;
    total.neurons += usage.data.neurons ?? 0;
  }
  return total;
}
