/**
 * The contract between orchestrator and ai: a task goes out on the ai-tasks
 * queue, and its outcome comes back over RPC to the orchestrator's
 * `OrchestratorApi.reportTaskResult`. Both sides validate with these schemas.
 */
import { z } from "zod";

export const TaskKind = z.enum(["asr", "docai", "nlp", "prototype"]);
export type TaskKind = z.infer<typeof TaskKind>;

/** A unit of AI work for one request, one attempt. */
export const TaskMessage = z.object({
  taskId: z.string().min(1).max(128),
  requestId: z.string().min(1).max(128),
  kind: TaskKind,
  attempt: z.number().int().min(1),
  input: z.object({
    text: z.string().max(200_000).optional(),
    fileKey: z.string().max(512).optional(),
    mime: z.string().max(127).optional(),
  }),
});
export type TaskMessage = z.infer<typeof TaskMessage>;

/** What the NLP task finds in a text. */
export const NlpResult = z.object({
  language: z.object({ code: z.string(), confidence: z.number().min(0).max(1) }),
  summary: z.string(),
  keywords: z.array(z.object({ phrase: z.string(), score: z.number() })),
  stats: z.object({ words: z.number().int(), sentences: z.number().int() }),
});
export type NlpResult = z.infer<typeof NlpResult>;

/** The ai worker took one attempt off the queue and is about to run it. */
export const TaskPickUp = z.object({
  requestId: z.string().min(1).max(128),
  taskId: z.string().min(1).max(128),
  attempt: z.number().int().min(1),
});
export type TaskPickUp = z.infer<typeof TaskPickUp>;

/** Who answered a task: the provider chain records it on every result. */
export const Provenance = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  version: z.string().min(1),
  durationMs: z.number().nonnegative(),
});
export type Provenance = z.infer<typeof Provenance>;

/** Whether a failure is worth another attempt. */
export const ErrorClass = z.enum(["retryable", "invalid-input", "rate-limited"]);
export type ErrorClass = z.infer<typeof ErrorClass>;

/** The outcome of one attempt of one task, reported back to the request's job. */
export const TaskReport = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    requestId: z.string().min(1),
    taskId: z.string().min(1),
    attempt: z.number().int().min(1),
    output: z.record(z.string(), z.unknown()),
    provenance: Provenance,
  }),
  z.object({
    ok: z.literal(false),
    requestId: z.string().min(1),
    taskId: z.string().min(1),
    attempt: z.number().int().min(1),
    error: z.string().min(1).max(2_000),
    errorClass: ErrorClass,
    retryAfterMs: z.number().int().nonnegative().optional(),
  }),
]);
export type TaskReport = z.infer<typeof TaskReport>;
