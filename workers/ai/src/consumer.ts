/**
 * The ai-tasks consumer: each message is one attempt of one task. It is run
 * through the provider chain and its outcome reported to the orchestrator over
 * RPC. Only a failed report is retried (so no result is lost); a task that
 * failed is reported as such, and the orchestrator decides about retries.
 */
import { backoffSeconds } from "@statex/shared/consumer";
import { type Logger, errorField } from "@statex/shared/logger";
import { TaskMessage, type TaskReport } from "@statex/shared/tasks";
import { attemptFaultInjected, faultInjected } from "./fault";
import { runChain } from "./providers/chain";
import type { Provider } from "./providers/types";

/**
 * How many of a batch's text tasks (nlp, prototype) run side by side: they mostly wait on a provider, and a
 * Worker waits on six connections at most.
 */
const TEXT_TASKS_AT_ONCE = 5;
/**
 * File tasks (asr, docai) hold their whole file in memory, and parsing one takes a few times its size, in a 128 MB
 * isolate: beside the text tasks, up to three run at once while their files add up to 16 MiB; a bigger file (up to
 * 100 MB) runs alone. A task whose message does not say its file's size counts as a big one.
 */
const FILE_TASKS_AT_ONCE = 3;
const FILE_BYTES_AT_ONCE = 16 * 1024 * 1024;
const FILE_KINDS = new Set(["asr", "docai"]);

function fileBytes(message: Message): number {
  const size = (message.body as { input?: { fileSize?: unknown } } | null)?.input?.fileSize;
  return typeof size === "number" && Number.isFinite(size) && size >= 0 ? size : FILE_BYTES_AT_ONCE;
}

export async function consumeTasks(batch: MessageBatch, env: AiEnv, chain: Provider[], log: Logger): Promise<void> {
  // Each task is acked or retried on its own; its attempt's clock starts at pick-up, when it gets its turn.
  const isFile = (m: Message) => FILE_KINDS.has(String((m.body as { kind?: unknown } | null)?.kind));
  const run = (message: Message) =>
    consumeTask(message, batch.queue, env, chain, log).catch((err: unknown) => {
      log.error("task handling failed unexpectedly, will retry", { messageId: message.id, error: errorField(err) });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    });
  await Promise.all([
    inTurn(batch.messages.filter((m) => !isFile(m)), TEXT_TASKS_AT_ONCE, run),
    inTurn(batch.messages.filter(isFile), FILE_TASKS_AT_ONCE, run, { of: fileBytes, max: FILE_BYTES_AT_ONCE }),
  ]);
}

/**
 * Runs `fn` over `items` in order, at most `limit` at a time and, with a `budget`, while the costs of those running
 * add up to no more than `budget.max` (an item that costs more than that runs once nothing else does).
 */
export function inTurn<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, budget?: { of: (item: T) => number; max: number }): Promise<void> {
  const lanes = Math.max(1, limit);
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = 0;
    let spent = 0;
    let failed = false;
    const pump = (): void => {
      while (!failed && next < items.length && running < lanes) {
        const item = items[next] as T;
        const cost = budget ? Math.min(budget.of(item), budget.max) : 0;
        if (budget && running > 0 && spent + cost > budget.max) break;
        next++;
        running++;
        spent += cost;
        fn(item).then(
          () => {
            running--;
            spent -= cost;
            pump();
          },
          (err: unknown) => {
            // The first failure settles the whole; nothing new starts after it.
            failed = true;
            reject(err);
          },
        );
      }
      if (next >= items.length && running === 0) resolve();
    };
    pump();
  });
}

/**
 * Sends values one at a time, newest first: while one is on its way, later ones replace each other, so a model
 * that streams faster than the page can take it costs one call at a time, and nothing arrives out of order. A
 * failed send is dropped (a draft is only a preview).
 */
