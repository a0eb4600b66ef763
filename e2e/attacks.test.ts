// The platform as an attacker meets it, end to end: the site's origin (its Pages Function passes every request to the
// gateway as it came) in front of the gateway under wrangler dev. A signed-in client on every route above their role,
// identity headers of their own making, and another client's request.
import { beforeAll, describe, expect, it } from "vitest";
import { siteUrl } from "./helpers";

type Documented = { method: string; path: string; access: string };
type Client = { id: string; authorization: string };

const PASSWORD = "an attacker's long passphrase";
let networks = 0;
/** Each client on a network of its own: identity counts registrations per network. */
const network = () => ({ "cf-connecting-ip": `198.51.100.${100 + ++networks}` });

async function signedUp(name: string): Promise<Client & { network: Record<string, string> }> {
  const email = `${name}-${Date.now()}@attack.example`;
  const from = network();
  const json = { "content-type": "application/json", ...from };
  expect((await fetch(`${siteUrl()}/api/users`, { method: "POST", headers: json, body: JSON.stringify({ email, name, password: PASSWORD }) })).status).toBe(202);
  const res = await fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(201);
  const { accessToken, user } = (await res.json()) as { accessToken: string; user: { id: string } };
  return { id: user.id, authorization: `Bearer ${accessToken}`, network: from };
}

async function submitAs(client: Client & { network: Record<string, string> }, text: string): Promise<string> {
  const res = await fetch(`${siteUrl()}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: client.authorization, ...client.network },
    body: JSON.stringify({ name: "Ada", email: "ada@attack.example", text }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

let attacker: Client & { network: Record<string, string> };
let victim: Client & { network: Record<string, string> };

beforeAll(async () => {
  attacker = await signedUp("mallory");
  victim = await signedUp("alice");
});

describe("an attacker end to end", () => {
  it("is refused every ops and author route the API documents, with 403 problem+json", async () => {
    const { routes } = (await (await fetch(`${siteUrl()}/api`)).json()) as { routes: Documented[] };
    const above = routes.filter((r) => r.access === "ops" || r.access === "author");
    expect(above.length).toBeGreaterThan(10);
    for (const route of above) {
      const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === "id" && route.path.startsWith("/api/ops/users/") ? attacker.id : "x"));
      const body = route.method === "GET" || route.method === "DELETE" ? undefined : JSON.stringify({ role: "admin", password: PASSWORD });
      const res = await fetch(`${siteUrl()}${path}`, { method: route.method, headers: { authorization: attacker.authorization, "content-type": "application/json", ...attacker.network }, body });
      expect({ route: `${route.method} ${path}`, status: res.status, type: res.headers.get("content-type") }).toEqual({ route: `${route.method} ${path}`, status: 403, type: "application/problem+json" });
    }
  });

  it("gains nothing from identity headers of their own: anonymous ops is 401, a client claiming admin is 403, another's id shows their own", async () => {
    const forged = (userId: string, role: string) => ({ "x-statex-user-id": userId, "x-statex-user-role": role, "x-statex-user-session": "ses_01ARZ3NDEKTSV4RRFFQ69G5FAV" });
    const anonymous = await fetch(`${siteUrl()}/api/ops/events`, { headers: { ...forged(victim.id, "admin"), ...attacker.network } });
    expect(anonymous.status).toBe(401);
    const claimed = await fetch(`${siteUrl()}/api/ops/users/${victim.id}/role`, {
      method: "PUT",
      headers: { authorization: attacker.authorization, "content-type": "application/json", ...forged(attacker.id, "admin"), ...attacker.network },
      body: JSON.stringify({ role: "ops", password: PASSWORD }),
    });
    expect(claimed.status).toBe(403);

    const mine = await submitAs(attacker, "The attacker's own request for a small website.");
    const theirs = await submitAs(victim, "The victim's request for a clinic's booking system.");
    const listed = await fetch(`${siteUrl()}/api/me/requests`, { headers: { authorization: attacker.authorization, ...forged(victim.id, "client"), ...attacker.network } });
    const ids = ((await listed.json()) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toEqual([mine]);
    expect(ids).not.toContain(theirs);
  });

  it("finds another client's request no different from one that does not exist", async () => {
    const theirs = await submitAs(victim, "Another request of the victim's, for an online shop.");
    const headers = { authorization: attacker.authorization, ...attacker.network };
    for (const path of [`/api/requests/${theirs}`, `/api/requests/${theirs}/tasks/nlp/result`]) {
      const res = await fetch(`${siteUrl()}${path}`, { headers });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    for (const path of [`/api/requests/${theirs}/cancel`, `/api/requests/${theirs}/live-ticket`]) {
      expect((await fetch(`${siteUrl()}${path}`, { method: "POST", headers })).status).toBe(404);
    }
    // Still the victim's, and not cancelled.
    const view = await fetch(`${siteUrl()}/api/requests/${theirs}`, { headers: { authorization: victim.authorization, ...victim.network } });
    expect(view.status).toBe(200);
    expect(((await view.json()) as { status: string }).status).not.toBe("cancelled");
  });
});
