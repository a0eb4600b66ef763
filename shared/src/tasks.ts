/**
 * The contract between orchestrator and ai: a task goes out on the ai-tasks
 * queue, and its outcome comes back over RPC to the orchestrator's
 * `OrchestratorApi.reportTaskResult`. Both sides validate with these schemas.
 */
import { z } from "zod";

export const TaskKind = z.enum(["asr", "docai", "nlp", "prototype"]);
export type TaskKind = z.infer<typeof TaskKind>;

/** A task id as the orchestrator plans it: the kind, then for a file's task the file id (`asr-file_…`). */
export const TaskId = z.string().regex(/^[a-z]+(-[A-Za-z0-9_]+)?$/, "must be a task id").max(128);

/**
 * One task's output in R2: `results/<requestId>/<taskId>.json`, `{ taskId, kind, attempt, output, provenance }`.
 * Written by the orchestrator when the task succeeds; read by it for ops, and by intake for the request's client.
 */
export function taskResultKey(requestId: string, taskId: string): string {
  return `results/${requestId}/${taskId}.json`;
}

/** One part of a task's text: what it is, the file it came from (or "request"), and how many characters it has. */
export const TextSource = z.object({
  kind: z.enum(["request", "transcript", "document"]),
  name: z.string().max(255),
  chars: z.number().int().nonnegative(),
});
export type TextSource = z.infer<typeof TextSource>;

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
    /** The file's name as its sender gave it: for people reading logs, and the dev fault switch. Never types the file. */
    fileName: z.string().max(255).optional(),
    /** The file's size in bytes, so the ai worker can budget how many files it holds in memory at once. */
    fileSize: z.number().int().nonnegative().optional(),
    /** The NLP analysis the task builds on (the prototype's input), added at dispatch from the nlp task's output. */
    analysis: z.record(z.string(), z.unknown()).optional(),
    /**
     * Where each part of `text` came from, in order (the parts are joined by a blank line): the request's own
     * words, a recording's transcript, a document's text. A language model's input is budgeted per source.
     */
    sources: z.array(TextSource).max(64).optional(),
    /** Tokens the request's earlier tasks used on language models, against its budget (AI_MAX_TOKENS_PER_REQUEST). */
    tokensUsed: z.number().int().nonnegative().optional(),
  }),
});
export type TaskMessage = z.infer<typeof TaskMessage>;

/** The request kinds the NLP task classifies into; every prototype template belongs to one. */
export const CATEGORIES = ["website", "mobile-app", "automation-bot", "data-dashboards", "ai-assistant", "e-commerce", "integration", "other"] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

/** What a request names, each list deduplicated, in order of first mention. */
export const Entities = z.object({
  people: z.array(z.string()),
  organizations: z.array(z.string()),
  places: z.array(z.string()),
  dates: z.array(z.string()),
  money: z.array(z.string()),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  /** Products, services and tools the request names (a language model finds them; the offline methods do not). */
  products: z.array(z.string()).optional(),
});
export type Entities = z.infer<typeof Entities>;

/**
 * What the NLP task finds in a text. The fields after `stats` came later and are optional, so
 * results stored before them, and providers that cannot find them, still pass.
 */
