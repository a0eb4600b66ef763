/**
 * intake's part of the public API: submitting a request, resumable uploads, a request's status, its tasks' results,
 * cancelling and watching it. intake validates with these very schemas; the gateway's table names them, so the
 * OpenAPI document shows what is checked.
 */
import { z } from "zod";
import { ChannelOrder, LinkedinProfile, PhoneNumber } from "../events";
import { NOTIFICATION_LOCALES } from "../notifications";
import { LIVE_TICKET } from "../tokens";
import { TaskId } from "../tasks";
import { type Operation, json } from "../openapi";
import { RequestId, RequestParam, Timestamp, TokenQuery } from "./common";

export { RequestParam, TokenQuery };

/** A submission's fields, whichever form carried them. Length of `text` is checked apart (413, configurable). */
export const SubmitBody = z.strictObject({
  // Examples for the reference page (/api/docs), which would otherwise make up text from each pattern.
  name: z.string().trim().min(1, "required").max(200).meta({ examples: ["Ada Lovelace"] }),
  email: z.email("must be an email address").max(254).meta({ examples: ["ada@example.com"] }),
  text: z
    .string()
    .trim()
    .min(1, "required")
    .meta({ examples: ["We receive about 200 supplier invoices a month by email and type them into our ERP by hand. Could that be automated, and what would it cost?"] }),
  phone: PhoneNumber.optional(),
  telegram: z.string().trim().regex(/^@?[A-Za-z0-9_]{5,32}$/, "must be a Telegram username").meta({ examples: ["@ada_lovelace"] }).optional(),
  whatsapp: PhoneNumber.optional(),
  linkedin: LinkedinProfile.optional(),
  /** Where to be told about the request, in order: a list in JSON, comma-separated in a form. */
  notifyBy: z.preprocess((v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v), ChannelOrder).optional(),
  locale: z.enum(NOTIFICATION_LOCALES).optional(),
  channel: z.enum(["web", "api"]).default("api"),
  /** The honeypot: people leave it empty (it is checked before validation). */
  website: z.string().optional(),
  "cf-turnstile-response": z.string().optional(),
  /** Completed resumable uploads, each with its token in the same order. */
  uploadIds: z.array(z.string()).default([]),
  uploadTokens: z.array(z.string()).default([]),
});

/**
 * The same submission as a form (multipart/form-data), as a browser sends one: SubmitBody's fields as text parts
 * (notifyBy comma-separated; uploadIds and uploadTokens one part each, repeated), and files as parts with a filename.
 * intake reads a form's parts into SubmitBody's shape and validates them with SubmitBody itself; this schema is what
 * the OpenAPI document shows of the form.
 */
export const SubmitForm = z.object({
  ...SubmitBody.omit({ notifyBy: true, uploadIds: true, uploadTokens: true }).shape,
  notifyBy: z.string().describe("Channels in order, comma-separated").meta({ examples: ["telegram,email"] }).optional(),
  uploadIds: z.array(z.string()).describe("Completed resumable uploads: one part each").optional(),
  uploadTokens: z.array(z.string()).describe("Their upload tokens, one part each, in the same order").optional(),
  files: z
    .array(z.file())
    .describe("Files, one part each: every part with a filename is one, whatever its name (documents, images, recordings; the limits are the platform's)")
    .optional(),
});

/** The answer to an accepted submission (and to its idempotent replays). */
export const Submitted = z.object({
  id: RequestId,
  status: z.literal("received"),
  statusUrl: z.string().describe("The request's status URL with its status token; also the Location header"),
});

export const TaskParam = RequestParam.extend({ taskId: TaskId });
// Only the live route takes a ticket: it is the one a browser cannot send a session header to.
export const LiveQuery = TokenQuery.extend({ ticket: z.string().regex(LIVE_TICKET, "must be a live ticket").optional() });

/** One step of a request's job: a task, where it stands, its attempt and timings. */
export const JobStep = z.object({
  id: z.string(),
  kind: z.enum(["asr", "docai", "nlp", "prototype"]),
  fileName: z.string().optional(),
  state: z.enum(["pending", "running", "succeeded", "failed", "cancelled"]),
  attempt: z.number().int(),
  startedAt: Timestamp.optional(),
  finishedAt: Timestamp.optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  provider: z.string().optional(),
});

