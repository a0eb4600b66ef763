// The attack suite, part one: who the caller is and what they may reach. The platform as an attacker meets it, end
// to end: the site's origin (its Pages Function passes every request to the gateway as it came) in front of the
// gateway under wrangler dev. Forged and replayed tokens and tickets, every id-bearing route with another client's
// ids, roles claimed through fields and headers, and a foreign origin. Each probe names the OWASP ASVS 5.0
// requirement it checks; the other parts are attacks-input.test.ts (bodies, R2 names, webhooks, redirects, forged
// mail) and attacks-xss.test.ts (stored XSS in the pages and messages). Whatever a probe finds open is fixed in the
// owning worker, never by weakening the probe.
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type Submitted, as, network, signedUp, submitAs } from "./attackers";
import { mailedLink } from "./browser";
import { botSaid, freshChatId, tellBot } from "./channels";
import { eventually, localUrl, siteUrl } from "./helpers";

type Documented = { method: string; path: string; access: string };
type Operation = { "x-access"?: string; parameters?: { name: string; in: string }[] };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const api = (path: string) => `${siteUrl()}/api${path}`;
const json = { "content-type": "application/json" };

let attacker: Client;
let victim: Client;
/** What the victim holds, by the route prefix and path parameter an attacker would name it with. */
let theirs: { request: Submitted; taskId: string; upload: string; uploadToken: string; session: string; key: string; webhook: string; delivery: string };
/** What the attacker holds of their own: a status token and an upload token, valid for other ids than the victim's. */
let mine: { request: Submitted; uploadToken: string };

