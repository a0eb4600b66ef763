/**
 * identity's part of the public API that an integrator's code meets: registering, verifying and resetting, signing in
 * and refreshing (the access token), the signed-in user, their sessions, requests and API keys. identity validates
 * with these very schemas. A new password's rules beyond its shape (not a common password, not built on the address)
 * are identity's own check, added to these bodies there (`withPasswordPolicy`): its common-password list is 42 KiB
 * gzipped, which the gateway's bundle, carrying this module for the document, should not.
 */
import { z } from "zod";
import { PublicJwk } from "../access-token";
import { API_SCOPES, ROLES } from "../auth";
import { type Operation, json } from "../openapi";
import { Timestamp } from "./common";

/** A password chosen now. Its length counts Unicode code points after NFKC, which a schema's length cannot: identity checks it. */
export const NewPassword = z
  .string()
  .describe(
    "At least 15 characters and at most 200 (each Unicode code point one character), any characters; not one of the 10,000 most common passwords; not built on the account's email address",
  );
/** A password asked for again (the current one): no rules but a bound, since it was chosen under whatever rules held then. */
export const CurrentPassword = z.string().min(1, "required").max(800);

export const RegisterBody = z.strictObject({
  email: z.email("must be an email address").max(254),
  name: z.string().trim().min(1, "required").max(200),
  password: NewPassword,
});

/** The token of a link identity mailed (verify an address, reset a password): 32 random bytes, base64url. */
export const ACCOUNT_TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const LinkTokenBody = z.strictObject({ token: z.string().regex(ACCOUNT_TOKEN, "must be the token of a link we sent") });
export const PasswordResetBody = z.strictObject({ email: z.email("must be an email address").max(254) });
export const ConfirmResetBody = LinkTokenBody.extend({ password: NewPassword });
export const ChangePasswordBody = z.strictObject({ currentPassword: CurrentPassword, password: NewPassword });
export const DeleteMeBody = z.strictObject({ password: CurrentPassword });
export const GrantRoleBody = z.strictObject({ role: z.enum(ROLES), password: CurrentPassword });

/** An address verified by its link. */
export const Verified = z.object({ emailVerified: z.literal(true) });
/** A fresh verification link sent. */
export const LinkSent = z.object({ status: z.literal("sent") });
/** The public keys (JWKS) that verify access tokens. */
export const Jwks = z.object({ keys: z.array(PublicJwk) });

/** The one answer to a registration or a reset request, the same whether the address has an account or not. */
export const CheckYourEmail = z.object({ status: z.literal("check-your-email"), message: z.string() });

/** The dashboard's page of the signed-in client's requests. */
export const MyRequestsQuery = z.object({
  /** The `nextCursor` of the page before. */
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const MyRequests = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      channel: z.enum(["web", "api", "email"]),
      excerpt: z.string().describe("The text's first 200 characters"),
      truncated: z.boolean(),
      createdAt: Timestamp,
      status: z.enum(["received", "processing", "completed", "failed", "cancelled"]),
      completedAt: Timestamp.nullable(),
    }),
  ),
  nextCursor: z.string().nullable().describe("The `cursor` of the next page; null on the last"),
});

/** The signed-in user's live sessions. */
export const MySessions = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      createdAt: Timestamp,
      lastUsedAt: Timestamp.nullable().describe("The last sign-in or refresh"),
      userAgent: z.string().nullable(),
      network: z.string().nullable().describe("An IPv4 address or an IPv6 /64"),
      current: z.boolean().describe("The session making this call"),
    }),
  ),
});

export const SignInBody = z.strictObject({
  email: z.email("must be an email address").max(254),
  password: z.string().min(1, "required").max(200),
  /** An API client's refresh token of this account, if it holds one: it is looked at, never spent (the site's cookie does the same). */
  refreshToken: z.string().min(1, "required").max(200).optional(),
});

/** An API client sends its refresh token here; the site sends `{}` and its cookie. */
export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1, "required").max(200).optional() });

export const UpdateMeBody = z.strictObject({ name: z.string().trim().min(1, "required").max(200).optional() });

export const SessionParam = z.object({ id: z.string().regex(/^ses_[0-9A-Z]{26}$/, "must be a session id") });

