/**
 * Two ways to know who calls, side by side in one worker so nothing else differs (scripts/bench-accounts.mjs times
 * them in alternating rounds):
 *
 * - `GET /jwt` (`?repeat=n`: n times): the access token verified here, by the gateway's own check (`verifyWithKeys` from
 *   workers/gateway/src/auth.ts: ES256 only, issuer, audience, type, age, the claims), with the keys held in isolate
 *   memory and fetched over RPC every five minutes, as the gateway holds them — what the gateway does today;
 * - `GET /rpc`: the opaque token sent over a service binding to a worker that looks its hash up in D1 (bench/sessions)
 *   — what the gateway did per request before;
 * - `GET /key`: an API key (`Bearer sx_…`) checked as the gateway checks one per request, by its own `verifyApiKey`: an
 *   RPC to a worker running identity's key lookup in D1 (bench/sessions' `apiKey`, as `IdentityApi.apiKey`);
 * - `GET /none`: none of them, the floor they are measured above.
 *
 * And `GET /pbkdf2`: identity's password derivation once (PBKDF2-SHA256 at its 100,000 iterations), so the benchmark
 * can say what of a sign-in is the hash, in workerd itself.
 *
 * The benchmark imports the gateway's and identity's code on purpose (no platform worker imports another's): it times
 * the check the gateway runs and the hash identity runs, not copies that could drift from them. No Hono: the routes
 * are a few lines each, and a router would only add the same time to every side.
 */
import { verifyApiKey, verifyWithKeys } from "../../workers/gateway/src/auth";
import { VerificationKeys } from "../../workers/gateway/src/keys";
import { ITERATIONS, pbkdf2 } from "../../workers/identity/src/passwords";

let latestEnv: BenchAuthEnv | undefined;
/** The isolate's keys, as the gateway's: one fetch per five minutes through the env of the request that needs it. */
const keys = new VerificationKeys(async () => {
  if (!latestEnv) throw new Error("no request has brought the SESSIONS binding yet");
  return latestEnv.SESSIONS.jwks();
});

function bearer(request: Request): string | null {
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,4096})$/i.exec(request.headers.get("authorization") ?? "");
  return m?.[1] ?? null;
}

/** What identity derives from: an HMAC of the password (32 bytes), with a 16-byte salt (fixed: the cost is the same). */
const keyMaterial = new Uint8Array(32).fill(7);
const salt = new Uint8Array(16).fill(9);

const unauthorized = () => Response.json({ error: "unauthenticated" }, { status: 401 });

export default {
  async fetch(request, env) {
    latestEnv = env;
    const url = new URL(request.url);
    const { pathname } = url;
    if (pathname === "/none") return Response.json({ userId: null });
    if (pathname === "/pbkdf2") {
      await pbkdf2(keyMaterial, salt, ITERATIONS);
      return Response.json({ iterations: ITERATIONS });
    }
    const token = bearer(request);
    if (!token) return unauthorized();
    if (pathname === "/jwt") {
      // `?repeat=n` verifies the token n times in the request, so one verification's cost shows above the noise of a
      // request (a single one is smaller than a round trip's jitter).
      const repeat = Math.min(1000, Math.max(1, Number(url.searchParams.get("repeat")) || 1));
      let caller = await verifyWithKeys(keys, token);
      for (let i = 1; i < repeat && caller; i++) caller = await verifyWithKeys(keys, token);
      return caller ? Response.json({ userId: caller.userId }) : unauthorized();
    }
    if (pathname === "/key") {
      const caller = await verifyApiKey(env.SESSIONS, token);
      return caller ? Response.json({ userId: caller.userId }) : unauthorized();
    }
    if (pathname === "/rpc") {
      const user = await env.SESSIONS.authenticate(token);
      return user ? Response.json({ userId: user.userId }) : unauthorized();
    }
    return new Response(null, { status: 404 });
  },
} satisfies ExportedHandler<BenchAuthEnv>;