async function started(client: Client): Promise<{ id: string; uploadToken: string }> {
  const res = await fetch(api("/uploads"), { method: "POST", headers: as(client, json), body: JSON.stringify({ name: "brief.pdf", size: 1024 }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; uploadToken: string };
}

beforeAll(async () => {
  attacker = await signedUp("mallory");
  victim = await signedUp("alice");
  const hook = await fetch(api("/me/webhooks"), {
    method: "POST",
    headers: as(victim, json),
    body: JSON.stringify({ url: `${localUrl()}/webhook-receiver/victim-${Date.now()}`, events: ["request.processing", "request.completed"] }),
  });
  expect(hook.status).toBe(201);
  const webhook = ((await hook.json()) as { id: string }).id;
  const request = await submitAs(victim, "The victim's request for a clinic's booking website with SMS reminders.");
  const key = await fetch(api("/me/api-keys"), { method: "POST", headers: as(victim, json), body: JSON.stringify({ name: "their ci", scopes: ["requests:read"] }) });
  expect(key.status).toBe(201);
  const sessions = (await (await fetch(api("/me/sessions"), { headers: as(victim) })).json()) as { sessions: { id: string }[] };
  const upload = await started(victim);
  const taskId = await eventually("the victim's first task", async () => {
    const view = (await (await fetch(api(`/requests/${request.id}`), { headers: as(victim) })).json()) as { steps: { id: string }[] };
    return view.steps[0]?.id;
  });
  const delivery = await eventually(
    "a delivery to the victim's webhook",
    async () => ((await (await fetch(api(`/me/webhooks/${webhook}/deliveries`), { headers: as(victim) })).json()) as { deliveries: { id: string }[] }).deliveries[0]?.id,
    60_000,
  );
  theirs = { request, taskId, upload: upload.id, uploadToken: upload.uploadToken, session: sessions.sessions[0]?.id ?? "", key: ((await key.json()) as { id: string }).id, webhook, delivery };
  mine = { request: await submitAs(attacker, "The attacker's own request for a small website."), uploadToken: (await started(attacker)).uploadToken };
}, 120_000);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const claimsOf = (client: Client) => JSON.parse(Buffer.from(client.authorization.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;

/** 401 invalid_token, as problem+json, for GET /api/me with this bearer. */
async function refusedBearer(bearer: string, what: string): Promise<void> {
  const res = await fetch(api("/me"), { headers: { authorization: `Bearer ${bearer}`, ...attacker.network } });
  expect({ what, status: res.status, type: res.headers.get("content-type"), challenge: res.headers.get("www-authenticate") }).toEqual({
    what,
    status: 401,
    type: "application/problem+json",
    challenge: expect.stringContaining('error="invalid_token"'),
  });
}

describe("forged and replayed tokens and tickets", () => {
  it("V9.1.1 an access token whose claims were changed (another user, the admin role) is refused: the signature is checked before the claims are read", async () => {
    const [header, , signature] = attacker.authorization.slice("Bearer ".length).split(".");
    await refusedBearer(`${header}.${b64({ ...claimsOf(attacker), sub: victim.id, role: "admin" })}.${signature}`, "tampered claims");
  });

  it("V9.1.2 only ES256 verifies: alg none, and HS256 keyed with the published public key, are refused", async () => {
    const claims = { ...claimsOf(attacker), role: "admin" };
    await refusedBearer(`${b64({ alg: "none", typ: "at+jwt" })}.${b64(claims)}.`, "alg none");
    const { keys } = (await (await fetch(api("/.well-known/jwks.json"))).json()) as { keys: { kid: string }[] };
    const published = keys[0];
    expect(published).toBeDefined();
    const hmac = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: published?.kid ?? "" }).sign(new TextEncoder().encode(JSON.stringify(published)));
    await refusedBearer(hmac, "HS256 with the public key as its secret");
  });

  it("V9.1.3 a token carrying its own key (jwk, jku) is refused: keys come only from identity", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const claims = { ...claimsOf(attacker), role: "admin" };
    await refusedBearer(await new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid, jwk }).sign(privateKey), "embedded jwk");
    await refusedBearer(await new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid, jku: "https://attacker.example/jwks.json" }).sign(privateKey), "jku");
  });

  it("V9.2.2 a token of another kind is no access token: a refresh token, a status token or an API key's made-up twin as bearer is 401", async () => {
    await refusedBearer(attacker.refreshToken, "a refresh token");
    await refusedBearer(mine.request.token, "a status token");
    await refusedBearer(`sx_test_${"A".repeat(40)}`, "a made-up API key");
  });

  it("V10.4.5 a refresh token used twice ends the session: the copy and the token that replaced it are both refused", async () => {
    const client = await signedUp("rotating");
    const refresh = (token: string, from: Record<string, string>) => fetch(api("/sessions/refresh"), { method: "POST", headers: { ...json, ...from }, body: JSON.stringify({ refreshToken: token }) });
    const first = await refresh(client.refreshToken, client.network);
    expect(first.status).toBe(200);
    const next = ((await first.json()) as { refreshToken: string }).refreshToken;
    // The stolen copy, replayed from the thief's network.
    expect((await refresh(client.refreshToken, network())).status).toBe(401);
    expect((await refresh(next, client.network)).status).toBe(401);
  });

  it("V9.1.1 a status link opens its own request only: another request's token, a changed one, a made-up one or none shows nothing of the victim's", async () => {
    const flipped = `${theirs.request.token.slice(0, -1)}${theirs.request.token.endsWith("A") ? "B" : "A"}`;
    for (const token of [mine.request.token, flipped, "x".repeat(64), undefined]) {
      const query = token === undefined ? "" : `?token=${encodeURIComponent(token)}`;
      const res = await fetch(api(`/requests/${theirs.request.id}${query}`), { headers: attacker.network });
      expect({ token, status: res.status }).toEqual({ token, status: 404 });
    }
  });

  it("V4.4.3 a live ticket opens one connection, of its owner's request, once: a replayed copy and a ticket for another request open nothing", async () => {
    const ticketed = await fetch(api(`/requests/${mine.request.id}/live-ticket`), { method: "POST", headers: as(attacker) });
    expect(ticketed.status).toBe(200);
    const { url } = (await ticketed.json()) as { url: string };
    const open = () => fetch(`${siteUrl()}${url}`, { headers: { accept: "text/event-stream", ...attacker.network } });
    const first = await open();
    expect(first.status).toBe(200);
    await first.body?.cancel();
    const replayed = await open();
    expect(replayed.status).toBe(404);
    await replayed.body?.cancel();
    const ticket = new URL(url, siteUrl()).searchParams.get("ticket") ?? "";
    const elsewhere = await fetch(api(`/requests/${theirs.request.id}/live?ticket=${encodeURIComponent(ticket)}`), { headers: { accept: "text/event-stream", ...attacker.network } });
    expect(elsewhere.status).toBe(404);
    await elsewhere.body?.cancel();
  });

  it("V6.4.1 V6.4.3 an account link works once: a verification or reset link used again, or made up, is refused and changes nothing", async () => {
    const client = await signedUp("forgetful");
    const tokenOf = async (page: string) => new URL(await mailedLink(client.email, page)).searchParams.get("token") ?? "";
    const verify = (token: string) => fetch(api("/users/verify"), { method: "POST", headers: { ...json, ...client.network }, body: JSON.stringify({ token }) });
    const verifyToken = await tokenOf("/verify.html");
    expect((await verify(verifyToken)).status).toBe(200);
    expect((await verify(verifyToken)).status).toBe(400);

    expect((await fetch(api("/password-resets"), { method: "POST", headers: { ...json, ...client.network }, body: JSON.stringify({ email: client.email }) })).status).toBe(202);
    const resetToken = await tokenOf("/reset.html");
    const reset = (token: string, password: string) => fetch(api("/password-resets/confirm"), { method: "POST", headers: { ...json, ...client.network }, body: JSON.stringify({ token, password }) });
    expect((await reset(`${"A".repeat(42)}B`, "a made-up link's new passphrase")).status).toBe(400);
    expect((await reset(resetToken, "the owner's brand new passphrase")).status).toBeLessThan(300);
    expect((await reset(resetToken, "the thief's brand new passphrase")).status).toBe(400);
    const signIn = (password: string) => fetch(api("/sessions"), { method: "POST", headers: { ...json, ...client.network }, body: JSON.stringify({ email: client.email, password }) });
    expect((await signIn("the thief's brand new passphrase")).status).toBe(401);
    expect((await signIn("the owner's brand new passphrase")).status).toBe(201);
  });

  it("V6.4.1 a Telegram link code links one chat, once: the same code from a second chat, or a made-up one, links nothing", async () => {
    const client = await signedUp("chatty");
    const linked = await fetch(api("/me/telegram-link"), { method: "POST", headers: as(client) });
    expect(linked.status).toBe(201);
    const { code } = (await linked.json()) as { code: string };
    const [owner, thief] = [freshChatId(), freshChatId()];
    await tellBot(owner, `/start ${code}`);
    const chats = async () => ((await (await fetch(api("/me/preferences"), { headers: as(client) })).json()) as { telegramChats: { linkedAt: string }[] }).telegramChats;
    const linkedAt = await eventually("the owner's chat to be linked", async () => (await chats())[0]?.linkedAt);
    const told = (await botSaid(owner)).length;
    await tellBot(thief, `/start ${code}`);
    await tellBot(thief, `/start ${"A".repeat(43)}`);
    await eventually("the bot to answer the thief twice", async () => ((await botSaid(thief)).length >= 2 ? true : undefined));
    // Still the owner's chat, linked when the owner linked it; the owner was told nothing new.
    expect((await chats()).map((c) => c.linkedAt)).toEqual([linkedAt]);
    expect((await botSaid(owner)).length).toBe(told);
  });

  it("V9.1.1 a forged preview link or unsubscribe token opens and changes nothing", async () => {
    const preview = await fetch(api(`/preview/attack-page?token=1.${Math.floor(Date.now() / 1000) + 3600}.${"A".repeat(43)}`), { headers: attacker.network, redirect: "manual" });
    expect([403, 404]).toContain(preview.status);
    const unsubscribe = await fetch(api(`/notifications/unsubscribe?token=${"A".repeat(43)}`), { method: "POST", headers: { accept: "application/json", ...attacker.network }, redirect: "manual" });
    expect(unsubscribe.status).toBeGreaterThanOrEqual(400);
    expect(unsubscribe.status).toBeLessThan(500);
  });
});