export const ApiKeyParam = z.object({ id: z.string().regex(/^key_[0-9A-Z]{26}$/, "must be an API key id") });

/** What a key and a service account are made with. */
const ApiKeyFields = {
  name: z.string().trim().min(1, "required").max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1, "name at least one scope").max(API_SCOPES.length * 2),
  /** An ISO date-time in the future; without it the key lives until it is revoked. */
  expiresAt: z.iso
    .datetime({ offset: true, error: "must be an ISO date-time with its offset (2027-01-01T00:00:00Z)" })
    .refine((at) => Date.parse(at) > Date.now(), "must be in the future")
    .transform((at) => new Date(at).toISOString())
    .optional(),
};
export const CreateApiKeyBody = z.strictObject(ApiKeyFields);
/** A service account: an account for a system, made by ops with its first key. */
export const ServiceAccountBody = z.strictObject({ ...ApiKeyFields, name: z.string().trim().min(1, "required").max(200) });

/** A user's id, in ops' paths and filters. */
const UserId = z.string().regex(/^usr_[0-9A-Z]{26}$/, "must be a user id");
export const UserParam = z.object({ id: UserId });
export const FindUserQuery = z.strictObject({ email: z.email("must be an email address").max(254) });
export const RoleChangesQuery = z.strictObject({
  target: UserId.optional(),
  /** The id of the last change of the page before: ids sort by time, as `at` does. */
  before: z.string().regex(/^rch_[0-9A-Z]{26}$/, "must be a role change id").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const SecurityEventsQuery = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z-]{0,63}$/, "must be an event kind, such as sign-in-failed").optional(),
  /** The address in clear: it is hashed by identity, as the events keep it, and never stored or logged. */
  email: z.email("must be an email address").max(254).optional(),
  /** The `next` of the page before. */
  before: z.string().regex(/^sev_[0-9A-Z]{26}$/, "must be the next of a page before").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** Ops' page of service accounts, newest first. */
export const ServiceAccountsQuery = z.strictObject({
  /** The `next` of the page before: ids sort by time, as `createdAt` does. */
  before: UserId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const RotateKeysBody = z.strictObject({
  /** For a key that leaked: every older key is unpublished now (gateways drop it within 5 minutes; clients refresh). */
  immediately: z.boolean().default(false),
});

/** An account as its owner sees it. */
export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  emailVerified: z.boolean(),
  createdAt: Timestamp,
});

/** A new access token (15 minutes) and, for an API client, the refresh token (the site gets it as a cookie instead). */
export const SignedIn = z.object({
  accessToken: z.string(),
  expiresIn: z.number().int().describe("Seconds the access token lives"),
  refreshToken: z.string().optional().describe("Absent from the site's own origin, which gets an HttpOnly cookie"),
  user: User,
});

/** A key as its owner sees it: never the key itself, after its creation. */
export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("The key's first characters, to recognise it"),
  scopes: z.array(z.enum(API_SCOPES)),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export const CreatedApiKey = ApiKey.extend({ key: z.string().describe("The key (sx_live_… or sx_test_…), answered this once") });

/** A service account as ops see it: a client account of `kind: "service"`, which calls only with its keys. */
export const ServiceAccount = User.extend({ kind: z.literal("service") });
/** Ops' list of service accounts, each with every key it holds (revoked and expired ones too), never a key itself. */
export const ServiceAccounts = z.object({
  accounts: z.array(ServiceAccount.extend({ keys: z.array(ApiKey).describe("Newest first") })),
  next: z.string().nullable().describe("The `before` of the next page; null on the last"),
});

/** An account after a change made to it (its role granted). */
export const OneUser = z.object({ user: User });

/** Ops' search by address: the account, or none. */
export const FoundUsers = z.object({ users: z.array(User).max(1) });

/** One role granted: who by, to whom, from what to what. An email is null once its account was deleted. */
export const RoleChange = z.object({
  id: z.string(),
  actorId: z.string(),
  actorEmail: z.string().nullable(),
  targetId: z.string(),
  targetEmail: z.string().nullable(),
  oldRole: z.enum(ROLES),
  newRole: z.enum(ROLES),
  at: Timestamp,
});
export const RoleChanges = z.object({
  changes: z.array(RoleChange),
  nextBefore: z.string().nullable().describe("The `before` of the next page; null on the last"),
});

