/**
 * POST /requests (submit) and GET /requests/:id (status for the status-URL holder or the signed-in owner).
 */
import { database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { verifyStatusToken } from "@statex/shared/ids";
import { callerOf } from "@statex/shared/auth";
import { createRequest } from "./create";
import { accepted } from "./submit/answer";
import { bodyHash, idempotencyKeyOf, idempotent } from "./submit/idempotency";
import { multipartSubmit } from "./submit/multipart";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";

/** The JSON body of a text request. Length of `text` is checked apart (413, configurable). */
export const SubmitBody = z.strictObject({
  name: z.string().trim().min(1, "required").max(200),
  email: z.email("must be an email address").max(254),
  text: z.string().trim().min(1, "required"),
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, "must be a phone number").optional(),
  telegram: z.string().trim().regex(/^@?[A-Za-z0-9_]{5,32}$/, "must be a Telegram username").optional(),
  whatsapp: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, "must be a phone number").optional(),
  channel: z.enum(["web", "api"]).default("api"),
});

const StatusQuery = z.object({ token: z.string().min(16).max(128).optional() });
const IdParam = z.object({ id: z.string().regex(/^req_[0-9A-Z]{26}$/, "must be a request id") });

/** The body of a JSON submission may not exceed this; text has its own, smaller limit. */
const MAX_JSON_BYTES = 256 * 1024;

export const requestsRoutes = new Hono<AppEnv<IntakeEnv>>()
  // Who may call: anyone (the gateway rate-limits per client). A signed-in client's request is theirs.
  // multipart/form-data (files) is handled by multipartSubmit; JSON goes on.
  .post("/", multipartSubmit(SubmitBody), limitBody(MAX_JSON_BYTES), requireMediaType("application/json", "multipart/form-data"), validate("json", SubmitBody), async (c) => {
    const body = c.req.valid("json");
    const maxText = Number(c.env.MAX_TEXT_CHARS);
    if (body.text.length > maxText) {
      throw new ProblemError(413, "field-too-large", `text is longer than ${maxText} characters`, [
        { field: "text", message: `at most ${maxText} characters` },
      ]);
    }
    const contact = {
      name: body.name,
      email: body.email,
      ...(body.phone ? { phone: body.phone } : {}),
      ...(body.telegram ? { telegram: body.telegram } : {}),
      ...(body.whatsapp ? { whatsapp: body.whatsapp } : {}),
    };
    const userId = callerOf(c.req.raw.headers)?.userId;
    const db = database(c.env.DB);
    const key = idempotencyKeyOf(c.req.raw.headers);
    const hash = key ? await bodyHash(body) : undefined;
    const { id } = await idempotent(db, key, hash ?? "", () =>
      createRequest(db, c.env, c.executionCtx, c.get("log"), { channel: body.channel, contact, text: body.text, files: [], userId, idempotencyKey: key, idempotencyHash: hash }),
    );
    return accepted(c.env, id);
  })
  // Who may call: the holder of the request's status token (it came back from the submission), or the signed-in
  // client who owns the request (their dashboard links here without a token).
  .get("/:id", validate("param", IdParam), validate("query", StatusQuery), async (c) => {
    const { id } = c.req.valid("param");
    const { token } = c.req.valid("query");
    const byToken = token !== undefined && (await verifyStatusToken(c.env.STATUS_TOKEN_SECRET, id, token));
    const db = database(c.env.DB);
    const row = await db.select().from(schema.requests).where(eq(schema.requests.id, id)).get();
    const byOwner = row?.userId != null && callerOf(c.req.raw.headers)?.userId === row.userId;
    // A wrong token, someone else's request and an unknown id look the same, so ids cannot be probed.
    if (!row || !(byToken || byOwner)) throw notFound("Request");
    const job = await db.select().from(schema.jobs).where(eq(schema.jobs.requestId, id)).get();
    // Not started yet: it may be waiting in line for one of the platform's job slots. Only a nicety, so an
    // orchestrator that does not answer leaves it out rather than failing the status.
    const line = job ? null : await c.env.ORCHESTRATOR.placeInLine({ requestId: id }).catch(() => null);
    // One URL, different callers (token or session): no shared cache may keep or hand out a copy.
    c.header("cache-control", "private, no-store");
    c.header("vary", "authorization");
    return c.json({
      id: row.id,
      status: job?.status ?? "received",
      line,
      channel: row.channel,
      createdAt: row.createdAt,
      completedAt: job?.completedAt ?? null,
      contact: { name: row.name, email: row.email },
      text: row.text,
      steps: job?.steps ?? [],
      result: job?.result ?? null,
      error: job?.error ?? null,
    });
  });
