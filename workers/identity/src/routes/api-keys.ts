/**
 * POST, GET /me/api-keys and DELETE /me/api-keys/:id: a signed-in user's API keys, for their own systems to call as
 * them; and for ops, POST and GET /ops/service-accounts (an account for a system, with its first key; the list with
 * their keys), POST /ops/service-accounts/:id/api-keys (another key for one, to rotate it) and DELETE
 * /ops/api-keys/:id (revoking anyone's key, a leaked one say). Every key's creation and revocation is a security
 * event, and so in the audit trail.
 */
import { ApiKeyParam, CreateApiKeyBody, ServiceAccountBody, ServiceAccountsQuery, UserParam } from "@statex/shared/api/identity";
import { refuseApiKeys, requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { type Database, database, schema } from "@statex/shared/db";
import { ProblemError, notFound } from "@statex/shared/errors";
import { createEvent } from "@statex/shared/events";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { newId } from "@statex/shared/ids";
import { outboxInsert } from "@statex/shared/outbox";
import { and, desc, eq, gte, inArray, isNull, lt, lte } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { z } from "zod";
import { MAX_LIVE_KEYS, apiKeyView, issueApiKey, keysOf, liveKeyCount } from "../api-keys";
import { relayAfterResponse } from "../events";
import { securityEvent } from "../security-events";
import { userView } from "../users";

const { apiKeys, users } = schema;


const noStore = { "cache-control": "private, no-store" };

/** What a key (and a service account with its first) is made with. */
type ApiKeyInput = z.output<typeof CreateApiKeyBody>;

/** A service account as ops see it: the account's view, and that it is one. */
const serviceAccountView = (row: typeof users.$inferSelect) => ({ ...userView(row), kind: "service" as const });

/** Another live key past the account's limit is refused rather than letting keys pile up unnoticed. */
async function refuseBeyondLimit(db: Database, userId: string): Promise<void> {
  if ((await liveKeyCount(db, userId)) >= MAX_LIVE_KEYS) {
    throw new ProblemError(409, "too-many-keys", `An account holds at most ${MAX_LIVE_KEYS} live API keys; revoke one first`);
  }
}

/** Revokes a live key (of `userId` only, when given) with its security event; 404 when there is none such. */
async function revokeKey(c: Context<AppEnv<IdentityEnv>>, id: string, userId: string | null): Promise<void> {
  const db = database(c.env.DB);
  const { userId: actorId } = signedInCaller(c.req.raw.headers);
  const key = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), userId === null ? undefined : eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .get();
  if (!key) throw notFound("API key");
  const now = new Date();
  const by = actorId === key.userId ? "" : ` by ${actorId}`;
  const recorded = await securityEvent(db, "api-key-revoked", { userId: key.userId, detail: `${key.id} ${key.prefix}${by}` }, now);
  await db.batch([db.update(apiKeys).set({ revokedAt: now.toISOString() }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))), recorded.insert]);
  c.get("log").info("API key revoked", { keyId: key.id, userId: key.userId, by: actorId });
}

export const myApiKeysRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Every route: any signed-in user, about their own keys, at a session: a key never makes or lists keys.
  .use(requireRole("client"), refuseApiKeys())
  // Who may call: any signed-in user. The key is in this answer only; identity keeps its sha256.
  .post("/", limitBody(4 * 1024), requireMediaType("application/json"), validate("json", CreateApiKeyBody), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const { name, scopes, expiresAt } = c.req.valid("json");
    const db = database(c.env.DB);
    await refuseBeyondLimit(db, userId);
    const issued = await issueApiKey(db, c.env.ENVIRONMENT, { userId, name, scopes, expiresAt: expiresAt ?? null });
    const recorded = await securityEvent(db, "api-key-created", { userId, detail: `${issued.answer.id} ${issued.answer.prefix} ${issued.answer.scopes.join(",")}` });
    await db.batch([issued.insert, recorded.insert]);
    c.get("log").info("API key created", { keyId: issued.answer.id, userId, scopes: issued.answer.scopes });
    return c.json(issued.answer, 201, noStore);
  })
  // Who may call: any signed-in user: their keys, revoked and expired ones too, newest first.
  .get("/", async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const keys = await keysOf(database(c.env.DB), userId);
    return c.json({ keys: keys.map(apiKeyView) }, 200, noStore);
  })
  // Who may call: any signed-in user, for a live key of their own; another's (or one revoked already) is 404.
  .delete("/:id", validate("param", ApiKeyParam), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    await revokeKey(c, c.req.valid("param").id, userId);
    return c.body(null, 204);
  });

/**
 * A new key for a service account, and what records it, for the batch that writes it: its security event naming the
 * ops person, and the audit entry (`action`): an ops act with no row of its own to trigger on, recorded as ops'
 * other acts are, in the same transaction.
 */
