/**
 * The job's own SQLite (the Durable Object's storage): the one row of the job,
 * its tasks, and the outbox of messages still to send. Every method is
 * synchronous, so a state change and the messages it causes are written
 * together, with no other request able to interleave.
 */
import type { JobStep } from "@statex/shared/schema";
import type { TaskKind } from "@statex/shared/tasks";
import type { PlannedTask } from "./plan";

export type JobStatus = "processing" | "completed" | "failed" | "cancelled";
export type TaskState = JobStep["state"];

/** The job row. Times are epoch milliseconds. */
export type JobRow = {
  request_id: string;
  status: JobStatus;
  request: string;
  started_at: number;
  finished_at: number | null;
  result_key: string | null;
  result: string | null;
  error: string | null;
  version: number;
  mirrored_version: number;
  updated_at: number;
  /** How many times ops reopened the job; part of event ids, so a retried job can fail or finish again. */
  round: number;
  /** 1 once the ended job gave its JobSlots slot back (an ops retry runs outside the line, so it stays 1). */
  slot_released: number;
};

/** One task row: its place in the graph, its current attempt and its outcome. */
export type TaskRow = {
  id: string;
  seq: number;
  kind: TaskKind;
  deps: string;
  input: string;
  state: TaskState;
  attempt: number;
  deadline_at: number | null;
  /** When the ai worker took the current attempt off the queue; null while it waits there. */
  picked_at: number | null;
  retry_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  result_key: string | null;
  output: string | null;
  provider: string | null;
  error: string | null;
  /** The first attempt that counts against the attempt budget: an ops retry gives a fresh budget. */
  budget_from: number;
};

/** The columns of a task that change after planning. */
export type TaskUpdate = Partial<Omit<TaskRow, "id" | "seq" | "kind" | "deps" | "input">>;

