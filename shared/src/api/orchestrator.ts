/**
 * orchestrator's part of the public API, for ops: the job slots, a request's job and its tasks' results, cancelling
 * and retrying. orchestrator validates with these very schemas. The answers are not described here yet (the document
 * says so), only what each route takes.
 */
import { z } from "zod";
import type { Operation } from "../openapi";
import { TaskId } from "../tasks";
import { RequestId } from "./common";

export const JobParam = z.object({ requestId: z.string().min(1).max(128) });
export const JobTaskParam = JobParam.extend({ taskId: z.string().min(1).max(128) });
/** A result is read by its R2 key, so its parts are held to the shapes of request and task ids. */
export const ResultParam = z.object({ requestId: RequestId, taskId: TaskId });
/** The cancel route's path names the request `id` at the gateway and `requestId` on the worker. */
const CancelParam = z.object({ id: z.string().min(1).max(128) });

/** The operations of orchestrator's ops routes, which the gateway's table names row by row (what each takes). */
export const operations = {
  slots: {},
  job: { params: JobParam },
  taskResult: { params: ResultParam },
  cancel: { params: CancelParam, errors: [409] },
  retry: { params: JobParam, errors: [409] },
  retryTask: { params: JobTaskParam, errors: [409] },
} satisfies Record<string, Operation>;
