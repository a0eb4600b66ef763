/**
 * One D1 batch (one transaction) of drizzle queries and raw SQL. drizzle's own `db.batch` cannot carry raw SQL with
 * parameters on D1 (its SQLiteRaw has no prepared statement to bind), and the search index (FTS5) and the guarded
 * inserts (`insert … select … where exists`) are raw SQL.
 */
import { SQL, is } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";

export type Statement = SQL | { toSQL(): { sql: string; params: unknown[] } };

const dialect = new SQLiteSyncDialect();

export function batch(d1: D1Database, statements: readonly Statement[]): Promise<D1Result[]> {
  return d1.batch(
    statements.map((s) => {
      const query = is(s, SQL) ? dialect.sqlToQuery(s) : s.toSQL();
      return d1.prepare(query.sql).bind(...query.params);
    }),
  );
}