/** A message to send: an event for its subscribers, or a task for the ai queue. */
export type OutboxRow = { seq: number; id: string; target: "event" | "task"; body: string; attempts: number };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  request_id TEXT NOT NULL,
  status TEXT NOT NULL,
  request TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  result_key TEXT,
  result TEXT,
  error TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  mirrored_version INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  round INTEGER NOT NULL DEFAULT 0,
  slot_released INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  deps TEXT NOT NULL,
  input TEXT NOT NULL,
  state TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  deadline_at INTEGER,
  picked_at INTEGER,
  retry_at INTEGER,
  started_at INTEGER,
  finished_at INTEGER,
  result_key TEXT,
  output TEXT,
  provider TEXT,
  error TEXT,
  budget_from INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  target TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  sent_at INTEGER
);`;

/** Columns added after the first release, as [table, definition]. */
const ADDED_COLUMNS: readonly [string, string][] = [
  ["job", "round INTEGER NOT NULL DEFAULT 0"],
  ["tasks", "budget_from INTEGER NOT NULL DEFAULT 1"],
  ["job", "slot_released INTEGER NOT NULL DEFAULT 0"],
];

/** The ids a task depends on, from its `deps` column. */
export function depsOf(task: Pick<TaskRow, "deps">): string[] {
  const value: unknown = JSON.parse(task.deps);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Typed access to the job's tables.
 *
 * The job row and the task list are kept as last read until the next write to either table: a step reads them
 * many times (each guard and decision asks again) and writes a few times, and every write goes through this class,
 * so the copy can never be older than the tables. What it hands out is frozen: a caller that changed a row would
 * otherwise change the copy the next caller reads.
 */
export class JobStore {
  private read: { job?: JobRow | undefined; tasks?: TaskRow[] } = {};

  constructor(private readonly sql: SqlStorage) {}

  /** Drops what was read. Every write to the job or tasks tables here calls it; so must a writer outside this class. */
  forget(): void {
    this.read = {};
  }

  migrate(): void {
    this.forget();
    this.sql.exec(SCHEMA);
    // Objects created before a column existed get it added; CREATE TABLE IF NOT EXISTS leaves them as they were.
    for (const [table, column] of ADDED_COLUMNS) {
      const has = this.sql.exec<{ name: string }>(`PRAGMA table_info(${table})`).toArray().some((c) => c.name === column.split(" ")[0]);
      if (!has) this.sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
    }
  }

  job(): JobRow | undefined {
    if (!("job" in this.read)) {
      const row = this.sql.exec<JobRow>("SELECT * FROM job WHERE id = 1").toArray()[0];
      this.read.job = row && Object.freeze(row);
    }
    return this.read.job;
  }

  tasks(): TaskRow[] {
    // Frozen at run time; typed as a plain array for the callers that only read it.
    return (this.read.tasks ??= Object.freeze(this.sql.exec<TaskRow>("SELECT * FROM tasks ORDER BY seq").toArray().map((t) => Object.freeze(t))) as TaskRow[]);
  }

  task(id: string): TaskRow | undefined {
    return this.tasks().find((t) => t.id === id);
  }

  createJob(requestId: string, request: unknown, plan: PlannedTask[], now: number): void {
    this.forget();
    this.sql.exec(
      "INSERT INTO job (id, request_id, status, request, started_at, updated_at) VALUES (1, ?, 'processing', ?, ?, ?)",
      requestId,
      JSON.stringify(request),
      now,
      now,
    );
    plan.forEach((t, seq) =>
      this.sql.exec(
        "INSERT INTO tasks (id, seq, kind, deps, input, state) VALUES (?, ?, ?, ?, ?, 'pending')",
        t.id,
        seq,
        t.kind,
        JSON.stringify(t.deps),
        JSON.stringify(t.input),
      ),
    );
  }

  /** Updates some columns of a task. Column names come from the typed keys, never from input. */
  updateTask(id: string, fields: TaskUpdate): void {
    const entries = Object.entries(fields);
    if (!entries.length) return;
    this.forget();
    this.sql.exec(
      `UPDATE tasks SET ${entries.map(([k]) => `${k} = ?`).join(", ")} WHERE id = ?`,
      ...entries.map(([, v]) => v ?? null),
      id,
    );
  }

  /** Updates the job row and bumps its version, so the D1 mirror knows it is behind. */
  updateJob(fields: Partial<Pick<JobRow, "status" | "finished_at" | "result_key" | "result" | "error" | "round">>, now: number): void {
    const entries = Object.entries(fields);
    this.forget();
    this.sql.exec(
      `UPDATE job SET ${[...entries.map(([k]) => `${k} = ?`), "version = version + 1", "updated_at = ?"].join(", ")} WHERE id = 1`,
      ...entries.map(([, v]) => v ?? null),
      now,
    );
  }

  /** Marks a change to the tasks that the D1 mirror has to show. */
  touch(now: number): void {
    this.updateJob({}, now);
  }

  markSlotReleased(): void {
    this.forget();
    this.sql.exec("UPDATE job SET slot_released = 1 WHERE id = 1");
  }

  markMirrored(version: number): void {
    this.forget();
    this.sql.exec("UPDATE job SET mirrored_version = max(mirrored_version, ?) WHERE id = 1", version);
  }

  /** Queues a message; a second enqueue of the same id is ignored, so replaying a step sends nothing new. */
  enqueue(id: string, target: OutboxRow["target"], body: unknown): void {
    this.sql.exec("INSERT OR IGNORE INTO outbox (id, target, body) VALUES (?, ?, ?)", id, target, JSON.stringify(body));
  }

  unsent(): OutboxRow[] {
    return this.sql
      .exec<OutboxRow>("SELECT seq, id, target, body, attempts FROM outbox WHERE sent_at IS NULL ORDER BY seq")
      .toArray();
  }

  markSent(seq: number, now: number): void {
    this.sql.exec("UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE seq = ?", now, seq);
  }

  markFailed(seq: number, error: string): void {
    this.sql.exec("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?", error.slice(0, 1_000), seq);
  }
}
