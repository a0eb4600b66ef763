/**
 * The fault switch, for testing failure end to end: a task marked
 * `[[statex-fault:<kind>]]` (kind nlp, asr, docai or prototype) fails every
 * delivery as a crashing worker would: the message is retried at once until
 * the queue moves it to its dead-letter queue, and the job never hears back,
 * so its attempt deadline decides.
 *
 * Where the marker goes: nlp and prototype read the request text, so the text
 * holds it; asr and docai carry a file instead, so the file's name holds it
 * (`interview [[statex-fault:asr]].wav`), and only that file's task fails. The
 * marker must name the task's own kind.
 *
 * Beside the marker, AI_FAULT_RATE (0 to 1) fails that share of all task
 * attempts as a provider outage does: the attempt is reported failed and
 * retryable, so the job's own retries are what the fault run (scripts/chaos.mjs)
 * puts to the test, at the pace of real failures rather than of deadlines.
 *
 * Two locks keep both out of production: AI_FAULTS must be "on" (only the dev
 * environment of infra/topology.mjs sets it) and ENVIRONMENT must be
 * "development" (written by the config generator for the dev environment only).
 */
import type { TaskMessage } from "@statex/shared/tasks";

const MARKER = /\[\[statex-fault:(asr|docai|nlp|prototype)\]\]/g;

/** True when this task must fail on purpose: never outside development. */
export function faultInjected(task: TaskMessage, env: Pick<AiEnv, "AI_FAULTS" | "ENVIRONMENT">): boolean {
  if (!faultsOn(env)) return false;
  const carried = [task.input.text, task.input.fileName].filter((s) => s !== undefined).join("\n");
  return [...carried.matchAll(MARKER)].some((m) => m[1] === task.kind);
}

const faultsOn = (env: { ENVIRONMENT: string; AI_FAULTS: string }) => env.ENVIRONMENT === "development" && env.AI_FAULTS === "on";

/** True when this attempt must fail as a provider outage would (AI_FAULT_RATE of them): never outside development. */
export function attemptFaultInjected(env: { ENVIRONMENT: string; AI_FAULTS: string; AI_FAULT_RATE: string }, random: () => number = Math.random): boolean {
  if (!faultsOn(env)) return false;
  const rate = Number(env.AI_FAULT_RATE);
  return Number.isFinite(rate) && rate > 0 && random() < rate;
}
