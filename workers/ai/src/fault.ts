/**
 * The fault switch, for testing failure end to end: a request whose text holds
 * `[[statex-fault:<kind>]]` (kind nlp, asr, docai or prototype) makes every
 * delivery of that kind of task fail as a crashing worker would: the message
 * is retried at once until the queue moves it to its dead-letter queue, and
 * the job never hears back, so its attempt deadline decides.
 *
 * Two locks keep it out of production: AI_FAULTS must be "on" (only the dev
 * environment of infra/topology.mjs sets it) and ENVIRONMENT must be
 * "development" (written by the config generator for the dev environment only).
 * Only tasks that carry the request text can be marked (asr and docai carry a
 * file instead, until they do).
 */
import type { TaskMessage } from "@statex/shared/tasks";

const MARKER = /\[\[statex-fault:(asr|docai|nlp|prototype)\]\]/g;

/** True when this task must fail on purpose: never outside development. */
export function faultInjected(task: TaskMessage, env: Pick<AiEnv, "AI_FAULTS" | "ENVIRONMENT">): boolean {
  if (env.ENVIRONMENT !== "development" || env.AI_FAULTS !== "on") return false;
  const text = task.input.text ?? "";
  return [...text.matchAll(MARKER)].some((m) => m[1] === task.kind);
}
