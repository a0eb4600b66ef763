/**
 * The job's store: its tables (job-tables.ts) as the object reads and writes them. Every method is synchronous,
 * so a state change and the messages it causes are written together, with no other request able to interleave.
 */
import type { PlannedTask } from "./plan";
import { type JobRow, type OutboxRow, type TaskRow, type TaskUpdate, migrateJobTables } from "./job-tables";

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

  migrate(): void {
    this.forget();
    migrateJobTables(this.sql);
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

  /**
   * Forgets the request's personal data: the request as it arrived (contact, text, files), each task's input and
   * output (the text, transcripts, documents' text, the analysis and the draft) and where the outputs were in R2,
   * the job's analysis, and every message that carried any of it (sent ones are history; unsent task messages and
   * unsent request.completed / request.failed, which carry the contact, no longer go). States, attempts, times,
   * errors and provenance (the usage ops count) stay. The version moves, so the D1 mirror is rewritten without them.
   */
  erase(requestId: string, now: number): void {
    this.forget();
    this.sql.exec("UPDATE job SET request = ?, result = NULL, result_key = NULL, version = version + 1, updated_at = ? WHERE id = 1", JSON.stringify({ requestId, erased: true }), now);
    this.sql.exec("UPDATE tasks SET input = '{}', output = NULL, result_key = NULL");
    this.sql.exec(
      "DELETE FROM outbox WHERE sent_at IS NOT NULL OR target = 'task' OR json_extract(body, '$.type') IN ('request.completed', 'request.failed')",
    );
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

  /** Drops what was read; every write to the job or tasks tables calls it. */
  private forget(): void {
    this.read = {};
  }
}