async function serviceKey(c: Context<AppEnv<IdentityEnv>>, db: Database, accountId: string, input: ApiKeyInput, action: string, now: Date) {
  const { userId: actorId, role: actorRole } = signedInCaller(c.req.raw.headers);
  const issued = await issueApiKey(db, c.env.ENVIRONMENT, { userId: accountId, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt ?? null }, now);
  const { id, prefix, scopes } = issued.answer;
  const recorded = await securityEvent(db, "api-key-created", { userId: accountId, detail: `${id} ${prefix} ${scopes.join(",")} by ${actorId}` }, now);
  const audit = createEvent(
    "audit.recorded",
    { action, actor: { id: actorId, role: actorRole }, target: { type: "user", id: accountId }, change: { name: input.name, keyId: id, prefix, scopes } },
    { correlationId: c.get("requestId"), source: "identity" },
  );
  return { issued, recorded, audit, actorId };
}

// Each route guards itself, as in roles.ts: mounted at /ops, a `use` here would guard identity's other /ops routes.
/**
 * The ids of one page of service accounts, newest first. Ids are time-ordered, so ordering by id is creation order and
 * agrees with the `before` cursor; the users_kind_id index serves both the filter and the order (no sort of every
 * account). The page's rows are read through it as a subquery.
 */
export function serviceAccountIds(db: Database, before: string | undefined, limit: number) {
  const where = and(eq(users.kind, "service"), before === undefined ? undefined : lt(users.id, before));
  return db.select({ id: users.id }).from(users).where(where).orderBy(desc(users.id)).limit(limit);
}

export const serviceAccountRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: ops and admins, at a session. The account is a client that cannot sign in (no password verifies,
  // and its address is in the reserved .invalid domain, so no link reaches anyone); it calls with its key alone.
  .post("/service-accounts", requireRole("ops"), refuseApiKeys(), limitBody(4 * 1024), requireMediaType("application/json"), validate("json", ServiceAccountBody), async (c) => {
    const body = c.req.valid("json");
    const db = database(c.env.DB);
    const now = new Date();
    const id = newId("usr", now.getTime());
    const account = { id, email: `${id.toLowerCase()}@service-accounts.invalid`, name: body.name, passwordHash: "!", role: "client" as const, kind: "service" as const };
    const { issued, recorded, audit, actorId } = await serviceKey(c, db, id, body, "account.service-created", now);
    await db.batch([db.insert(users).values({ ...account, createdAt: now.toISOString(), updatedAt: now.toISOString() }), issued.insert, recorded.insert, outboxInsert(db, audit)]);
    c.get("log").info("service account created", { userId: id, by: actorId, keyId: issued.answer.id });
    relayAfterResponse(c, db, audit);
    const created = await db.select().from(users).where(eq(users.id, id)).get();
    if (!created) throw notFound("User");
    return c.json({ account: serviceAccountView(created), key: issued.answer }, 201, noStore);
  })
  // Who may call: ops and admins, at a session: the service accounts, newest first, each with every key it holds
  // (revoked and expired ones too, as its owner would see them), so ops can tell which to rotate or revoke.
  .get("/service-accounts", requireRole("ops"), refuseApiKeys(), validate("query", ServiceAccountsQuery), async (c) => {
    const { before, limit } = c.req.valid("query");
    const db = database(c.env.DB);
    const rows = await db.select().from(users).where(inArray(users.id, serviceAccountIds(db, before, limit + 1))).orderBy(desc(users.id)).all();
    const accounts = rows.slice(0, limit);
    // The keys of this page's accounts in one query, their ids as its subquery: bounded by the page as read, so an
    // account made meanwhile cannot push one of them out and leave it listed without its keys.
    const [newest, oldest] = [accounts[0], accounts.at(-1)];
    const pageIds = newest && oldest ? db.select({ id: users.id }).from(users).where(and(eq(users.kind, "service"), lte(users.id, newest.id), gte(users.id, oldest.id))) : undefined;
    const keys = pageIds ? await keysOf(db, pageIds) : [];
    return c.json(
      {
        accounts: accounts.map((a) => ({ ...serviceAccountView(a), keys: keys.filter((k) => k.userId === a.id).map(apiKeyView) })),
        next: rows.length > limit ? (accounts.at(-1)?.id ?? null) : null,
      },
      200,
      noStore,
    );
  })
  // Who may call: ops and admins, at a session: another key for a service account, to rotate its key without a new
  // account (its requests stay its own). 404 for a person's account: ops never make a key that acts as a person.
  .post("/service-accounts/:id/api-keys", requireRole("ops"), refuseApiKeys(), validate("param", UserParam), limitBody(4 * 1024), requireMediaType("application/json"), validate("json", CreateApiKeyBody), async (c) => {
    const { id } = c.req.valid("param");
    const db = database(c.env.DB);
    const account = await db.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.kind, "service"))).get();
    if (!account) throw notFound("Service account");
    await refuseBeyondLimit(db, id);
    const { issued, recorded, audit, actorId } = await serviceKey(c, db, id, c.req.valid("json"), "account.service-key-created", new Date());
    await db.batch([issued.insert, recorded.insert, outboxInsert(db, audit)]);
    c.get("log").info("service account key created", { userId: id, by: actorId, keyId: issued.answer.id });
    relayAfterResponse(c, db, audit);
    return c.json(issued.answer, 201, noStore);
  })
  // Who may call: ops and admins, at a session: any account's key, a leaked one say (404 for an unknown or revoked id).
  .delete("/api-keys/:id", requireRole("ops"), refuseApiKeys(), validate("param", ApiKeyParam), async (c) => {
    await revokeKey(c, c.req.valid("param").id, null);
    return c.body(null, 204);
  });
