/**
 * GET /me/requests: the dashboard's list of the caller's own requests, newest
 * first, with each one's job status. Keyset pagination on (created_at, id) so
 * pages stay stable while new requests arrive.
 *
 * "Own" is `requests.user_id` and nothing else, never a matching email: a request is the account's when it was sent
 * signed in, or when it was sent with the address before and the address has since been verified (the verification
 * sets `user_id`, `attachEarlierRequests` in users.ts). Registering someone else's address shows nothing of theirs.
 */
import { MyRequestsQuery } from "@statex/shared/api/identity";
import { requireScope } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { fromBase64Url, toBase64Url } from "@statex/shared/base64";
import { database, schema } from "@statex/shared/db";
import { validationProblem } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";


const Cursor = z.tuple([z.string().min(1), z.string().min(1)]);
type Cursor = z.infer<typeof Cursor>;

const EXCERPT_CHARS = 200;

function encodeCursor(createdAt: string, id: string): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([createdAt, id])));
}

function decodeCursor(text: string): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(fromBase64Url(text)));
  } catch {
    value = undefined;
  }
  const parsed = Cursor.safeParse(value);
  if (!parsed.success) throw validationProblem([{ code: "custom", path: ["cursor"], message: "not a cursor from a previous page", input: text }], "query");
  return parsed.data;
}

const { requests, jobs } = schema;

export const dashboardRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: any signed-in user (guarded by /me), or an API key with requests:read acting as its owner; only
  // their own requests are ever selected.
  .get("/", requireScope("requests:read"), validate("query", MyRequestsQuery), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const { cursor, limit } = c.req.valid("query");
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await database(c.env.DB)
      .select({
        id: requests.id,
        channel: requests.channel,
        excerpt: sql<string>`substr(${requests.text}, 1, ${EXCERPT_CHARS})`,
        truncated: sql<number>`length(${requests.text}) > ${EXCERPT_CHARS}`,
        createdAt: requests.createdAt,
        status: jobs.status,
        completedAt: jobs.completedAt,
      })
      .from(requests)
      .leftJoin(jobs, eq(jobs.requestId, requests.id))
      .where(
        and(
          eq(requests.userId, userId),
          after ? or(lt(requests.createdAt, after[0]), and(eq(requests.createdAt, after[0]), lt(requests.id, after[1]))) : undefined,
        ),
      )
      .orderBy(desc(requests.createdAt), desc(requests.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({
      // A request without a job mirror yet has only been received.
      items: page.map((r) => ({ ...r, truncated: Boolean(r.truncated), status: r.status ?? "received", completedAt: r.completedAt ?? null })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    });
  });