/** Path parameters an id-bearing route names, and the victim's value for each, by the route's path prefix. */
function victimValue(path: string, param: string): string | undefined {
  const table: [string, Record<string, string>][] = [
    ["/api/requests/", { id: theirs.request.id, taskId: theirs.taskId }],
    ["/api/uploads/", { id: theirs.upload, n: "1" }],
    ["/api/me/sessions/", { id: theirs.session }],
    ["/api/me/api-keys/", { id: theirs.key }],
    ["/api/me/webhooks/", { id: theirs.webhook, deliveryId: theirs.delivery }],
  ];
  return table.find(([prefix]) => path.startsWith(prefix))?.[1][param];
}

/** Parameters that name public content (a page's slug, a tag, a media file), which anyone may read by design. */
const PUBLIC_CONTENT = new Set(["slug", "tag", "file"]);

describe("another client's ids", () => {
  it("V8.2.2 every id-bearing route a client may call, taken from the OpenAPI document, answers another client's ids with 404 and changes nothing", async () => {
    const document = (await (await fetch(api("/openapi.json"))).json()) as OpenApi;
    const probed: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const params = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        if (!params.length || params.some((p) => PUBLIC_CONTENT.has(p))) continue;
        if (op["x-access"] === "ops" || op["x-access"] === "author" || op["x-access"] === "dev") continue;
        const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
          const value = victimValue(path, name);
          // A new id-bearing route fails here until the suite knows the victim's id for it, so it is probed too.
          if (value === undefined) throw new Error(`${method.toUpperCase()} ${path}: the suite has no victim's value for {${name}}; add it to victimValue`);
          return encodeURIComponent(value);
        });
        const query = path.startsWith("/api/requests/") ? `?token=${encodeURIComponent(mine.request.token)}` : "";
        const binary = path.includes("/parts/");
        const body = method === "get" || method === "delete" ? undefined : binary ? new Uint8Array(1024) : JSON.stringify({ description: "mine now", url: "https://attacker.example/hook", events: ["request.completed"], enabled: true });
        const headers = as(attacker, { "x-upload-token": mine.uploadToken, "content-type": binary ? "application/octet-stream" : "application/json", accept: "application/json" });
        const res = await fetch(`${siteUrl()}${filled}${query}`, { method: method.toUpperCase(), headers, body });
        const text = await res.text();
        probed.push(`${method.toUpperCase()} ${path}`);
        expect({ route: `${method.toUpperCase()} ${path}`, status: res.status }).toEqual({ route: `${method.toUpperCase()} ${path}`, status: 404 });
        expect(text).not.toContain(victim.email);
      }
    }
    expect(probed.length).toBeGreaterThanOrEqual(15);

    // Still the victim's, and as they left it.
    const view = await fetch(api(`/requests/${theirs.request.id}`), { headers: as(victim) });
    expect(view.status).toBe(200);
    expect(((await view.json()) as { status: string }).status).not.toBe("cancelled");
    const sessions = (await (await fetch(api("/me/sessions"), { headers: as(victim) })).json()) as { sessions: { id: string }[] };
    expect(sessions.sessions.map((s) => s.id)).toContain(theirs.session);
    const keys = (await (await fetch(api("/me/api-keys"), { headers: as(victim) })).json()) as { keys: { id: string; revokedAt: string | null }[] };
    expect(keys.keys.find((k) => k.id === theirs.key)?.revokedAt).toBeNull();
    const hook = (await (await fetch(api(`/me/webhooks/${theirs.webhook}`), { headers: as(victim) })).json()) as { url: string };
    expect(hook.url).not.toContain("attacker.example");
    expect((await fetch(api(`/uploads/${theirs.upload}`), { headers: { "x-upload-token": theirs.uploadToken, ...victim.network } })).status).toBe(200);
  });

  it("V8.2.2 a client's list shows their own requests only, whatever user id they claim in a header", async () => {
    const listed = await fetch(api("/me/requests"), { headers: as(attacker, { "x-statex-user-id": victim.id }) });
    const ids = ((await listed.json()) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toContain(mine.request.id);
    expect(ids).not.toContain(theirs.request.id);
  });
});

