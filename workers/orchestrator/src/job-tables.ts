/**
 * The job's own tables in its Durable Object's SQLite: the one row of the job, its tasks, and the outbox of
 * messages still to send. What their rows look like, how an object gets them (or, made by an older release,
 * the columns added since), and how their JSON columns read.
 */
import type { JobStep } from "@statex/shared/schema";
import type { TaskKind } from "@statex/shared/tasks";

export type JobStatus = "processing" | "completed" | "failed" | "cancelled";
export type TaskState = JobStep["state"];

/** The job row. Times are epoch milliseconds. */
export type JobRow = {
  request_id: string;
  status: JobStatus;
  /** The request as its job started (contact, text, files): personal data, until an erasure leaves only its id (JobStore.erase). */
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
  /** What the task reads (the text, a file's key and name); with `output`, blanked by an erasure. */
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

/**
 * Every column of every table, each declared once: a new object creates the tables whole, and an object created
 * before a column existed gets that column added. So a column added later must be nullable or have a default, and
 * be no key (SQLite adds no other kind); none is ever dropped or renamed, as deployed objects keep their data.
 */
const TABLES: Readonly<Record<"job" | "tasks" | "outbox", readonly string[]>> = {
  job: [
    "id INTEGER PRIMARY KEY CHECK (id = 1)",
    "request_id TEXT NOT NULL",
    "status TEXT NOT NULL",
    "request TEXT NOT NULL",
    "started_at INTEGER NOT NULL",
    "finished_at INTEGER",
    "result_key TEXT",
    "result TEXT",
    "error TEXT",
    "version INTEGER NOT NULL DEFAULT 1",
    "mirrored_version INTEGER NOT NULL DEFAULT 0",
    "updated_at INTEGER NOT NULL",
    "round INTEGER NOT NULL DEFAULT 0",
    "slot_released INTEGER NOT NULL DEFAULT 0",
  ],
  tasks: [
    "id TEXT PRIMARY KEY",
    "seq INTEGER NOT NULL",
    "kind TEXT NOT NULL",
    "deps TEXT NOT NULL",
    "input TEXT NOT NULL",
    "state TEXT NOT NULL",
    "attempt INTEGER NOT NULL DEFAULT 0",
    "deadline_at INTEGER",
    "picked_at INTEGER",
    "retry_at INTEGER",
    "started_at INTEGER",
    "finished_at INTEGER",
    "result_key TEXT",
    "output TEXT",
    "provider TEXT",
    "error TEXT",
    "budget_from INTEGER NOT NULL DEFAULT 1",
  ],
  outbox: [
    "seq INTEGER PRIMARY KEY AUTOINCREMENT",
    "id TEXT NOT NULL UNIQUE",
    "target TEXT NOT NULL",
    "body TEXT NOT NULL",
    "attempts INTEGER NOT NULL DEFAULT 0",
    "last_error TEXT",
    "sent_at INTEGER",
  ],
};

/** Creates the tables, or adds to an older object's tables the columns they lack. */
export function migrateJobTables(sql: SqlStorage): void {
  for (const [table, columns] of Object.entries(TABLES)) {
    sql.exec(`CREATE TABLE IF NOT EXISTS ${table} (${columns.join(", ")})`);
    const has = new Set(sql.exec<{ name: string }>(`PRAGMA table_info(${table})`).toArray().map((c) => c.name));
    for (const column of columns) {
      if (!has.has(column.split(" ")[0] ?? "")) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
    }
  }
}

/** The ids a task depends on, from its `deps` column. */
export function depsOf(task: Pick<TaskRow, "deps">): string[] {
  const value: unknown = JSON.parse(task.deps);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A JSON object column, or an empty object when it is empty or not an object. */
export function parseObject(json: string | null): Record<string, unknown> {
  if (!json) return {};
  const value: unknown = JSON.parse(json);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
