/**
 * The Hono pieces every worker shares: a request id that doubles as the
 * correlation id, a per-request logger, the one problem+json error pipeline,
 * validators that throw field-named problems, and `GET /health`.
 */
import { zValidator } from "@hono/zod-validator";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { ProblemError, problemResponse, validationProblem } from "./errors";
import type { Service } from "./events";
import { checkHealth } from "./health";
import { Logger, type LoggerEnv } from "./logger";

/** The header that carries a request's id across every hop. */
export const REQUEST_ID_HEADER = "x-request-id";

export type AppVariables = { requestId: string; log: Logger };
export type AppEnv<E> = { Bindings: E; Variables: AppVariables };

const safeId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's request id when it is well formed (the gateway's), otherwise makes one. */
export function requestContext<E extends LoggerEnv>(service: Service): MiddlewareHandler<AppEnv<E>> {
  return async function requestContext(c, next) {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const requestId = incoming && safeId.test(incoming) ? incoming : crypto.randomUUID();
    const log = new Logger(c.env, service, requestId);
    c.set("requestId", requestId);
    c.set("log", log);
    const started = Date.now();
    // What escapes `next` (a refusal thrown by the not-found handler) is answered after this middleware: its status.
    let thrown: number | undefined;
    try {
      await next();
    } catch (err) {
      thrown = err instanceof ProblemError || err instanceof HTTPException ? err.status : 500;
      throw err;
    } finally {
      // The route's pattern, not its path: one series per route, however many ids pass through it.
      log.metric({ metric: "http", route: `${c.req.method} ${c.req.routePath}`, status: thrown ?? c.res.status, service, durationMs: Date.now() - started });
      c.header(REQUEST_ID_HEADER, requestId);
      c.executionCtx.waitUntil(log.flush());
    }
  };
}

/** Maps anything thrown to problem+json. 5xx are logged and never show internals. */
export function onError<E extends LoggerEnv>(err: Error, c: Context<AppEnv<E>>): Response {
  const requestId = c.get("requestId");
  const instance = new URL(c.req.url).pathname;
  if (err instanceof ProblemError) {
    if (err.status >= 500) c.get("log")?.error("request failed", { error: err, path: instance });
    return problemResponse(err.toBody(instance, requestId), err.headers);
  }
  if (err instanceof HTTPException) {
    const malformed = /malformed/i.test(err.message);
    const problem = new ProblemError(
      err.status,
      malformed ? "malformed-body" : "http-error",
      malformed ? "The request body could not be parsed" : err.message || "Request refused",
      malformed ? [{ field: "body", message: err.message }] : undefined,
    );
    return problemResponse(problem.toBody(instance, requestId));
  }
  c.get("log")?.error("unhandled error", { error: err, path: instance });
  return problemResponse(
    new ProblemError(500, "internal-error", "Something went wrong on our side").toBody(instance, requestId),
  );
}

/** A new Hono app with the shared middleware, error pipeline and health route. */
export function createApp<E extends LoggerEnv>(service: Service): Hono<AppEnv<E>> {
  const app = new Hono<AppEnv<E>>();
  app.use(requestContext<E>(service));
  app.onError(onError<E>);
  app.notFound((c) => {
    throw new ProblemError(404, "not-found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  });
  // Who may call: anyone who can reach the worker, which is only the gateway (workers_dev = false); the gateway
  // shows the checks to ops and only up or down to everyone else. 503 when a dependency it needs is down.
  app.get("/health", async (c) => {
    const health = await checkHealth(c.env ?? {});
    return c.json({ service, ...health, time: new Date().toISOString() }, health.status === "down" ? 503 : 200);
  });
  return app;
}

/** Refuses a body that is not of one of the given media types (415), before anything reads it. */
export function requireMediaType(...types: string[]): MiddlewareHandler {
  return async function requireMediaType(c, next) {
    const media = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!types.includes(media)) {
      throw new ProblemError(415, "unsupported-media-type", `Send the body as ${types.join(" or ")}`, [
        { field: "content-type", message: `expected ${types.join(" or ")}, got ${media || "nothing"}` },
      ]);
    }
    await next();
  };
}

/**
 * Refuses a body longer than `maxBytes` (413): by its declared length, or for a chunked body by counting while it
 * streams, so reading stops at the limit instead of holding the whole body in memory first.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
}

function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError(413, "too-large", `The request body is larger than ${maxBytes} bytes`, [
    { field: "body", message: `at most ${maxBytes} bytes` },
  ]);
}

/** zod validation of one part of the request; failures throw a 400 naming each field. */
export function validate<T extends "json" | "query" | "param" | "header", S extends z.ZodType>(target: T, schema: S) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw validationProblem(result.error.issues, target === "json" ? undefined : target);
  });
}
