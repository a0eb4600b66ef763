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
import { type MetricPoint, MetricRow, type MetricsEnv, dataPointOf, observabilityOff, rowOf } from "./metrics";

export const LogLevel = z.enum(["debug", "info", "warn", "error"]);
export type LogLevel = z.infer<typeof LogLevel>;

/** One log line as it travels to the logging worker. */
export const LogLine = z.object({
  ts: z.iso.datetime(),
  level: LogLevel,
  service: z.string().min(1).max(32),
  correlationId: z.string().max(128).optional(),
  /** The HTTP request id the line was written under, when its correlation id is another (a submission's `req_…`). */
  requestId: z.string().max(128).optional(),
  msg: z.string().min(1).max(2_000),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type LogLine = z.infer<typeof LogLine>;

/**
 * The body of one message on the logs queue: a batch of lines, and where the worker has no Analytics Engine (locally)
 * its metric data points (shared/src/metrics.ts), which the logging worker rolls up.
 */
export const LogBatch = z
  .object({ lines: z.array(LogLine).max(500), points: z.array(MetricRow).max(500).optional() })
  .refine((b) => b.lines.length > 0 || (b.points?.length ?? 0) > 0, "must carry a line or a point");
export type LogBatch = z.infer<typeof LogBatch>;

/**
 * `Q_LOGS`: where lines are shipped (the logging worker's store, by correlation id). `LOG_CONSOLE`: the lowest
 * level also echoed to the console (Workers Logs and `wrangler tail` in the cloud, the terminal locally); unset
 * echoes every line.
 */
export type LoggerEnv = { Q_LOGS?: Queue; LOG_CONSOLE?: string } & MetricsEnv;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Whether a line of `level` is echoed to the console under `LOG_CONSOLE` (an unknown setting echoes everything). */
export function echoes(setting: string | undefined, level: LogLevel): boolean {
  const least = LogLevel.safeParse(setting);
  return !least.success || RANK[level] >= RANK[least.data];
}

export class Logger {
  private buffer: LogLine[] = [];
  private points: MetricRow[] = [];

  constructor(
    private readonly env: LoggerEnv,
    readonly service: Service,
    readonly correlationId?: string,
    readonly requestId?: string,
  ) {}

  /**
   * A logger for the same service about another request. Its lines keep the HTTP request id they were written
   * under, so a submission's lines before and after its `req_…` existed read as one story.
   */
  withCorrelation(correlationId: string): Logger {
    const requestId = this.requestId ?? this.correlationId;
    return new Logger(this.env, this.service, correlationId, requestId === correlationId ? undefined : requestId);
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
    const redact = !observabilityOff(this.env);
    const line: LogLine = {
      ts: new Date().toISOString(),
      level,
      service: this.service,
      ...(this.correlationId ? { correlationId: this.correlationId } : {}),
      ...(this.requestId ? { requestId: this.requestId } : {}),
      msg: (redact ? redactText(msg) : msg).slice(0, 2_000),
      ...(fields ? { fields: redact ? redactFields(fields) : fields } : {}),
    };
    if (echoes(this.env.LOG_CONSOLE, level)) (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(JSON.stringify(line));
    this.buffer.push(line);
  }

  /**
   * Records a metric data point: into Analytics Engine where the worker has it, else shipped with the lines for the
   * logging worker's roll-up. Never throws: a point that does not fit is dropped, not a failed request.
   */
  metric(point: MetricPoint): void {
    if (observabilityOff(this.env)) return;
    try {
      const row = rowOf(point);
      if (this.env.METRICS) this.env.METRICS.writeDataPoint(dataPointOf(row));
      else if (this.points.length < 500) this.points.push(row);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", service: this.service, msg: "metric dropped", error: String(err) }));
    }
  }

  /** Sends buffered lines (and points) to the logging worker. Never throws: losing a log line must not fail a request. */
  async flush(): Promise<void> {
    await shipLines(this.env, this.service, this.buffer.splice(0), this.points.splice(0));
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
export async function shipLines(env: LoggerEnv, service: Service, lines: LogLine[], points: MetricRow[] = []): Promise<void> {
  if ((!lines.length && !points.length) || !env.Q_LOGS) return;
  try {
    for (let i = 0; i < Math.max(lines.length, 1); i += 500) {
      const batch: LogBatch = { lines: lines.slice(i, i + 500), ...(i === 0 && points.length ? { points } : {}) };
      await env.Q_LOGS.send(batch, { contentType: "json" });
    }
  } catch (err) {
    console.error(JSON.stringify({ level: "error", service, msg: "log flush failed", error: String(err) }));
  }
}

/** Anything thrown, as a log field: an Error keeps its name and message (the stack is dropped), anything else becomes a string. */
export function errorField(err: unknown): Error | string {
  return err instanceof Error ? err : String(err);
}

/*
 * Redaction. A log line leaves the worker (the console, Workers Logs, the logging worker's D1) and is read by ops
 * and kept for days: it must carry no one's address, number or secret. Every line is redacted here, before it is
 * echoed or buffered, so no call site has to remember to. Two nets: a field's name (a password is a secret whatever
 * it looks like) and the shape of a value anywhere in a string (an address inside an error message or a URL).
 */

/** Field names (lower case, letters and digits only) whose string values are secrets, by how the name ends. */
const SECRET_NAME = /(password|passwd|passphrase|secret|token|apikey|authorization|cookie|signature|pepper|ticket|credentials?|privatekey|otp)$/;
const EMAIL_NAME = /(email|emailaddress|mail)$/;
const PHONE_NAME = /(phone|phonenumber|mobile|whatsapp|msisdn)$/;

/**
 * Shapes, in the order they are replaced: the token-bearing shapes first, so an address inside a URL's query
 * string goes with the parameter. Each keeps enough around it (the scheme, the parameter's name) to read the line.
 */
const SHAPES: [RegExp, string][] = [
  // `Authorization: Bearer …`, wherever it was copied into a string.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted:token]"],
  // A JWT (our access tokens): three base64url parts, the first a JSON header.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[redacted:token]"],
  // A Telegram bot token (`123456:AA…`), as it appears in Bot API URLs.
  [/(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}/g, "[redacted:token]"],
  // API keys with a vendor prefix (OpenAI's sk-…, Resend's re_…, Svix's whsec_…, our own sx_live_…/sx_test_…).
  // Only OpenAI's takes a hyphen, so a hyphenated word (re-authentication-required) stays.
  [/\b(?:sk-|(?:sk|re|whsec|rk|pk|sx)_)[A-Za-z0-9_-]{16,}/g, "[redacted:token]"],
  // A secret-named query or form parameter, or `name: value` / `"name":"value"` inside a string.
  [/\b([A-Za-z_-]*(?:password|passwd|secret|token|api[_-]?key|ticket|signature|sig)["']?\s*[=:]\s*["']?)([^\s&"',;}]+)/gi, "$1[redacted]"],
  // Any local part RFC 5322 allows unquoted, and an @ that was percent-encoded in a URL.
  [/[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "[redacted:email]"],
  // An HMAC-SHA256 in base64url (status tokens, refresh tokens, unsubscribe tokens): 43 characters with a digit or
  // a capital in them, so a long word stays.
  [/(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]{0,42}[0-9A-Z])(?=[A-Za-z0-9_-]{0,42}[a-z])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, "[redacted:token]"],
  // Phone numbers: international (+ and 7 to 15 digits, separators allowed) or written with separators in groups
  // (030 1234 5678, (555) 123-4567). A date, a time, a version or a bare run of digits (an epoch, an id) is not one.
  [/(?<![\w+.:/-])\+\d(?:[ ()-]?\d){6,14}(?![\w])/g, "[redacted:phone]"],
  [/(?<![\w.:/-])\(?\d{2,5}\)?[ -]\d{3,4}[ -]\d{3,5}(?![\w:.-])/g, "[redacted:phone]"],
];

/** A string with every email, phone number, token and secret-looking parameter in it replaced by a marker. */
export function redactText(text: string): string {
  let out = text;
  for (const [shape, marker] of SHAPES) out = out.replace(shape, marker);
  return out;
}

/** How deep redaction follows nested fields; deeper values are dropped rather than shipped unread. */
const MAX_DEPTH = 8;

function redactValue(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  const name = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (typeof value === "string" || (typeof value === "object" && value !== null && !(value instanceof Error))) {
    // A count or a flag under such a name (tokens: 1200, hasPassword: true) says nothing secret; a value does.
    if (SECRET_NAME.test(name)) return "[redacted]";
    if (EMAIL_NAME.test(name)) return "[redacted:email]";
    if (PHONE_NAME.test(name)) return "[redacted:phone]";
  }
  if (typeof value === "string") return redactText(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((v) => redactValue(key, v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(k, v, depth + 1, seen);
  return out;
}

/**
 * A line's fields, redacted by name and by shape at any depth; errors become plain objects (name and message, no
 * stack), so lines stay serialisable and small.
 */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = redactValue(key, value, 0, seen);
  return out;
}