export function latestOnly(send: (value: string) => Promise<unknown>): { push: (value: string) => void; settled: () => Promise<void> } {
  let latest: string | undefined;
  let running: Promise<void> | undefined;
  const pump = async () => {
    while (latest !== undefined) {
      const value = latest;
      latest = undefined;
      await send(value).catch(() => undefined);
    }
    running = undefined;
  };
  return {
    push(value) {
      latest = value;
      running ??= pump();
    },
    settled: () => running ?? Promise.resolve(),
  };
}

async function consumeTask(message: Message, queue: string, env: AiEnv, chain: Provider[], log: Logger): Promise<void> {
  const parsed = TaskMessage.safeParse(message.body);
  if (!parsed.success) {
    // It will never become valid, so retrying only delays the verdict. ai has no D1 for dead letters:
    // the error line, with the body, reaches the logging worker's store through Q_LOGS.
    log.error("invalid task message dropped", {
      queue,
      messageId: message.id,
      issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
      body: JSON.stringify(message.body).slice(0, 1_000),
    });
    message.ack();
    return;
  }
  const task = parsed.data;
  const taskLog = log.withCorrelation(task.requestId);
  try {
    // The job's clock for this attempt starts now, not when it was queued; a stale attempt is skipped unrun.
    const pickUp = await env.ORCHESTRATOR.taskPickedUp({ requestId: task.requestId, taskId: task.taskId, attempt: task.attempt });
    if (!pickUp.accepted) {
      taskLog.info("stale task skipped", { taskId: task.taskId, attempt: task.attempt, reason: pickUp.reason });
      message.ack();
      await taskLog.flush();
      return;
    }
  } catch (err) {
    taskLog.warn("the orchestrator did not take the pick-up, will retry", { taskId: task.taskId, error: String(err) });
    message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    await taskLog.flush();
    return;
  }
  if (faultInjected(task, env)) {
    // Dev-only (see fault.ts): no report, and a retry without delay, so the dead letter comes in seconds.
    taskLog.warn("fault injected: task delivery fails on purpose", { taskId: task.taskId, attempt: task.attempt, delivery: message.attempts });
    message.retry();
    await taskLog.flush();
    return;
  }
  const drafts = latestOnly((markdown) => env.ORCHESTRATOR.taskDraft({ requestId: task.requestId, taskId: task.taskId, attempt: task.attempt, markdown }));
  const started = Date.now();
  // Dev-only (see fault.ts): the attempt fails as an outage of every provider would, and is reported like one.
  const report: TaskReport = attemptFaultInjected(env)
    ? { ok: false, requestId: task.requestId, taskId: task.taskId, attempt: task.attempt, error: "fault injected: every provider failed this attempt", errorClass: "retryable" }
    : await runChain(chain, task, env, taskLog, { draft: drafts.push });
  taskLog.metric(report.ok ? { metric: "task", kind: task.kind, provider: report.provenance.provider, outcome: "succeeded", durationMs: Date.now() - started, tokens: (report.provenance.usage?.inputTokens ?? 0) + (report.provenance.usage?.outputTokens ?? 0) } : { metric: "task", kind: task.kind, provider: "none", outcome: report.errorClass, durationMs: Date.now() - started });
  // The last draft reaches the page before the finished one replaces it.
  await drafts.settled();
  try {
    // A retry after this point runs the task again: cheap offline, and results are idempotent by attempt.
    const outcome = await env.ORCHESTRATOR.reportTaskResult(report);
    if (outcome.accepted) taskLog.info("task reported", { taskId: task.taskId, attempt: task.attempt, ok: report.ok });
    else taskLog.warn("task report not accepted", { taskId: task.taskId, attempt: task.attempt, reason: outcome.reason });
    message.ack();
  } catch (err) {
    taskLog.warn("reporting the task failed, will retry", { taskId: task.taskId, attempts: message.attempts, error: String(err) });
    message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  } finally {
    await taskLog.flush();
  }
}
