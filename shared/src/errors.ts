/**
 * One error shape for every worker: RFC 9457 problem details.
 *
 * Handlers throw a {@link ProblemError} (or Hono's HTTPException); the
 * `onError` handler in `http.ts` turns anything thrown into
 * `application/problem+json`. Validation problems name each field that failed.
 */
import type { z } from "zod";

/** One failed field: a dotted path into the input (`text`, `contact.email`, `files.2`) and why. */
export type FieldError = { field: string; message: string };

/** The body of an RFC 9457 problem response, with our `errors` extension for field problems. */
export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
};

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** A problem the client can act on (or, for 5xx, one we own). `kind` becomes the problem type URI. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = "ProblemError";
  }

  toBody(instance?: string, requestId?: string): ProblemBody {
    return {
      type: `/problems/${this.kind}`,
      title: titles[this.status] ?? "Error",
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...(requestId ? { requestId } : {}),
    };
  }
}

/**
 * Field errors from zod issues, with paths joined by dots and prefixed (e.g. by `query`). A field the schema does not
 * have is named itself, one error each: zod reports them on the object that holds them, which a client would read as
 * the whole body being wrong.
 */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  const named = (path: readonly PropertyKey[], message: string): FieldError => ({
    field: [prefix, path.map(String).join(".")].filter(Boolean).join(".") || prefix || "body",
    message,
  });
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys" ? issue.keys.map((key) => named([...issue.path, key], "not a field of this request")) : [named(issue.path, issue.message)],
  );
}

/** 400 for input that failed its schema. */
export function validationProblem(issues: readonly z.core.$ZodIssue[], prefix?: string): ProblemError {
  const errors = fieldErrors(issues, prefix);
  const detail = `Invalid ${errors.map((e) => e.field).join(", ")}`;
  return new ProblemError(400, "validation-error", detail, errors);
}

/** 404 for an id that does not exist (or that the caller may not see: we never say which). */
export function notFound(what: string): ProblemError {
  return new ProblemError(404, "not-found", `${what} not found`);
}

/** Builds a problem+json response. */
export function problemResponse(body: ProblemBody, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}
