/**
 * Structured JSON logs, tagged with the service and the request's correlation id.
 *
 * Every line goes to the console (Workers observability picks it up) and is
 * buffered for the logging worker, which stores it so ops can read one
 * request's whole story. `flush()` sends the buffer in one queue batch; call it
 * through `ctx.waitUntil` so logging never delays an answer.
 */
import { z } from "zod";
import type { Service } from "./events";

export const LogLevel = z.enum(["debug", "info", "warn", "error"]);
export type LogLevel = z.infer<typeof LogLevel>;

/** One log line as it travels to the logging worker. */
export const LogLine = z.object({
  ts: z.iso.datetime(),
  level: LogLevel,
  service: z.string().min(1).max(32),
  correlationId: z.string().max(128).optional(),
  msg: z.string().min(1).max(2_000),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type LogLine = z.infer<typeof LogLine>;

/** The body of one message on the logs queue: a batch of lines. */
export const LogBatch = z.object({ lines: z.array(LogLine).min(1).max(500) });
export type LogBatch = z.infer<typeof LogBatch>;

/**
 * `Q_LOGS`: where lines are shipped (the logging worker's store, by correlation id). `LOG_CONSOLE`: the lowest
 * level also echoed to the console (Workers Logs and `wrangler tail` in the cloud, the terminal locally); unset
 * echoes every line.
 */
export type LoggerEnv = { Q_LOGS?: Queue; LOG_CONSOLE?: string };

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Whether a line of `level` is echoed to the console under `LOG_CONSOLE` (an unknown setting echoes everything). */
export function echoes(setting: string | undefined, level: LogLevel): boolean {
  const least = LogLevel.safeParse(setting);
  return !least.success || RANK[level] >= RANK[least.data];
}

export class Logger {
  private buffer: LogLine[] = [];

  constructor(
    private readonly env: LoggerEnv,
    readonly service: Service,
    readonly correlationId?: string,
  ) {}

  /** A logger for the same service about another request. */
  withCorrelation(correlationId: string): Logger {
    return new Logger(this.env, this.service, correlationId);
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write("debug", msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write("info", msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write("warn", msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write("error", msg, fields);
  }

  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    const line: LogLine = {
      ts: new Date().toISOString(),
      level,
      service: this.service,
      ...(this.correlationId ? { correlationId: this.correlationId } : {}),
      msg: msg.slice(0, 2_000),
      ...(fields ? { fields: safeFields(fields) } : {}),
    };
    if (echoes(this.env.LOG_CONSOLE, level)) (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(JSON.stringify(line));
    this.buffer.push(line);
  }

  /** Sends buffered lines to the logging worker. Never throws: losing a log line must not fail a request. */
  async flush(): Promise<void> {
    await shipLines(this.env, this.service, this.buffer.splice(0));
  }

  /** Takes the buffered lines out, to ship them together with other loggers' lines (see {@link shipLines}). */
  drain(): LogLine[] {
    return this.buffer.splice(0);
  }
}

/**
 * Sends log lines (of one or more loggers of a service) to the logging worker, up to 500 a message.
 * Never throws: losing a log line must not fail a request.
 */
export async function shipLines(env: LoggerEnv, service: Service, lines: LogLine[]): Promise<void> {
  if (!lines.length || !env.Q_LOGS) return;
  try {
    for (let i = 0; i < lines.length; i += 500) {
      await env.Q_LOGS.send({ lines: lines.slice(i, i + 500) } satisfies LogBatch, { contentType: "json" });
    }
  } catch (err) {
    console.error(JSON.stringify({ level: "error", service, msg: "log flush failed", error: String(err) }));
  }
}

/** Errors become plain objects (name and message, no stack) so lines stay serialisable and small. */
/** Anything thrown, as a log field: an Error keeps its name and message (the stack is dropped), anything else becomes a string. */
export function errorField(err: unknown): Error | string {
  return err instanceof Error ? err : String(err);
}

function safeFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}
