/**
 * Planning: a request becomes a graph of tasks. Speech (asr) and documents
 * (docai) are per file and independent, so they run first and in parallel; NLP
 * reads the request text plus everything they extracted; the prototype is
 * drafted from the NLP analysis. Only kinds the ai worker can run are planned,
 * and the dependencies close over what was planned.
 */
import type { EventData } from "@statex/shared/events";
import { TaskKind, type TaskMessage, type TextSource } from "@statex/shared/tasks";
import { parseObject } from "./job-tables";

/** One node of a job's task graph, as planned. */
export type PlannedTask = {
  id: string;
  kind: TaskKind;
  /** Ids of the tasks whose results this one needs; it runs once they all succeeded. */
  deps: string[];
  /** The part of the task's input known at planning time (dependency outputs are added at dispatch). */
  input: TaskMessage["input"];
};

/** The kinds the ai worker runs today; asr and docai join as their providers land. */
export const ENABLED_KINDS: ReadonlySet<TaskKind> = new Set<TaskKind>(["nlp", "prototype"]);

/**
 * The kinds an environment plans, from its ENABLED_TASK_KINDS (a comma list): a kind can be
 * rolled out, or switched off, per environment. Unknown names are ignored; unset means ENABLED_KINDS.
 */
export function enabledKinds(config: string | undefined): ReadonlySet<TaskKind> {
  if (!config?.trim()) return ENABLED_KINDS;
  return new Set(config.split(",").flatMap((k) => {
    const kind = TaskKind.safeParse(k.trim());
    return kind.success ? [kind.data] : [];
  }));
}

/** The task graph for a new request, in dispatch order. */
export function planJob(
  request: EventData<"request.created">,
  enabled: ReadonlySet<TaskKind> = ENABLED_KINDS,
): PlannedTask[] {
  const extract: PlannedTask[] = [];
  for (const file of request.files) {
    const kind: TaskKind = file.kind === "audio" ? "asr" : "docai";
    if (!enabled.has(kind)) continue;
    extract.push({ id: `${kind}-${file.id}`, kind, deps: [], input: { fileKey: file.key, mime: file.mime, fileName: file.name, fileSize: file.size } });
  }
  const plan = [...extract];
  if (enabled.has("nlp")) {
    plan.push({ id: "nlp", kind: "nlp", deps: extract.map((t) => t.id), input: { text: request.text } });
  }
  if (enabled.has("prototype")) {
    const deps = enabled.has("nlp") ? ["nlp"] : extract.map((t) => t.id);
    plan.push({ id: "prototype", kind: "prototype", deps, input: { text: request.text } });
  }
  return plan;
}

/** A finished dependency as the next task reads it: its kind, the file it read (if any) and its output. */
export type DepOutput = { kind: TaskKind; fileName?: string | undefined; output: Record<string, unknown> };

/**
 * The text a task reads: its own, then the text each dependency produced (a transcript, a document's text), in
 * plan order, joined by a blank line; and where each part came from, so a language model's input can be budgeted
 * per source without sending the text twice.
 */
export function inputText(own: string | undefined, deps: DepOutput[]): { text?: string; sources: TextSource[] } {
  const parts: { text: string; source: Omit<TextSource, "chars"> }[] = [];
  if (own?.trim()) parts.push({ text: own, source: { kind: "request", name: "request" } });
  for (const d of deps) {
    const text = d.output.text;
    if (typeof text !== "string" || !text.trim()) continue;
    parts.push({ text, source: { kind: d.kind === "asr" ? "transcript" : "document", name: (d.fileName ?? d.kind).slice(0, 255) } });
  }
  if (!parts.length) return { sources: [] };
  return { text: parts.map((p) => p.text).join("\n\n"), sources: parts.map((p) => ({ ...p.source, chars: p.text.length })) };
}

/**
 * The NLP analysis a task drafts from (the prototype's `input.analysis`): the output of its nlp
 * dependency, passed whole because the prototype needs the category, entities and hints, not just text.
 */
export function inputAnalysis(deps: ({ kind: TaskKind; output: string | null } | undefined)[]): Record<string, unknown> | undefined {
  const nlp = deps.find((d) => d?.kind === "nlp");
  return nlp ? parseObject(nlp.output) : undefined;
}
