/**
 * What a job leaves in R2: each task's whole output with its provenance, and the combined analysis of a finished
 * job (each task's key, `taskResultKey`, is in @statex/shared/tasks: intake reads it too).
 */
import { AsrResult, DocaiResult, NlpResult, PrototypeResult, type TaskKind, type TaskReport, taskResultKey } from "@statex/shared/tasks";
import { deleteUnder } from "@statex/shared/r2";
import type { z } from "zod";
import { type TaskRow, parseObject } from "./job-tables";
import { usageOf } from "./usage";

/** What each kind's output must look like before it is accepted; kinds not listed are kept as given. */
const outputSchemas: Partial<Record<TaskKind, z.ZodType>> = { nlp: NlpResult, asr: AsrResult, docai: DocaiResult, prototype: PrototypeResult };

/** Whether an output keeps its kind's contract; one that does not fails its attempt (the next may answer well). */
export function validOutput(kind: TaskKind, output: unknown): boolean {
  return outputSchemas[kind]?.safeParse(output).success ?? true;
}

/** Writes an attempt's whole output and provenance to R2; returns its key. */
export async function storeTaskResult(bucket: R2Bucket, report: Extract<TaskReport, { ok: true }>, kind: TaskKind): Promise<string> {
  const key = taskResultKey(report.requestId, report.taskId);
  await putJson(bucket, key, { taskId: report.taskId, kind, attempt: report.attempt, output: report.output, provenance: report.provenance });
  return key;
}

/** The combined analysis, the `resultKey` of `request.completed`. */
export function analysisKey(requestId: string): string {
  return `results/${requestId}/analysis.json`;
}

/** Writes a finished job's analysis to R2 and returns it with its key. */
export async function storeAnalysis(bucket: R2Bucket, requestId: string, tasks: TaskRow[], completedAt: number): Promise<{ analysis: Record<string, unknown>; key: string }> {
  const key = analysisKey(requestId);
  const analysis = buildAnalysis(requestId, tasks, completedAt);
  await putJson(bucket, key, analysis);
  return { analysis, key };
}

/** Deletes every result of a request: each task's output and the analysis. */
export async function deleteResults(bucket: R2Bucket, requestId: string): Promise<void> {
  await deleteUnder(bucket, `results/${requestId}/`);
}

/** Writes JSON to R2 with its media type, so whoever serves it later need not guess. */
async function putJson(bucket: R2Bucket, key: string, value: unknown): Promise<void> {
  await bucket.put(key, JSON.stringify(value), { httpMetadata: { contentType: "application/json" } });
}

/**
 * The analysis: the NLP findings at the top (language, summary, keywords,
 * stats, which the status page and the "ready" message show), then every
 * task with its provenance and where its full output is.
 */
function buildAnalysis(requestId: string, tasks: TaskRow[], completedAt: number): Record<string, unknown> {
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
    usage: usageOf(tasks),
    completedAt: new Date(completedAt).toISOString(),
  };
}
