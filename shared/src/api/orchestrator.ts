/**
 * orchestrator's part of the public API, for ops: the job slots, a request's job and its tasks' results, cancelling
 * and retrying. orchestrator validates with these very schemas, and its tests parse its answers with the answers' own.
 */
import { z } from "zod";
import { type Operation, json } from "../openapi";
import { TaskId, TaskKind } from "../tasks";
import { RequestId, Timestamp } from "./common";
import { JobStep, TaskResult } from "./intake";

export const JobParam = z.object({ requestId: z.string().min(1).max(128) });
export const JobTaskParam = JobParam.extend({ taskId: z.string().min(1).max(128) });
/** A result is read by its R2 key, so its parts are held to the shapes of request and task ids. */
export const ResultParam = z.object({ requestId: RequestId, taskId: TaskId });
/** The cancel route's path names the request `id` at the gateway and `requestId` on the worker. */
const CancelParam = z.object({ id: JobParam.shape.requestId });

const InLine = z.object({ requestId: z.string(), since: Timestamp });
/** The job slots: how many there are, which jobs hold one and which wait, oldest first. */
export const SlotsView = z.object({ slots: z.number().int(), running: z.array(InLine), waiting: z.array(InLine) });

/** A request's job as its Durable Object holds it. */
export const JobState = z.object({
  requestId: z.string(),
  status: z.enum(["processing", "completed", "failed", "cancelled"]),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  resultKey: z.string().nullable().describe("Where the job's combined result is kept, once completed"),
  error: z.string().nullable(),
  plan: z.array(z.object({ id: z.string(), kind: TaskKind, deps: z.array(z.string()) })),
  tasks: z.array(
    JobStep.extend({
      pickedAt: Timestamp.nullable().describe("When the current attempt was taken off the queue; null while it waits there"),
      retryAt: Timestamp.nullable(),
      deadlineAt: Timestamp.nullable(),
      resultKey: z.string().nullable(),
    }),
  ),
  unsentMessages: z.number().int(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), neurons: z.number() }).describe("What hosted models used so far"),
});

/** A control's answer: the job as it now stands, or only the cancellation when the job had not started. */
export const Controlled = z.union([JobState, z.object({ requestId: z.string(), status: z.literal("cancelled") })]);

/** The operations of orchestrator's ops routes, which the gateway's table names row by row. */
export const operations = {
  slots: { responses: { 200: json(SlotsView) } },
  job: { params: JobParam, responses: { 200: json(JobState) } },
  taskResult: { params: ResultParam, responses: { 200: json(TaskResult) } },
  cancel: { params: CancelParam, responses: { 200: json(Controlled) }, errors: [409] },
  retry: { params: JobParam, responses: { 200: json(JobState) }, errors: [409] },
  retryTask: { params: JobTaskParam, responses: { 200: json(JobState) }, errors: [409] },
} satisfies Record<string, Operation>;
