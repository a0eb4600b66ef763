/** drizzle over a worker's D1 binding, with the shared schema. */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}
export type Database = ReturnType<typeof database>;
export { schema };

/** The vars that turn on {@link withWriteFaults}: development only, a share of writes from 0 to 1. */
export type D1FaultEnv = { ENVIRONMENT?: string; D1_FAULT_RATE?: string };

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

/**
 * Dev-only: the binding with a share (`D1_FAULT_RATE`) of its writes failing before they reach the database, as a D1
 * outage or an overloaded database refuses them, so the fault run (scripts/chaos.mjs) shows the platform's retries
 * absorbing them. Outside development, or at a rate of 0, the binding itself. A refused statement fails its whole
 * batch, as D1 does.
 */
export function withWriteFaults(d1: D1Database, env: D1FaultEnv, random: () => number = Math.random): D1Database {
  const rate = Number(env.D1_FAULT_RATE);
  if (env.ENVIRONMENT !== "development" || !Number.isFinite(rate) || rate <= 0) return d1;
  const refuse = (sql: string) => {
    if (WRITE.test(sql) && random() < rate) throw new Error("D1_ERROR: write refused (fault injected: D1_FAULT_RATE)");
  };
  return {
    prepare(sql) {
      refuse(sql);
      return d1.prepare(sql);
    },
    batch: (statements) => d1.batch(statements),
    exec(sql) {
      refuse(sql);
      return d1.exec(sql);
    },
    withSession: (constraint) => d1.withSession(constraint),
    dump: () => d1.dump(),
  };
}
