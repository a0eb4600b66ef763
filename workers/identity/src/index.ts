/**
 * identity: users, passwords, sessions and roles, the keys that sign access tokens, and the dashboard's queries.
 * HTTP is reached only through the gateway; `IdentityApi` is the gateway's RPC entrypoint for the public keys it
 * verifies access tokens with (it asks for them every few minutes, not per request). `Throttle`, its Durable Object,
 * counts sign-ins, registrations and emailed links per account and per network.
 */
import type { VerificationKey } from "@statex/shared/access-token";
import { database } from "@statex/shared/db";
import { createApp } from "@statex/shared/http";
import { outboxCron } from "@statex/shared/relay";
import { WorkerEntrypoint } from "cloudflare:workers";
import { purgeExpiredTokens } from "./account-tokens";
import { type KeyCaller, checkApiKey } from "./api-keys";
import { myApiKeysRoutes, serviceAccountRoutes } from "./routes/api-keys";
import { jwksRoutes, signingKeyRoutes } from "./routes/keys";
import { meRoutes } from "./routes/me";
import { mySessionsRoutes } from "./routes/my-sessions";
import { passwordResetsRoutes } from "./routes/password-resets";
import { rolesRoutes } from "./routes/roles";
import { securityEventsRoutes } from "./routes/security-events";
import { sessionsRoutes } from "./routes/sessions";
import { usersRoutes } from "./routes/users";
import { purgeOldSecurityEvents } from "./security-events";
import { purgeExpiredSessions } from "./sessions";
import { purgeRetiredKeys, verificationKeys } from "./signing-keys";

const app = createApp<IdentityEnv>("identity");
app.route("/users", usersRoutes);
app.route("/password-resets", passwordResetsRoutes);
app.route("/sessions", sessionsRoutes);
// Beside /me rather than inside it, with its own guard: the same signed-in user, about their own sessions.
app.route("/me/sessions", mySessionsRoutes);
app.route("/me/api-keys", myApiKeysRoutes);
app.route("/me", meRoutes);
app.route("/.well-known", jwksRoutes);
app.route("/signing-keys", signingKeyRoutes);
// Under /ops as at the gateway: finding accounts and granting roles, for ops and admins only.
app.route("/ops", rolesRoutes);
app.route("/ops", serviceAccountRoutes);
app.route("/ops/security-events", securityEventsRoutes);

export { Throttle } from "./throttle";

/** The gateway's view of identity: the keys that verify access tokens, and the check of an API key. */
export class IdentityApi extends WorkerEntrypoint<IdentityEnv> {
  /** Every key that verifies access tokens now, each with the moment it stops (once retired). */
  async jwks(): Promise<VerificationKey[]> {
    return verificationKeys(database(this.env.DB), this.env.SIGNING_KEY_SECRET);
  }

  /**
   * The caller an API key stands for, or null when it is unknown, revoked or expired (the gateway answers 401).
   * Asked per request, so a revocation holds from the next call; the use is recorded after the answer.
   */
  async apiKey(key: string): Promise<KeyCaller | null> {
    const checked = await checkApiKey(database(this.env.DB), key);
    if (!checked) return null;
    if (checked.touch) this.ctx.waitUntil(checked.touch());
    return checked.caller;
  }
}

export default {
  fetch: app.fetch,
  /**
   * Every minute: relay what the outbox still holds, drop sessions that can no longer refresh, keys past their grace
   * and security events past their retention.
   */
  scheduled: outboxCron<IdentityEnv>("identity", async (db, _env, log) => {
    const links = await purgeExpiredTokens(db);
    if (links) log.info("expired account links removed", { links });
    const purged = await purgeExpiredSessions(db);
    const keys = await purgeRetiredKeys(db);
    if (purged || keys) log.info("expired sessions and signing keys removed", { sessions: purged, keys });
    const events = await purgeOldSecurityEvents(db);
    if (events) log.info("security events past their retention removed", { events });
  }),
} satisfies ExportedHandler<IdentityEnv>;