describe("roles and identity claimed by the caller", () => {
  it("V8.2.1 every ops and author route the API documents refuses a client with 403 problem+json", async () => {
    const { routes } = (await (await fetch(api(""))).json()) as { routes: Documented[] };
    const above = routes.filter((r) => r.access === "ops" || r.access === "author");
    expect(above.length).toBeGreaterThan(10);
    for (const route of above) {
      const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === "id" && route.path.startsWith("/api/ops/users/") ? attacker.id : "x"));
      const body = route.method === "GET" || route.method === "DELETE" ? undefined : JSON.stringify({ role: "admin", password: PASSWORD });
      const res = await fetch(`${siteUrl()}${path}`, { method: route.method, headers: as(attacker, json), body });
      expect({ route: `${route.method} ${path}`, status: res.status, type: res.headers.get("content-type") }).toEqual({ route: `${route.method} ${path}`, status: 403, type: "application/problem+json" });
    }
  });

  it("V15.3.3 a role, owner or status sent in a body is not taken: registering as admin makes a client, a submission naming another owner is the sender's own", async () => {
    const email = `climber-${Date.now()}@attack.example`;
    const from = network();
    const registered = await fetch(api("/users"), { method: "POST", headers: { ...json, ...from }, body: JSON.stringify({ email, name: "Climber", password: PASSWORD, role: "admin", emailVerified: true, kind: "service" }) });
    // Refused whole (the body's schema is strict), or taken without the fields; never an admin.
    expect([202, 400]).toContain(registered.status);
    if (registered.status === 202) {
      const signedIn = await fetch(api("/sessions"), { method: "POST", headers: { ...json, ...from }, body: JSON.stringify({ email, password: PASSWORD }) });
      expect(((await signedIn.json()) as { user: { role: string } }).user.role).toBe("client");
    }
    const planted = await fetch(api("/requests"), {
      method: "POST",
      headers: as(attacker, json),
      body: JSON.stringify({ name: "Mallory", email: attacker.email, text: "A request planted in the victim's account.", userId: victim.id, user_id: victim.id, ownerId: victim.id, status: "completed" }),
    });
    expect([202, 400]).toContain(planted.status);
    const victims = (await (await fetch(api("/me/requests"), { headers: as(victim) })).json()) as { items: { id: string }[] };
    if (planted.status === 202) {
      const { id } = (await planted.json()) as { id: string };
      expect(victims.items.map((i) => i.id)).not.toContain(id);
      expect(((await (await fetch(api(`/requests/${id}`), { headers: as(attacker) })).json()) as { status: string }).status).not.toBe("completed");
    }
  });

  it("V15.3.3 V8.2.3 every body a client may send is closed: the document says so, and a role or owner added to it is refused with 400, never taken", async () => {
    type Schema = { $ref?: string; additionalProperties?: unknown; properties?: Record<string, unknown> };
    type BodyOperation = Operation & { requestBody?: { content?: Record<string, { schema?: Schema }> } };
    const document = (await (await fetch(api("/openapi.json"))).json()) as OpenApi & { paths: Record<string, Record<string, BodyOperation>> };
    const resolve = (schema: Schema | undefined): Schema | undefined => {
      let s = schema;
      while (s?.$ref) s = s.$ref.split("/").slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], document) as Schema;
      return s;
    };
    const probed: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      // The providers' callbacks take what the provider sends (they add fields over time) and are judged by signature.
      if (path.startsWith("/api/webhooks/")) continue;
      for (const [method, op] of Object.entries(operations)) {
        if (op["x-access"] === "ops" || op["x-access"] === "author" || op["x-access"] === "dev" || path.includes("{")) continue;
        const schema = resolve(op.requestBody?.content?.["application/json"]?.schema);
        if (!schema) continue;
        const route = `${method.toUpperCase()} ${path}`;
        expect({ route, closed: schema.additionalProperties }).toEqual({ route, closed: false });
        const body = { ...(path === "/api/me" ? { name: "Mallory" } : {}), role: "admin", userId: victim.id };
        const res = await fetch(`${siteUrl()}${path}`, { method: method.toUpperCase(), headers: as(attacker, json), body: JSON.stringify(body) });
        await res.arrayBuffer();
        expect({ route, status: res.status }).toEqual({ route, status: 400 });
        probed.push(route);
      }
    }
    expect(probed).toContain("PATCH /api/me");
    expect(probed.length).toBeGreaterThanOrEqual(10);
    const me = (await (await fetch(api("/me"), { headers: as(attacker) })).json()) as Record<string, unknown>;
    expect(JSON.stringify(me)).not.toContain('"role":"admin"');
  });

  it("V8.2.3 an API key cannot be given scopes beyond those that exist, nor open what its scopes do not name", async () => {
    const broad = await fetch(api("/me/api-keys"), { method: "POST", headers: as(attacker, json), body: JSON.stringify({ name: "all of it", scopes: ["ops", "admin", "*"] }) });
    expect(broad.status).toBe(400);
    const made = await fetch(api("/me/api-keys"), { method: "POST", headers: as(attacker, json), body: JSON.stringify({ name: "read only", scopes: ["requests:read"] }) });
    const { key } = (await made.json()) as { key: string };
    const withKey = { authorization: `Bearer ${key}`, ...attacker.network };
    expect((await fetch(api("/me/api-keys"), { headers: withKey })).status).toBe(403);
    expect((await fetch(api("/ops/events"), { headers: withKey })).status).toBe(403);
    expect((await fetch(api("/requests"), { method: "POST", headers: { ...withKey, ...json }, body: JSON.stringify({ name: "M", email: attacker.email, text: "Written with a read key." }) })).status).toBe(403);
  });

  it("V4.1.3 identity headers of the caller's own making are dropped: anonymous ops is 401, a client claiming admin is 403, a claimed API key id opens nothing", async () => {
    const forged = (userId: string, role: string) => ({ "x-statex-user-id": userId, "x-statex-user-role": role, "x-statex-user-session": "ses_01ARZ3NDEKTSV4RRFFQ69G5FAV", "x-statex-api-key-id": "key_01ARZ3NDEKTSV4RRFFQ69G5FAV" });
    expect((await fetch(api("/ops/events"), { headers: { ...forged(victim.id, "admin"), ...attacker.network } })).status).toBe(401);
    const claimed = await fetch(api(`/ops/users/${victim.id}/role`), { method: "PUT", headers: as(attacker, { ...json, ...forged(attacker.id, "admin") }), body: JSON.stringify({ role: "ops", password: PASSWORD }) });
    expect(claimed.status).toBe(403);
    const anonymous = await fetch(api(`/requests/${theirs.request.id}`), { headers: { ...forged(victim.id, "client"), ...attacker.network } });
    expect(anonymous.status).toBe(404);
  });
});

