/**
 * Planning: a request becomes a graph of tasks. Speech (asr) and documents
 * (docai) are per file and independent, so they run first and in parallel; NLP
 * reads the request text plus everything they extracted; the prototype is
 * drafted from the NLP analysis. Only kinds the ai worker can run are planned,
 * and the dependencies close over what was planned.
 */
import type { EventData } from "@statex/shared/events";
import { TaskKind, type TaskMessage } from "@statex/shared/tasks";
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

/**
 * The text a task reads: its own, then the text each dependency produced
 * (a transcript, a document's markdown, the NLP summary), in plan order.
 */
export function inputText(own: string | undefined, depOutputs: Record<string, unknown>[]): string | undefined {
  const parts = [own, ...depOutputs.map((o) => (typeof o.text === "string" ? o.text : undefined))].filter(
    (p): p is string => typeof p === "string" && p.trim().length > 0,
  );
  return parts.length ? parts.join("\n\n") : undefined;
}

/**
 * The NLP analysis a task drafts from (the prototype's `input.analysis`): the output of its nlp
 * dependency, passed whole because the prototype needs the category, entities and hints, not just text.
 */
export function inputAnalysis(deps: ({ kind: TaskKind; output: string | null } | undefined)[]): Record<string, unknown> | undefined {
  const nlp = deps.find((d) => d?.kind === "nlp");
  return nlp ? parseObject(nlp.output) : undefined;
}
