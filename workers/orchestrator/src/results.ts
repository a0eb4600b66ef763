/**
 * The combined analysis a finished job leaves in R2, and where it lives (each task's own output key,
 * `taskResultKey`, is in @statex/shared/tasks: intake reads it too).
 */
import { type TaskRow, parseObject } from "./job-tables";

/** The combined analysis, the `resultKey` of `request.completed`. */
export function analysisKey(requestId: string): string {
  return `results/${requestId}/analysis.json`;
}

/** Writes JSON to R2 with its media type, so whoever serves it later need not guess. */
export async function putJson(bucket: R2Bucket, key: string, value: unknown): Promise<void> {
  await bucket.put(key, JSON.stringify(value), { httpMetadata: { contentType: "application/json" } });
}

/**
 * The analysis: the NLP findings at the top (language, summary, keywords,
 * stats, which the status page and the "ready" message show), then every
 * task with its provenance and where its full output is.
 */
export function buildAnalysis(requestId: string, tasks: TaskRow[], completedAt: number): Record<string, unknown> {
  const outputOf = (t: TaskRow): Record<string, unknown> => parseObject(t.output);
  const nlp = tasks.find((t) => t.kind === "nlp");
  const prototype = tasks.find((t) => t.kind === "prototype");
  return {
    requestId,
    ...(nlp ? outputOf(nlp) : {}),
    ...(prototype ? { prototype: outputOf(prototype) } : {}),
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      attempt: t.attempt,
      state: t.state,
      resultKey: t.result_key,
      provenance: t.provider ? parseObject(t.provider) : null,
      // A partial result says, per task, what failed and why.
      ...(t.state === "failed" ? { error: t.error } : {}),
    })),
    partial: tasks.some((t) => t.state === "failed"),
    completedAt: new Date(completedAt).toISOString(),
  };
}
