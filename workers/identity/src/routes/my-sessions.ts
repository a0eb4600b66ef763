/**
 * GET /me/sessions, DELETE /me/sessions/:id and DELETE /me/sessions: the signed-in user's own sessions, to see where
 * the account is signed in and end what they do not recognise. Ending a session stops its refresh at once; an access
 * token it already had keeps working until it expires (15 minutes at most), as the gateway verifies those alone.
 */
import { refuseApiKeys, requireRole } from "@statex/shared/auth";
import { callerSessionId, signedInCaller } from "@statex/shared/caller";
import { database, schema } from "@statex/shared/db";
import { notFound } from "@statex/shared/errors";
import { type AppEnv, validate } from "@statex/shared/http";
import { Hono } from "hono";
import { SessionParam } from "@statex/shared/api/identity";
import { liveSessions, revokeSession, revokeUserSessions } from "../sessions";


export const mySessionsRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Every route: any signed-in user at a session (never with an API key), about their own sessions only (the user id
  // comes from the gateway).
  .use(requireRole("client"), refuseApiKeys())
  // Who may call: any signed-in user. "Last used" is the last sign-in or refresh: access tokens are checked by the
  // gateway alone, so a session in use is seen every 15 minutes at least.
  .get("/", async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const current = callerSessionId(c.req.raw.headers);
    const sessions = await liveSessions(database(c.env.DB), userId);
    return c.json({ sessions: sessions.map((s) => ({ ...s, current: s.id === current })) }, 200, { "cache-control": "private, no-store" });
  })
  // Who may call: any signed-in user, for one of their own sessions; another's id (or one already ended) is 404.
  .delete("/:id", validate("param", SessionParam), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const { id } = c.req.valid("param");
    const ended = await revokeSession(database(c.env.DB), userId, id, "ended-by-user").returning({ id: schema.sessions.id }).all();
    if (!ended.length) throw notFound("Session");
    c.get("log").info("session ended by its user", { userId, sessionId: id });
    return c.body(null, 204);
  })
  // Who may call: any signed-in user: every session of theirs but the one making this call ("sign out everywhere else").
  .delete("/", async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const current = callerSessionId(c.req.raw.headers) ?? undefined;
    const result = await revokeUserSessions(database(c.env.DB), userId, "ended-by-user", current).run();
    c.get("log").info("other sessions ended by their user", { userId, ended: result.meta.changes });
    return c.json({ ended: result.meta.changes });
  });
