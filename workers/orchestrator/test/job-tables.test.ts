import { runInDurableObject } from "cloudflare:test";
import { newId } from "@statex/shared/ids";
import { describe, expect, it } from "vitest";
import { JobStore } from "../src/job-store";
import { jobOf } from "./helpers";

/** The tables as the first release created them, before `round`, `slot_released` and `budget_from`. */
const FIRST_RELEASE = `
CREATE TABLE job (id INTEGER PRIMARY KEY CHECK (id = 1), request_id TEXT NOT NULL, status TEXT NOT NULL, request TEXT NOT NULL,
  started_at INTEGER NOT NULL, finished_at INTEGER, result_key TEXT, result TEXT, error TEXT,
  version INTEGER NOT NULL DEFAULT 1, mirrored_version INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);
CREATE TABLE tasks (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, deps TEXT NOT NULL, input TEXT NOT NULL,
  state TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 0, deadline_at INTEGER, picked_at INTEGER, retry_at INTEGER,
  started_at INTEGER, finished_at INTEGER, result_key TEXT, output TEXT, provider TEXT, error TEXT);
CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, target TEXT NOT NULL, body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, sent_at INTEGER);
INSERT INTO job (id, request_id, status, request, started_at, version, mirrored_version, updated_at)
  VALUES (1, 'req_old', 'processing', '{}', 1000, 4, 3, 2000);
INSERT INTO tasks (id, seq, kind, deps, input, state, attempt) VALUES ('nlp', 0, 'nlp', '[]', '{}', 'running', 2);
INSERT INTO outbox (id, target, body) VALUES ('req_old:job.created', 'event', '{}');`;

describe("the job's tables", () => {
  it("upgrade an object the first release created: its rows are kept and the later columns added with their defaults", async () => {
    await runInDurableObject(jobOf(newId("req")), (_job, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE job; DROP TABLE tasks; DROP TABLE outbox;");
      sql.exec(FIRST_RELEASE);
      const store = new JobStore(sql);
      store.migrate();
      expect(store.job()).toMatchObject({ request_id: "req_old", status: "processing", version: 4, mirrored_version: 3, round: 0, slot_released: 0 });
      expect(store.tasks()).toMatchObject([{ id: "nlp", state: "running", attempt: 2, budget_from: 1 }]);
      expect(store.unsent()).toMatchObject([{ id: "req_old:job.created", attempts: 0 }]);
      // Migrating again changes nothing: every object migrates each time it wakes.
      store.migrate();
      expect(sql.exec("PRAGMA table_info(job)").toArray()).toHaveLength(14);
      expect(sql.exec("PRAGMA table_info(tasks)").toArray()).toHaveLength(17);
    });
  });
});