export const NlpResult = z.object({
  language: z.object({ code: z.string(), confidence: z.number().min(0).max(1) }),
  summary: z.string(),
  keywords: z.array(z.object({ phrase: z.string(), score: z.number() })),
  stats: z.object({ words: z.number().int(), sentences: z.number().int() }),
  /** The kind of request; "other" when no category is confident enough (confidence is then the best one's). */
  category: z.object({ label: Category, confidence: z.number().min(0).max(1) }).optional(),
  entities: Entities.optional(),
  /** score in [-1, 1]; the label is negative or positive beyond a small dead band around 0. */
  sentiment: z.object({ label: z.enum(["negative", "neutral", "positive"]), score: z.number().min(-1).max(1) }).optional(),
  /** Only when the text states it: how pressing the client says it is, with the words that say so. */
  urgency: z.object({ level: z.enum(["low", "medium", "high"]), evidence: z.array(z.string()).min(1) }).optional(),
  /** Only when the text states it: an amount near a budget word (currency null when none is named). */
  budget: z.object({ amount: z.number().nonnegative(), currency: z.string().nullable(), evidence: z.string() }).optional(),
  /** What the client wants to achieve, each in a short sentence. */
  goals: z.array(z.string()).optional(),
  /** What the solution must do or have, each in a short sentence. */
  requirements: z.array(z.string()).optional(),
  /** Limits the client sets: technology, compliance, hosting, team, what it must not do. */
  constraints: z.array(z.string()).optional(),
  /** Only when the text states it: when it must be ready, the date (YYYY-MM-DD) where the text pins one down. */
  deadline: z.object({ text: z.string(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(), evidence: z.string() }).optional(),
  /** What a consultant would ask the client next. */
  questions: z.array(z.string()).optional(),
});
export type NlpResult = z.infer<typeof NlpResult>;

/** The prototype task's draft: markdown on the outline of the template it records, grounded in the analysis. */
export const PrototypeResult = z.object({
  markdown: z.string().min(1),
  template: z.object({ id: z.string().min(1), slug: z.string().min(1), version: z.number().int().min(1) }),
  category: Category,
  features: z.array(z.string()),
  estimate: z.object({ lowDays: z.number().nonnegative(), highDays: z.number().nonnegative(), assumptions: z.array(z.string()) }),
  questions: z.array(z.string()),
  milestones: z.array(z.string()).optional(),
  risks: z.array(z.string()).optional(),
});
export type PrototypeResult = z.infer<typeof PrototypeResult>;

/** A transcript of one audio file (the asr task). Times are seconds from the start of the recording. */
export const AsrResult = z.object({
  text: z.string(),
  /** ISO 639-1 code of the spoken language, as the model detected or assumed it. */
  language: z.string().min(2),
  durationSec: z.number().nonnegative(),
  segments: z.array(z.object({ start: z.number().nonnegative(), end: z.number().nonnegative(), text: z.string() })),
});
export type AsrResult = z.infer<typeof AsrResult>;

/** How a document's text was obtained: its own text layer, recognised from images, both, or a hosted converter. */
export const DocaiMethod = z.enum(["plain", "pdf-text", "docx", "ocr", "pdf-text+ocr", "to-markdown"]);
export type DocaiMethod = z.infer<typeof DocaiMethod>;

/** Text and structure of one document (the docai task): markdown keeps headings, lists and tables. */
export const DocaiResult = z.object({
  markdown: z.string(),
  text: z.string(),
  pages: z.number().int().nonnegative(),
  /** The document's own metadata, where it states it (created is ISO 8601). */
  metadata: z.object({ title: z.string().optional(), author: z.string().optional(), created: z.string().optional() }),
  method: DocaiMethod,
});
export type DocaiResult = z.infer<typeof DocaiResult>;

/** What a hosted model billed for one task: tokens for language models, seconds for speech. */
export const Usage = z.object({
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  /** Workers AI bills in neurons: the tokens priced at the model's configured rates. */
  neurons: z.number().nonnegative().optional(),
  audioSeconds: z.number().nonnegative().optional(),
});

/** A prompt as the provenance names it: its id and the version of its text. */
export const PromptRef = z.object({ id: z.string().min(1), version: z.string().min(1) });
export type PromptRef = z.infer<typeof PromptRef>;
export type Usage = z.infer<typeof Usage>;

/** The ai worker took one attempt off the queue and is about to run it. */
export const TaskPickUp = z.object({
  requestId: z.string().min(1).max(128),
  taskId: z.string().min(1).max(128),
  attempt: z.number().int().min(1),
});
export type TaskPickUp = z.infer<typeof TaskPickUp>;

/** The draft so far, as a language model streams it: pushed to whoever watches the request, never stored. */
export const TaskDraft = z.object({
  requestId: z.string().min(1).max(128),
  taskId: z.string().min(1).max(128),
  attempt: z.number().int().min(1),
  markdown: z.string().max(100_000),
});
export type TaskDraft = z.infer<typeof TaskDraft>;

/** Who answered a task: the provider chain records it on every result. */
export const Provenance = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  version: z.string().min(1),
  durationMs: z.number().nonnegative(),
  usage: Usage.optional(),
  /** The prompt a language model was given (nlp and prototype on a hosted model). */
  prompt: PromptRef.optional(),
  /** The prototype's template, as drafted from. */
  template: z.object({ id: z.string().min(1), version: z.number().int().min(1) }).optional(),
  /** Why this provider answered rather than an earlier one in the chain (e.g. the request's token budget was spent). */
  note: z.string().max(500).optional(),
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