/** What happened to an account, as ops read it: never the address itself, only its sha256. */
export const SecurityEvents = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      emailHash: z.string().nullable(),
      userId: z.string().nullable(),
      network: z.string().nullable(),
      detail: z.string().nullable(),
      at: Timestamp,
    }),
  ),
  next: z.string().nullable().describe("The `before` of the next page; null on the last"),
});

/** A rotation's answer: the new key's id and every signing key as it now stands. */
export const RotatedKeys = z.object({
  kid: z.string(),
  keys: z.array(
    z.object({
      kid: z.string(),
      status: z.enum(["active", "retired"]),
      createdAt: Timestamp,
      retiredAt: Timestamp.nullable(),
      verifyUntil: Timestamp.nullable().describe("Until when its tokens are still accepted, once retired"),
    }),
  ),
});

/** The operations of these identity routes, which the gateway's table names row by row. */
export const operations = {
  signIn: { body: SignInBody, responses: { 201: json(SignedIn, "Signed in") }, errors: [401] },
  refresh: { body: RefreshBody, responses: { 200: json(SignedIn) } },
  signOut: { responses: { 204: { description: "Signed out" } } },
  register: { body: RegisterBody, responses: { 202: json(CheckYourEmail, "The same answer for a new address and a taken one") } },
  verify: { body: LinkTokenBody, responses: { 200: json(Verified, "Verified") } },
  resendVerification: { responses: { 202: json(LinkSent, "A fresh link is on its way") }, errors: [409] },
  requestPasswordReset: { body: PasswordResetBody, responses: { 202: json(CheckYourEmail, "The same answer whether the address has an account or not") } },
  confirmPasswordReset: { body: ConfirmResetBody, responses: { 204: { description: "Password set; every session ended" } } },
  changePassword: { body: ChangePasswordBody, responses: { 204: { description: "Changed; every other session ended" } }, errors: [403] },
  deleteMe: { body: DeleteMeBody, responses: { 204: { description: "Deleted, with its sessions" } }, errors: [403] },
  jwks: { responses: { 200: json(Jwks, "The public keys, cacheable for five minutes") } },
  mySessions: { responses: { 200: json(MySessions) } },
  myRequests: { query: MyRequestsQuery, responses: { 200: json(MyRequests) } },
  me: { responses: { 200: json(z.object({ user: User })) } },
  updateMe: { body: UpdateMeBody, responses: { 200: json(z.object({ user: User })) } },
  endSession: { params: SessionParam, responses: { 204: { description: "Ended" } } },
  endOtherSessions: { responses: { 200: json(z.object({ ended: z.number().int() })) } },
  createApiKey: { body: CreateApiKeyBody, responses: { 201: json(CreatedApiKey, "Created: the key, this once") }, errors: [409] },
  apiKeys: { responses: { 200: json(z.object({ keys: z.array(ApiKey) })) } },
  revokeApiKey: { params: ApiKeyParam, responses: { 204: { description: "Revoked" } } },
  createServiceAccount: {
    body: ServiceAccountBody,
    responses: { 201: json(z.object({ account: ServiceAccount, key: CreatedApiKey }), "Created: the account and its first key, this once") },
    errors: [409],
  },
  serviceAccounts: { query: ServiceAccountsQuery, responses: { 200: json(ServiceAccounts) } },
  createServiceAccountKey: { params: UserParam, body: CreateApiKeyBody, responses: { 201: json(CreatedApiKey, "Created: the key, this once") }, errors: [409] },
  revokeAnyApiKey: { params: ApiKeyParam, responses: { 204: { description: "Revoked" } } },
  findUser: { query: FindUserQuery, responses: { 200: json(FoundUsers) } },
  grantRole: { params: UserParam, body: GrantRoleBody, responses: { 200: json(OneUser, "The account with its role now") }, errors: [409] },
  roleChanges: { query: RoleChangesQuery, responses: { 200: json(RoleChanges) } },
  securityEvents: { query: SecurityEventsQuery, responses: { 200: json(SecurityEvents) } },
  rotateKeys: { body: RotateKeysBody, responses: { 201: json(RotatedKeys, "Rotated") } },
} satisfies Record<string, Operation>;
