/**
 * The session check the gateway made on every request before access tokens, kept for the benchmark only: identity's
 * `IdentityApi.authenticate(token)` as it was up to 3d86c9d (`userForToken` in workers/identity/src/sessions.ts) —
 * the opaque token's sha256 looked up in D1's `sessions` (unique index on `token_hash`), joined to its user. The
 * sessions table still keys a session by a token's hash (its current refresh token's), so the lookup reads the same
 * rows through the same index as it did.
 *
 * `apiKey(key)` is identity's `IdentityApi.apiKey` as the gateway calls it per request for an API key: identity's own
 * `checkApiKey` (the key's sha256 looked up in `api_keys`, joined to its owner), its use recorded after the answer at
 * most once a minute.
 *
 * `jwks()` hands the JWT side of the benchmark (bench/auth) the public keys identity published, as
 * `IdentityApi.jwks()` does for the gateway: fetched once per five minutes, never per request.
 */
import { PublicJwk, type VerificationKey } from "@statex/shared/access-token";
import type { Role } from "@statex/shared/auth";
import { database, schema } from "@statex/shared/db";
import { sha256Hex } from "@statex/shared/hash";
import { WorkerEntrypoint } from "cloudflare:workers";
import { and, eq, gt, isNull } from "drizzle-orm";
import { type KeyCaller, checkApiKey } from "../../workers/identity/src/api-keys";

/** An opaque token as identity gave them out: 32 random bytes, base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type SessionUser = { userId: string; email: string; name: string; role: Role };

export class Sessions extends WorkerEntrypoint<BenchSessionsEnv> {
  /** The user a token signs in, or null when it is unknown, expired, revoked or not a token at all. */
  async authenticate(token: string): Promise<SessionUser | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const { sessions, users } = schema;
    const row = await database(this.env.DB)
      .select({ userId: users.id, email: users.email, name: users.name, role: users.role })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, await sha256Hex(token)), gt(sessions.expiresAt, new Date().toISOString()), isNull(sessions.revokedAt)))
      .get();
    return row ?? null;
  }

  /** The caller an API key stands for, or null; as `IdentityApi.apiKey` does it, with identity's own check. */
  async apiKey(key: string): Promise<KeyCaller | null> {
    const checked = await checkApiKey(database(this.env.DB), key);
    if (!checked) return null;
    if (checked.touch) this.ctx.waitUntil(checked.touch());
    return checked.caller;
  }

  /** The public keys identity signs access tokens with (those it publishes: active, or retired within their grace). */
  async jwks(): Promise<VerificationKey[]> {
    const { signingKeys } = schema;
    const rows = await database(this.env.DB).select({ publicJwk: signingKeys.publicJwk, verifyUntil: signingKeys.verifyUntil }).from(signingKeys).all();
    return rows.map((r) => ({ jwk: PublicJwk.parse(JSON.parse(r.publicJwk)), verifyUntil: r.verifyUntil ? Date.parse(r.verifyUntil) : null }));
  }
}

/** Reached only over its RPC entrypoint. */
export default {
  fetch: () => new Response(null, { status: 404 }),
} satisfies ExportedHandler<BenchSessionsEnv>;
