/**
 * The alert rules, in one place for ops to read. Each says what it watches, how long the condition must hold before
 * it fires (`forMinutes`), and what it measures; the cron evaluates every rule each minute (src/alerts.ts), and an
 * alert is announced to ops once when it fires and once when it resolves, however long it lasts.
 *
 * Thresholds are here, not in variables: changing what pages ops is a reviewed change, like the rules themselves.
 */

/** What the cron found this minute, which every rule is judged on (gathered by alerts.ts). */
export type Facts = {
  openDeadLetters: number;
  jobs5m: { completed: number; failed: number };
  /** Per queue: its backlog at the last look and now. */
  backlogs: Record<string, [number, number]>;
  /** Who answered down: this worker (its own dependencies) and the platform's health check, where configured. */
  unhealthy: string[];
  p95ToCompletedMs: number | null;
};

export type Verdict = { holds: boolean; value: number; summary: string };

export type Rule = {
  id: string;
  title: string;
  description: string;
  /** How long the condition must hold, minute after minute, before the alert fires (0: at once). */
  forMinutes: number;
  threshold: number | null;
  evaluate: (facts: Facts) => Verdict;
};

const FAILURE_RATE = 0.2;
/** Fewer jobs than this in 5 minutes say nothing about a rate. */
const FAILURE_RATE_MIN_JOBS = 5;
const P95_TO_COMPLETED_MS = 5 * 60_000;

export const RULES: Rule[] = [
  {
    id: "dead-letters",
    title: "Dead letters appeared",
    description: "A message exhausted its retries on some queue and waits, not redriven, in the dead letters.",
    forMinutes: 0,
    threshold: 0,
    evaluate: (f) => ({ holds: f.openDeadLetters > 0, value: f.openDeadLetters, summary: `${f.openDeadLetters} dead letter(s) not redriven` }),
  },
  {
    id: "failure-rate",
    title: "Jobs failing",
    description: `More than ${FAILURE_RATE * 100}% of the jobs that ended in the last 5 minutes failed (at least ${FAILURE_RATE_MIN_JOBS} ended), for 5 minutes.`,
    forMinutes: 5,
    threshold: FAILURE_RATE,
    evaluate: (f) => {
      const ended = f.jobs5m.completed + f.jobs5m.failed;
      const rate = ended ? f.jobs5m.failed / ended : 0;
      return { holds: ended >= FAILURE_RATE_MIN_JOBS && rate > FAILURE_RATE, value: rate, summary: `${Math.round(rate * 100)}% of ${ended} jobs failed over 5 minutes` };
    },
  },
  {
    id: "queue-backlog",
    title: "A queue's backlog is growing",
    description: "A queue's backlog grew at every look (never shrank) over the last 10 minutes.",
    forMinutes: 10,
    threshold: null,
    evaluate: (f) => {
      const growing = Object.entries(f.backlogs).filter(([, [before, now]]) => now > 0 && now > before);
      const worst = growing.sort((a, b) => b[1][1] - a[1][1])[0];
      return { holds: growing.length > 0, value: worst?.[1][1] ?? 0, summary: worst ? `${worst[0]}: backlog ${worst[1][1]} and growing` : "no backlog growing" };
    },
  },
  {
    id: "worker-unhealthy",
    title: "A worker is unhealthy",
    description: "The platform's health check answers down (a worker, or a dependency it needs, is down), for 2 minutes.",
    forMinutes: 2,
    threshold: null,
    evaluate: (f) => ({ holds: f.unhealthy.length > 0, value: f.unhealthy.length, summary: f.unhealthy.length ? `down: ${f.unhealthy.join(", ")}` : "all up" }),
  },
  {
    id: "p95-time-to-completed",
    title: "Requests take too long",
    description: `The 95th percentile of the time from submission to completed over the last 15 minutes is over ${P95_TO_COMPLETED_MS / 60_000} minutes.`,
    forMinutes: 5,
    threshold: P95_TO_COMPLETED_MS,
    evaluate: (f) => ({
      holds: f.p95ToCompletedMs !== null && f.p95ToCompletedMs > P95_TO_COMPLETED_MS,
      value: f.p95ToCompletedMs ?? 0,
      summary: f.p95ToCompletedMs === null ? "no request completed" : `p95 time to completed ${Math.round(f.p95ToCompletedMs / 1_000)} s`,
    }),
  },
];
