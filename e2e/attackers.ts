/**
 * The people of the attack suite (e2e/attacks*.test.ts): clients who sign up and act through the site's origin,
 * each from a network of its own (identity counts registrations and sign-ins per network), and what they hold.
 */
import { expect } from "vitest";
import { siteUrl } from "./helpers";

export type Client = { id: string; email: string; name: string; authorization: string; refreshToken: string; network: Record<string, string> };

export const PASSWORD = "an attacker's long passphrase";

let networks = 0;
/** A network of its own: a different address block per test file (its pid) and per client. */
export const network = (): Record<string, string> => ({ "cf-connecting-ip": `198.51.${(process.pid % 200) + 1}.${(++networks % 250) + 1}` });

/** A client who registered (name as given) and signed in as an API client would: the tokens in the JSON. */
export async function signedUp(name: string, extra: Record<string, unknown> = {}, userAgent?: string): Promise<Client> {
  const email = `${name.replace(/[^a-z]/gi, "").toLowerCase() || "x"}-${Date.now()}-${++networks}@attack.example`;
  const from = network();
  const headers = { "content-type": "application/json", ...from, ...(userAgent ? { "user-agent": userAgent } : {}) };
  const registered = await fetch(`${siteUrl()}/api/users`, { method: "POST", headers, body: JSON.stringify({ email, name, password: PASSWORD, ...extra }) });
  expect(registered.status, await registered.clone().text()).toBe(202);
  const res = await fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(201);
  const { accessToken, refreshToken, user } = (await res.json()) as { accessToken: string; refreshToken: string; user: { id: string } };
  return { id: user.id, email, name, authorization: `Bearer ${accessToken}`, refreshToken, network: from };
}

/** The client's headers for a call: their bearer token and their network. */
export const as = (client: Client, more: Record<string, string> = {}): Record<string, string> => ({ authorization: client.authorization, ...client.network, ...more });

export type Submitted = { id: string; statusUrl: string; token: string };

/** A request submitted signed in, so it is the client's own. */
export async function submitAs(client: Client, text: string, fields: Record<string, unknown> = {}): Promise<Submitted> {
  const res = await fetch(`${siteUrl()}/api/requests`, {
    method: "POST",
    headers: as(client, { "content-type": "application/json" }),
    body: JSON.stringify({ name: client.name, email: client.email, text, ...fields }),
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id, statusUrl } = (await res.json()) as { id: string; statusUrl: string };
  return { id, statusUrl, token: new URL(statusUrl, siteUrl()).searchParams.get("token") ?? "" };
}