/** A request's status and results, for its status-token holder or its signed-in owner. */
export const RequestStatus = z.object({
  id: RequestId,
  status: z.enum(["received", "processing", "completed", "failed", "cancelled"]),
  line: z.object({ ahead: z.number().int() }).nullable().describe("Waiting for a job slot: how many requests are ahead"),
  channel: z.enum(["web", "api", "email"]),
  createdAt: Timestamp,
  completedAt: Timestamp.nullable(),
  contact: z.object({ name: z.string(), email: z.string() }),
  text: z.string(),
  steps: z.array(JobStep),
  result: z.record(z.string(), z.unknown()).nullable().describe("The job's results once completed: the analysis, the draft, each file's text"),
  error: z.string().nullable(),
});

/** One task's whole output, as the orchestrator stored it when the task succeeded. */
export const TaskResult = z.object({
  taskId: z.string(),
  kind: z.string(),
  attempt: z.number().int(),
  output: z.unknown(),
  provenance: z.unknown(),
});

export const Cancelled = z.object({ id: RequestId, status: z.literal("cancelled") });
export const LiveTicket = z.object({ url: z.string(), expiresAt: Timestamp });

export const NewUpload = z.strictObject({ name: z.string().trim().min(1).max(255), size: z.number().int().positive() });
export const UploadParam = z.object({ id: z.string().regex(/^upl_[0-9A-Z]{26}$/, "must be an upload id") });
export const UploadPartParam = UploadParam.extend({ n: z.coerce.number().int().min(1).max(10_000) });

export const UploadStarted = z.object({ id: z.string(), partSize: z.number().int(), parts: z.number().int(), uploadToken: z.string() });
export const UploadPart = z.object({ partNumber: z.number().int(), etag: z.string() });
export const UploadView = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int(),
  status: z.enum(["open", "complete", "used", "aborted"]),
  partSize: z.number().int(),
  parts: z.array(UploadPart.extend({ size: z.number().int() })),
  missing: z.array(z.number().int()),
});
export const UploadCompleted = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int(),
  status: z.literal("complete"),
  kind: z.string(),
  mime: z.string(),
  sha256: z.string(),
});

/** Ops' list of refused submissions. */
export const SpamLogQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** Submissions refused as spam, newest first: why, from where, and a short excerpt of what was sent. */
export const SpamLog = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      channel: z.string(),
      clientIp: z.string().nullable(),
      email: z.string().nullable(),
      excerpt: z.string().nullable(),
      createdAt: Timestamp,
    }),
  ),
});

/** A request's id in its path and its status token in its query: what every route of one request takes. */
const ofRequest = { params: RequestParam, query: TokenQuery } satisfies Partial<Operation>;

/** The operations of intake's routes, which the gateway's table names row by row. */
export const operations = {
  submit: {
    body: SubmitBody,
    bodyTypes: { "multipart/form-data": SubmitForm },
    responses: { 202: json(Submitted, "Accepted: the request's id and its status URL (Location too)") },
    errors: [409, 413, 422],
  },
  startUpload: { body: NewUpload, responses: { 201: json(UploadStarted, "Started: send each part with its token") }, errors: [413] },
  putUploadPart: { params: UploadPartParam, bodyTypes: { "application/octet-stream": null }, responses: { 200: json(UploadPart) }, errors: [409], uploadToken: true },
  getUpload: { params: UploadParam, responses: { 200: json(UploadView) }, uploadToken: true },
  completeUpload: { params: UploadParam, responses: { 200: json(UploadCompleted) }, errors: [409, 415], uploadToken: true },
  abortUpload: { params: UploadParam, responses: { 204: { description: "Aborted" } }, errors: [409], uploadToken: true },
  status: { ...ofRequest, responses: { 200: json(RequestStatus) }, errors: [410] },
  taskResult: { params: TaskParam, query: TokenQuery, responses: { 200: json(TaskResult) } },
  cancel: { ...ofRequest, responses: { 200: json(Cancelled) }, errors: [409] },
  liveTicket: { params: RequestParam, responses: { 200: json(LiveTicket) } },
  live: {
    params: RequestParam,
    query: LiveQuery,
    responses: { 101: { description: "A WebSocket of the job's state" }, 200: { description: "The job's state as server-sent events", type: "text/event-stream" } },
    errors: [426],
  },
  spamLog: { query: SpamLogQuery, responses: { 200: json(SpamLog) } },
} satisfies Record<string, Operation>;
