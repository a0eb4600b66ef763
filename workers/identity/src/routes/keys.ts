/** GET /.well-known/jwks.json (the public keys of access tokens) and POST /signing-keys/rotate (ops rotate them). */
import { RotateKeysBody } from "@statex/shared/api/identity";
import { requireRole } from "@statex/shared/auth";
import { signedInCaller } from "@statex/shared/caller";
import { database } from "@statex/shared/db";
import { type AppEnv, limitBody, requireMediaType, validate } from "@statex/shared/http";
import { Hono } from "hono";
import { rotateSigningKey, verificationKeys } from "../signing-keys";


export const jwksRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: anyone. Public keys only; a verifier may keep them for five minutes (a new key is published a
  // minute before it signs, and a verifier fetches again for a kid it does not know).
  .get("/jwks.json", async (c) => {
    const keys = await verificationKeys(database(c.env.DB), c.env.SIGNING_KEY_SECRET);
    return c.json({ keys: keys.map((k) => k.jwk) }, 200, { "cache-control": "public, max-age=300" });
  });

export const signingKeyRoutes = new Hono<AppEnv<IdentityEnv>>()
  // Who may call: ops (and admins). The new key signs once it has been published for a minute; see README, "Sessions".
  .post("/rotate", requireRole("ops"), limitBody(1024), requireMediaType("application/json"), validate("json", RotateKeysBody), async (c) => {
    const { userId } = signedInCaller(c.req.raw.headers);
    const { immediately } = c.req.valid("json");
    const rotated = await rotateSigningKey(database(c.env.DB), c.env.SIGNING_KEY_SECRET, immediately);
    c.get("log").warn("signing key rotated", { by: userId, kid: rotated.kid, immediately });
    return c.json(rotated, 201);
  });
