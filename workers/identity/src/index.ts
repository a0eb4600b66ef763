/**
 * identity: users, passwords, sessions and roles, and the dashboard's queries.
 * HTTP is reached only through the gateway; `IdentityApi` is the gateway's RPC
 * entrypoint for checking a bearer token on every request.
 */
import type { AuthenticatedUser } from "@statex/shared/caller";
import { database } from "@statex/shared/db";
import { createApp } from "@statex/shared/http";
import { outboxCron } from "@statex/shared/relay";
import { WorkerEntrypoint } from "cloudflare:workers";
import { purgeExpiredTokens } from "./account-tokens";
import { meRoutes } from "./routes/me";
import { passwordResetsRoutes } from "./routes/password-resets";
import { sessionsRoutes } from "./routes/sessions";
import { usersRoutes } from "./routes/users";
import { purgeExpiredSessions, userForToken } from "./sessions";

const app = createApp<IdentityEnv>("identity");
app.route("/users", usersRoutes);
app.route("/password-resets", passwordResetsRoutes);
app.route("/sessions", sessionsRoutes);
app.route("/me", meRoutes);

/** The gateway's view of identity: who a session token belongs to. */
export class IdentityApi extends WorkerEntrypoint<IdentityEnv> {
  /** The user a bearer token signs in, or null when it is unknown or expired. Role changes apply at once. */
  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    return userForToken(database(this.env.DB), token);
  }
}

export default {
  fetch: app.fetch,
  /** Every minute: relay what the outbox still holds, and drop expired sessions. */
  scheduled: outboxCron<IdentityEnv>("identity", async (db, _env, log) => {
    const links = await purgeExpiredTokens(db);
    if (links) log.info("expired account links removed", { links });
    const purged = await purgeExpiredSessions(db);
    if (purged) log.info("expired sessions removed", { purged });
  }),
} satisfies ExportedHandler<IdentityEnv>;
