/**
 * POST /requests as multipart/form-data: the form's fields, its files streamed
 * into R2, and completed resumable uploads named by `uploadIds`. Files are
 * written first, then the request row, its file rows and its event in one D1
 * batch; on any refusal or failure before that batch, every object this
 * submission wrote is deleted, so nothing half-written outlives it (a crash
 * in between leaves objects the sweep removes, see sweep.ts).
 */
import { callerOf } from "@statex/shared/auth";
import { database } from "@statex/shared/db";
import { ProblemError, validationProblem } from "@statex/shared/errors";
import type { AppEnv } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { createRequest } from "../create";
import { MultipartReader, boundaryOf } from "../multipart/parser";
import { logSpam, refusedAsSpam, turnstileFailure } from "../spam";
import { claimUploads, isUploadReuse } from "../uploads/store";
import { accepted } from "./answer";
import { type Form, limitsOf, readForm, tooLargeProblem } from "./form";
import { bodyHash, idempotencyKeyOf, idempotent } from "./idempotency";

type Schema = z.ZodType<{ name: string; email: string; text: string; phone?: string | undefined; telegram?: string | undefined; whatsapp?: string | undefined; channel: "web" | "api" }>;

/** Form inputs left empty arrive as "": for optional fields that means absent. */
function fieldsOf(form: Form): Record<string, string | undefined> {
  const get = (k: string) => form.fields.get(k);
  const optional = (k: string) => (get(k)?.trim() ? get(k) : undefined);
  return { name: get("name"), email: get("email"), text: get("text"), phone: optional("phone"), telegram: optional("telegram"), whatsapp: optional("whatsapp"), channel: optional("channel") };
}

/** Handles a multipart submission; any other content type goes on to the JSON route. */
export function multipartSubmit(schema: Schema): MiddlewareHandler<AppEnv<IntakeEnv>> {
  return async function multipartSubmit(c, next) {
    const contentType = c.req.header("content-type");
    if (!/^multipart\/form-data/i.test(contentType?.trim() ?? "")) return next();
    const boundary = boundaryOf(contentType);
    const body = c.req.raw.body;
    if (!boundary || !body) throw new ProblemError(400, "malformed-body", "The multipart body could not be read", [{ field: "body", message: boundary ? "empty body" : "no boundary in content-type" }]);
    const limits = limitsOf(c.env);
    if (Number(c.req.header("content-length") ?? 0) > limits.requestBytes) throw tooLargeProblem("body", `at most ${limits.requestBytes} bytes per request`);
    const key = idempotencyKeyOf(c.req.raw.headers);
    const db = database(c.env.DB);
    const bucket = c.env.FILES;
    const requestId = newId("req");
    const written: string[] = [];
    const reader = new MultipartReader(body, boundary, limits.requestBytes);
    let created = false;
    try {
      const form = await readForm(reader, bucket, requestId, limits, (k) => written.push(k));
      const clientIp = c.req.header("cf-connecting-ip");
      const raw = fieldsOf(form);
      const spam = { channel: raw.channel ?? "api", clientIp, email: raw.email, excerpt: raw.text };
      if (form.fields.get("website")?.trim()) {
        await logSpam(c.env.DB, { ...spam, reason: "honeypot field filled" });
        throw refusedAsSpam();
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw validationProblem(parsed.error.issues);
      const fields = parsed.data;
      const maxText = limits.textChars;
      if (fields.text.length > maxText) throw tooLargeProblem("text", `at most ${maxText} characters`);
      // Turnstile guards the site's form (channel web); API clients are held by the gateway's rate limit.
      const failure = fields.channel === "web" ? await turnstileFailure(c.env, form.fields.get("cf-turnstile-response"), clientIp) : undefined;
      if (failure) {
        await logSpam(c.env.DB, { ...spam, reason: failure });
        throw refusedAsSpam();
      }
      const uploads = await claimUploads(db, form.uploadIds, form.uploadTokens);
      const files = [...form.files, ...uploads.files];
      const hash = await bodyHash(fields, files);
      const contact = { name: fields.name, email: fields.email, ...(fields.phone ? { phone: fields.phone } : {}), ...(fields.telegram ? { telegram: fields.telegram } : {}), ...(fields.whatsapp ? { whatsapp: fields.whatsapp } : {}) };
      const userId = callerOf(c.req.raw.headers)?.userId;
      const outcome = await idempotent(db, key, hash, () =>
        createRequest(db, c.env, c.executionCtx, c.get("log"), { id: requestId, channel: fields.channel, contact, text: fields.text, files, userId, idempotencyKey: key, idempotencyHash: hash, statements: uploads.statements }),
      );
      created = !outcome.replayed;
      // A replay's files duplicate the first request's: the first request keeps its own.
      if (outcome.replayed) await deleteAll(bucket, written);
      return accepted(c.env, outcome.id);
    } catch (err) {
      await reader.cancel();
      if (!created) await deleteAll(bucket, written);
      if (isUploadReuse(err)) throw new ProblemError(409, "upload-not-ready", "An upload named in uploadIds is already used by a request", [{ field: "uploadIds", message: "already used by a request" }]);
      throw err;
    }
  };
}

async function deleteAll(bucket: R2Bucket, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}
