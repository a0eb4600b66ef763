/**
 * The access token: a JWT that identity signs with ES256 and the gateway verifies on its own, with no call to
 * identity per request. Its fixed strings, its claims and the shape of its verification keys are declared here once,
 * so the worker that signs and the worker that verifies cannot disagree on them.
 */
import { z } from "zod";
import { ROLES } from "./auth";

/** `iss`: who signs. */
export const ACCESS_TOKEN_ISSUER = "statex-identity";
/** `aud`: who accepts. */
export const ACCESS_TOKEN_AUDIENCE = "statex-api";
/** The `typ` header of an access token (RFC 9068), so no other JWT signed by the same key could pass for one. */
export const ACCESS_TOKEN_TYPE = "at+jwt";
/** The one algorithm signed and accepted: ECDSA P-256 with SHA-256, which WebCrypto runs in workerd. */
export const ACCESS_TOKEN_ALG = "ES256";
/**
 * An access token's life, in seconds. The gateway does not ask identity about sessions, so this is also how long a
 * token already issued keeps working after its session is revoked, at most.
 */
export const ACCESS_TOKEN_TTL_S = 15 * 60;

/** The claims that say who the caller is, beside the registered ones (iss, aud, iat, exp) jose checks. */
export const AccessClaims = z.object({
  /** The user's id. */
  sub: z.string().regex(/^usr_[0-9A-Z]{26}$/),
  role: z.enum(ROLES),
  /** The session the token was issued for: what signing out ends. */
  sid: z.string().regex(/^ses_[0-9A-Z]{26}$/),
});
export type AccessClaims = z.infer<typeof AccessClaims>;

/** A P-256 public key as a JWK, named by its `kid`: what `/.well-known/jwks.json` lists. */
export const PublicJwk = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  kid: z.string().min(1),
  alg: z.literal(ACCESS_TOKEN_ALG),
  use: z.literal("sig"),
});
export type PublicJwk = z.infer<typeof PublicJwk>;

/**
 * A key that verifies access tokens, as identity hands it to the gateway (`IdentityApi.jwks()`): `verifyUntil` (epoch
 * ms) is set once the key is retired, after which it verifies nothing, even from a copy of the key set held in memory.
 */
export type VerificationKey = { jwk: PublicJwk; verifyUntil: number | null };
