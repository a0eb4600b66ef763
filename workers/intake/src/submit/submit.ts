/**
 * POST /requests, as JSON or as multipart/form-data: only reading the body differs (body.ts). Then one flow for
 * both: the honeypot, one validation, the limits, Turnstile for the site's channel, the uploads it names, and one
 * creation, so the same fault gets the same problem whichever form carried it.
 *
 * A form's files are written to R2 as they arrive, then the request row, its file rows and its event in one D1
 * batch; on any refusal or failure before that batch, every object this submission wrote is deleted, so nothing
 * half-written outlives it (a crash in between leaves objects the sweep removes, see sweep.ts).
 */
import { callerOf } from "@statex/shared/auth";
import { database } from "@statex/shared/db";
import { ProblemError, validationProblem } from "@statex/shared/errors";
import { newId } from "@statex/shared/ids";
import type { Logger } from "@statex/shared/logger";
import { SubmitBody } from "@statex/shared/api/intake";
import { createRequest } from "../create";
import { refusedAsSpam, turnstileFailure } from "../spam";
import { claimUploads, isUploadReuse } from "../uploads/store";
import { accepted } from "./answer";
import { readBody } from "./body";
import { bodyHash, idempotencyKeyOf, idempotent } from "./idempotency";
import { limitsOf, tooLargeProblem, tooManyFiles } from "./limits";

/** A raw field's value when it is text: the honeypot and the spam log read the body before it is validated. */
function textField(fields: unknown, key: string): string | undefined {
  const value: unknown = typeof fields === "object" && fields !== null ? Reflect.get(fields, key) : undefined;
  return typeof value === "string" ? value : undefined;
}

/** Takes a submission from its request to its 202 (or its problem). */
export async function submit(req: Request, env: IntakeEnv, ctx: Pick<ExecutionContext, "waitUntil">, log: Logger): Promise<Response> {
  const key = idempotencyKeyOf(req.headers);
  const limits = limitsOf(env);
  const db = database(env.DB);
  const bucket = env.FILES;
  const requestId = newId("req");
  const written: string[] = [];
  let created = false;
  try {
    const body = await readBody(req, bucket, requestId, limits, (k) => written.push(k));
    const clientIp = req.headers.get("cf-connecting-ip") ?? undefined;
    const suspect = { channel: textField(body.fields, "channel") ?? "api", clientIp, email: textField(body.fields, "email"), excerpt: textField(body.fields, "text") };
    // Before validation: a bot is refused as one whether or not its other fields would pass.
    if (textField(body.fields, "website")?.trim()) throw await refusedAsSpam(env.DB, { ...suspect, reason: "honeypot field filled" });
    const parsed = SubmitBody.safeParse(body.fields);
    if (!parsed.success) throw validationProblem(parsed.error.issues);
    const { website: _honeypot, "cf-turnstile-response": turnstileToken, uploadIds, uploadTokens, ...fields } = parsed.data;
    if (fields.text.length > limits.textChars) throw tooLargeProblem("text", `at most ${limits.textChars} characters`);
    if (body.files.length + uploadIds.length > limits.files) throw tooManyFiles(limits, "uploadIds");
    // Turnstile guards the site's form (channel web); API clients are held by the gateway's rate limit. It comes
    // after validation: a token is good for one verification, and a person who fixes a field sends the same one.
    const failure = fields.channel === "web" ? await turnstileFailure(env, turnstileToken, clientIp) : undefined;
    if (failure) throw await refusedAsSpam(env.DB, { ...suspect, reason: failure });
    const uploads = await claimUploads(db, uploadIds, uploadTokens);
    const files = [...body.files, ...uploads.files];
    const hash = await bodyHash(fields, files);
    const { notifyBy, locale } = fields;
    const contact = {
      name: fields.name,
      email: fields.email,
      ...(fields.phone ? { phone: fields.phone } : {}),
      ...(fields.telegram ? { telegram: fields.telegram } : {}),
      ...(fields.whatsapp ? { whatsapp: fields.whatsapp } : {}),
      ...(fields.linkedin ? { linkedin: fields.linkedin } : {}),
    };
    const preferences = notifyBy || locale ? { ...(notifyBy ? { channels: notifyBy } : {}), ...(locale ? { locale } : {}) } : undefined;
    const userId = callerOf(req.headers)?.userId;
    const outcome = await idempotent(db, key, hash, () =>
      createRequest(db, env, ctx, log, { id: requestId, channel: fields.channel, contact, preferences, text: fields.text, files, userId, idempotencyKey: key, idempotencyHash: hash, statements: uploads.statements }),
    );
    created = !outcome.replayed;
    // A replay's files duplicate the first request's: the first request keeps its own.
    if (outcome.replayed) await deleteAll(bucket, written);
    return accepted(env, outcome.id);
  } catch (err) {
    if (!created) await deleteAll(bucket, written);
    if (isUploadReuse(err)) throw new ProblemError(409, "upload-not-ready", "An upload named in uploadIds is already used by a request", [{ field: "uploadIds", message: "already used by a request" }]);
    throw err;
  }
}

async function deleteAll(bucket: R2Bucket, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}
