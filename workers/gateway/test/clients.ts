/** Clients of the gateway as its tests need them: an address of their own, and accounts signed in as an API client. */
import { expect } from "vitest";
import { call } from "./call";

export type SignedIn = { accessToken: string; refreshToken: string; expiresIn: number; user: { id: string; role: string } };

let ipSeq = 0;
/** A client address of its own per call, so no limit (sign-ins count against the submission limit) is ever reached. */
export const clientIp = () => `198.19.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

/** A JSON request from an address of its own; `method` POST unless told. */
export const jsonInit = (body: unknown, headers: Record<string, string> = {}, method = "POST"): RequestInit => ({
  method,
  headers: { "content-type": "application/json", "cf-connecting-ip": clientIp(), ...headers },
  body: JSON.stringify(body),
});

export const PASSWORD = "correct horse battery";

/** Signs an existing account in again: a new session. */
export async function signIn(email: string, password = PASSWORD): Promise<SignedIn> {
  const res = await call("/api/sessions", jsonInit({ email, password }));
  expect(res.status).toBe(201);
  return res.json<SignedIn>();
}

/** A new account, signed in as an API client (registration itself signs no one in). */
export async function signedUp(prefix = "client"): Promise<SignedIn & { email: string; authorization: string }> {
  const email = `${prefix}-${crypto.randomUUID()}@example.com`;
  expect((await call("/api/users", jsonInit({ email, name: "Probe", password: PASSWORD }))).status).toBe(202);
  const session = await signIn(email);
  return { ...session, email, authorization: `Bearer ${session.accessToken}` };
}

/** The `sid` of an access token: which session it belongs to. */
export function sessionOf(accessToken: string): string {
  const payload = accessToken.split(".")[1] ?? "";
  return (JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { sid: string }).sid;
}