describe("a foreign origin", () => {
  const foreign = "https://attacker.example";

  it("V3.4.2 CORS answers only the site's origins: a foreign origin's preflight and calls get no Access-Control-Allow-Origin for it", async () => {
    const preflight = await fetch(api("/me"), { method: "OPTIONS", headers: { origin: foreign, "access-control-request-method": "GET", "access-control-request-headers": "authorization", ...attacker.network } });
    expect(preflight.headers.get("access-control-allow-origin")).not.toBe(foreign);
    expect(preflight.headers.get("access-control-allow-origin")).not.toBe("*");
    const call = await fetch(api("/me"), { headers: as(attacker, { origin: foreign }) });
    expect(call.headers.get("access-control-allow-origin")).not.toBe(foreign);
    expect(call.headers.get("access-control-allow-credentials")).not.toBe("true");
    const own = new URL(siteUrl()).origin;
    const allowed = await fetch(api("/me"), { method: "OPTIONS", headers: { origin: own, "access-control-request-method": "GET", ...attacker.network } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(own);
  });

  it("V3.5.1 a foreign page cannot sign in, refresh or sign out with the browser's cookie: a request with a foreign Origin is 403 before anything is read", async () => {
    for (const path of ["/sessions", "/sessions/refresh"]) {
      const res = await fetch(api(path), { method: "POST", headers: { ...json, origin: foreign, cookie: "statex-refresh=stolen", ...attacker.network }, body: JSON.stringify({ email: attacker.email, password: PASSWORD, refreshToken: attacker.refreshToken }) });
      expect({ path, status: res.status, cookie: res.headers.get("set-cookie") }).toEqual({ path, status: 403, cookie: null });
    }
  });
});
