// The gateway as an attacker probes it, with every worker running behind it: a signed-in client (and an author) on
// every route above their role, identity headers sent from outside, and other clients' requests. Each refusal is
// checked for its answer and for what it left behind: nothing.
import { env } from "cloudflare:workers";
import { newId } from "@statex/shared/ids";
import { beforeAll, describe, expect, it } from "vitest";
import { type Route, routes } from "../src/routes";
import { call } from "./call";
import { PASSWORD, type SignedIn, clientIp, jsonInit, sessionOf, signIn, signedUp } from "./clients";

type Problem = { status: number; type: string; detail?: string };

/**
 * Written by queue consumers after the answer (the audit trail, the log lines of the refusals themselves, which events
 * each consumer handled): they change while a test runs whatever it does, and hold nothing a route acts on.
 */
const TRAIL = new Set(["logs", "events", "processed_events", "d1_migrations"]);

/**
 * Every row of every table but the trail, by table: what a refused request must leave as it was. A full-text index
 * is read through its virtual table; the shadow tables that store it (named after it, some without a rowid) are not.
 */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const { results } = await env.DB.prepare(
    "select name from sqlite_master t where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' and not exists (select 1 from sqlite_master v where v.type = 'table' and v.sql like 'CREATE VIRTUAL TABLE%' and t.name like v.name || '\\_%' escape '\\') order by name",
  ).all<{ name: string }>();
  const tables: Record<string, unknown[]> = {};
  for (const { name } of results) {
    if (!TRAIL.has(name)) tables[name] = (await env.DB.prepare(`select * from "${name}" order by rowid`).all()).results;
  }
  return tables;
}

/** A snapshot once what the setup started (the relays and emails of sign-ups) has settled: two alike in a row. */
async function settled(): Promise<Record<string, unknown[]>> {
  let last = await snapshot();
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await snapshot();
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  throw new Error("the database never settled");
}

/** What the platform holds that the routes above a client's role act on, put straight into D1. */
type Fixtures = { requestId: string; letterId: string; slug: string; templateId: string };

async function seedFixtures(): Promise<Fixtures> {
  const requestId = newId("req");
  const letterId = `statex-notify:${crypto.randomUUID()}`;
  const slug = "pricing";
  const page = "---\ntitle: Pricing\nslug: pricing\ndraft: false\n---\n# Pricing";
  await env.DB.batch([
    env.DB.prepare("insert into requests (id, channel, name, email, text) values (?, 'web', 'Ada', 'ada@example.com', 'A booking website.')").bind(requestId),
    // Failed, so an ops retry would do something: a refused one must not.
    env.DB.prepare("insert into jobs (request_id, status, steps, error) values (?, 'failed', '[]', 'nlp failed')").bind(requestId),
    env.DB.prepare("insert into dead_letters (id, queue, body, event_type, attempts, reason) values (?, 'statex-notify', ?, 'request.created', 3, 'test')").bind(letterId, JSON.stringify({ id: "evt_1", type: "request.created" })),
    // A published page as content writes one: the page, its version 1, and that version live.
    env.DB.prepare("insert into pages (slug, title, version) values (?, 'Pricing', 1)").bind(slug),
    env.DB.prepare("insert into page_versions (slug, version, body, title) values (?, 1, ?, 'Pricing')").bind(slug, page),
    env.DB.prepare(
      "insert into page_publications (slug, version, kind, title, tags, locale, date, html, text, live_at, published_at, announced_at) values (?, 1, 'page', 'Pricing', '[]', 'en', ?2, '<h1>Pricing</h1>', 'Pricing', ?2, ?2, ?2)",
    ).bind(slug, "2026-01-01T00:00:00.000Z"),
  ]);
  return { requestId, letterId, slug, templateId: "tpl_website" };
}

/**
 * A route's path with plausible values for its params (the things that exist, and the caller's own account) and its
 * query: at the gateway (`/api…`), or with `onService` the path the owning worker itself serves.
 */
function pathOf(route: Route, f: Fixtures, self: { id: string; email: string }, onService = false): string {
  const id = route.path.startsWith("/ops/users/") ? self.id : route.path.startsWith("/ops/dead-letters/") ? f.letterId : route.path.startsWith("/templates/") ? f.templateId : f.requestId;
  const values: Record<string, string> = { id, requestId: f.requestId, correlationId: f.requestId, taskId: "nlp", slug: f.slug };
  const queries: Record<string, string> = { "/ops/users": `?email=${encodeURIComponent(self.email)}`, "/ops/role-changes": `?target=${self.id}`, "/ops/notifications": `?requestId=${f.requestId}` };
  const template = onService ? (route.target ?? route.path) : `/api${route.path}`;
  return template.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? "x") + (queries[route.path] ?? "");
}

/** What an attacker would send to each route that takes a body: the change they are after. */
function bodyOf(route: Route): { type: string; body: string } | undefined {
  if (route.method === "GET" || route.method === "DELETE") return undefined;
  const json = (value: unknown) => ({ type: "application/json", body: JSON.stringify(value) });
  const bodies: Record<string, { type: string; body: string }> = {
    "PUT /ops/users/:id/role": json({ role: "admin", password: PASSWORD }),
    "POST /ops/signing-keys/rotate": json({ immediately: true }),
    "PUT /pages/:slug": { type: "text/markdown", body: "---\ntitle: Pricing\n---\n# Everything is free today" },
    "POST /templates": json({ slug: "planted", category: "website", title: "Planted", body: "{{name}}", requiredFields: ["name"] }),
    "PUT /templates/:id": json({ body: "Planted {{name}}" }),
  };
  return bodies[`${route.method} ${route.path}`] ?? json({});
}

/** Calls every route of these access levels as this caller, each method it has (HEAD with GET); answers what came back. */
async function sweep(levels: Route["access"][], authorization: string, f: Fixtures, self: { id: string; email: string }): Promise<{ route: string; status: number; type: string | null; problem: Problem | null }[]> {
  const answers = [];
  for (const route of routes.filter((r) => levels.includes(r.access))) {
    const path = pathOf(route, f, self);
    const methods = route.method === "GET" ? ["GET", "HEAD"] : [route.method];
    for (const method of methods) {
      const body = bodyOf(route);
      const headers: Record<string, string> = { authorization, "cf-connecting-ip": clientIp(), ...(body ? { "content-type": body.type } : {}) };
      const res = await call(path, { method, headers, body: body?.body });
      const type = res.headers.get("content-type");
      answers.push({ route: `${method} ${path}`, status: res.status, type, problem: method === "HEAD" ? null : await res.json<Problem>() });
    }
  }
  return answers;
}

let fixtures: Fixtures;
let client: SignedIn & { email: string; authorization: string };
let author: SignedIn & { email: string; authorization: string };

beforeAll(async () => {
  fixtures = await seedFixtures();
  client = await signedUp("attacker");
  // An author as ops would make one: the role in D1, then a sign-in, whose access token carries it.
  const writer = await signedUp("author");
  await env.DB.prepare("update users set role = 'author' where id = ?").bind(writer.user.id).run();
  const session = await signIn(writer.email);
  expect(session.user.role).toBe("author");
  author = { ...session, email: writer.email, authorization: `Bearer ${session.accessToken}` };
});

describe("routes above the caller's role", () => {
  it("has routes of both levels to probe", () => {
    expect(routes.filter((r) => r.access === "ops").length).toBeGreaterThan(5);
    expect(routes.filter((r) => r.access === "author").length).toBeGreaterThan(5);
  });

  it("refuses a client every ops and author route, each method, with 403 problem+json, and changes nothing", async () => {
    const before = await settled();
    const answers = await sweep(["ops", "author"], client.authorization, fixtures, { id: client.user.id, email: client.email });
    for (const a of answers) {
      expect({ route: a.route, status: a.status, type: a.type }).toEqual({ route: a.route, status: 403, type: "application/problem+json" });
      if (a.problem) expect(a.problem).toMatchObject({ status: 403, type: "/problems/forbidden" });
    }
    expect(await snapshot()).toEqual(before);
    // What the attempts were after, read back as anyone may: the page as it was, the client still a client.
    const page = await (await call(`/api/pages/${fixtures.slug}`)).json<{ html: string; version: number }>();
    expect(page.version).toBe(1);
    expect(page.html).not.toContain("free today");
    expect((await signIn(client.email)).user.role).toBe("client");
  });

  it("is refused by each owning worker too, reached over its binding with a client as the caller or with none", async () => {
    // What a route that forgot its guard, or another worker's call, would look like: the service's own check stands.
    const before = await settled();
    for (const route of routes.filter((r) => r.access === "ops" || r.access === "author")) {
      const path = pathOf(route, fixtures, { id: client.user.id, email: client.email }, true);
      const body = bodyOf(route);
      for (const [caller, expected] of [[{ "x-statex-user-id": client.user.id, "x-statex-user-role": "client" }, 403], [{}, 401]] as const) {
        const headers: Record<string, string> = { ...caller, ...(body ? { "content-type": body.type } : {}) };
        const res = await env[route.service].fetch(new Request(`https://internal${path}`, { method: route.method, headers, body: body?.body }));
        expect({ route: `${route.service} ${route.method} ${path}`, status: res.status }).toEqual({ route: `${route.service} ${route.method} ${path}`, status: expected });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an author every ops route, their own role included, and changes nothing", async () => {
    const before = await settled();
    const answers = await sweep(["ops"], author.authorization, fixtures, { id: author.user.id, email: author.email });
    for (const a of answers) expect({ route: a.route, status: a.status, type: a.type }).toEqual({ route: a.route, status: 403, type: "application/problem+json" });
    expect(await snapshot()).toEqual(before);
    // The author's own level, for contrast: the same token reads the drafts.
    expect((await call("/api/drafts", { headers: { authorization: author.authorization } })).status).toBe(200);
  });
});

describe("identity headers sent from outside", () => {
  const forged = (userId: string, role: string, session?: string) => ({
    "x-statex-user-id": userId,
    "x-statex-user-role": role,
    ...(session ? { "x-statex-user-session": session } : {}),
  });

  it("make no one anyone: anonymous with role ops is 401 on ops and signed-in routes", async () => {
    for (const [method, path] of [["GET", "/api/ops/events"], ["POST", "/api/ops/signing-keys/rotate"], ["PUT", `/api/ops/users/${client.user.id}/role`], ["GET", "/api/me"], ["GET", "/api/me/requests"]] as const) {
      const res = await call(path, { method, headers: { "content-type": "application/json", "cf-connecting-ip": clientIp(), ...forged(client.user.id, "ops") }, body: method === "GET" ? undefined : JSON.stringify({ role: "ops", password: PASSWORD }) });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
  });

  it("do not lift a client's role: with x-statex-user-role admin (or ops) every ops route is still 403", async () => {
    const before = await settled();
    for (const role of ["admin", "ops"]) {
      const res = await call(`/api/ops/users/${client.user.id}/role`, jsonInit({ role: "ops", password: PASSWORD }, { authorization: client.authorization, ...forged(client.user.id, role) }, "PUT"));
      expect(res.status).toBe(403);
      expect((await call("/api/ops/events", { headers: { authorization: client.authorization, ...forged(client.user.id, role) } })).status).toBe(403);
      expect((await call("/api/ops/signing-keys/rotate", jsonInit({}, { authorization: client.authorization, ...forged(client.user.id, role) }))).status).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("do not swap the caller: another user's id shows only the caller's own requests, account and sessions", async () => {
    const victim = await signedUp("victim");
    const submit = async (who: { authorization: string }, text: string) => {
      const res = await call("/api/requests", jsonInit({ name: "Ada", email: "ada@example.com", text }, { authorization: who.authorization }));
      expect(res.status).toBe(202);
      return (await res.json<{ id: string }>()).id;
    };
    const mine = await submit(client, "The attacker's own request for a website.");
    const theirs = await submit(victim, "The victim's request for a clinic booking system.");
    const headers = { authorization: client.authorization, ...forged(victim.user.id, "client", sessionOf(victim.accessToken)) };

    const listed = await (await call("/api/me/requests", { headers })).json<{ items: { id: string }[] }>();
    expect(listed.items.map((i) => i.id)).toEqual([mine]);
    expect(listed.items.map((i) => i.id)).not.toContain(theirs);
    expect(await (await call("/api/me", { headers })).json()).toMatchObject({ user: { id: client.user.id } });
    const sessions = await (await call("/api/me/sessions", { headers })).json<{ sessions: { id: string; current: boolean }[] }>();
    expect(sessions.sessions.filter((s) => s.current).map((s) => s.id)).toEqual([sessionOf(client.accessToken)]);
    expect(sessions.sessions.map((s) => s.id)).not.toContain(sessionOf(victim.accessToken));
    // Ending the victim's session with their id and session in the headers: 404, and it still refreshes.
    expect((await call(`/api/me/sessions/${sessionOf(victim.accessToken)}`, { method: "DELETE", headers })).status).toBe(404);
    expect((await call("/api/sessions/refresh", jsonInit({ refreshToken: victim.refreshToken }))).status).toBe(200);
  });

  it("do not choose which session is kept: 'sign out everywhere else' keeps the session of the access token", async () => {
    const me = await signedUp("sessions");
    const other = await signIn(me.email);
    // The header names the other session as "current": were it believed, the caller's own session would end.
    const res = await call("/api/me/sessions", { method: "DELETE", headers: { authorization: me.authorization, ...forged(me.user.id, "client", sessionOf(other.accessToken)) } });
    expect(await res.json()).toEqual({ ended: 1 });
    expect((await call("/api/sessions/refresh", jsonInit({ refreshToken: me.refreshToken }))).status).toBe(200);
    expect((await call("/api/sessions/refresh", jsonInit({ refreshToken: other.refreshToken }))).status).toBe(401);
  });
});

describe("another client's request", () => {
  let owner: SignedIn & { authorization: string };
  let other: SignedIn & { authorization: string };
  let request: { id: string; token: string };
  let otherRequest: { id: string; token: string };

  const submit = async (who: { authorization: string }) => {
    const res = await call("/api/requests", jsonInit({ name: "Ada", email: "ada@example.com", text: "We need a booking website for our clinic." }, { authorization: who.authorization }));
    expect(res.status).toBe(202);
    const { id, statusUrl } = await res.json<{ id: string; statusUrl: string }>();
    return { id, token: new URL(statusUrl, "http://x").searchParams.get("token") ?? "" };
  };

  beforeAll(async () => {
    owner = await signedUp("owner");
    other = await signedUp("other");
    request = await submit(owner);
    otherRequest = await submit(other);
  });

  it("is 404 to another client, to no one, and to the status link of another request, as an unknown id is", async () => {
    const unknown = await call(`/api/requests/${newId("req")}`, { headers: { authorization: other.authorization } });
    expect(unknown.status).toBe(404);
    const unknownProblem = await unknown.json<Problem>();
    const probes: [string, RequestInit][] = [
      [`/api/requests/${request.id}`, { headers: { authorization: other.authorization } }],
      [`/api/requests/${request.id}`, {}],
      [`/api/requests/${request.id}?token=${otherRequest.token}`, { headers: { authorization: other.authorization } }],
      [`/api/requests/${request.id}/tasks/nlp/result`, { headers: { authorization: other.authorization } }],
      [`/api/requests/${request.id}/tasks/nlp/result?token=${otherRequest.token}`, {}],
      [`/api/requests/${request.id}/live`, { headers: { authorization: other.authorization, accept: "text/event-stream" } }],
      [`/api/requests/${request.id}/live-ticket`, { method: "POST", headers: { authorization: other.authorization } }],
    ];
    for (const [path, init] of probes) {
      const res = await call(path, init);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      const problem = await res.json<Problem>();
      // Nothing tells "someone else's" from "no such request".
      expect({ type: problem.type, detail: problem.detail }).toEqual({ type: unknownProblem.type, detail: unknownProblem.detail });
    }
    // The owner reads it without a link, and the other client reads their own.
    expect((await call(`/api/requests/${request.id}`, { headers: { authorization: owner.authorization } })).status).toBe(200);
    expect((await call(`/api/requests/${otherRequest.id}`, { headers: { authorization: other.authorization } })).status).toBe(200);
  });

  it("cannot be cancelled by another client, or with another request's link", async () => {
    for (const path of [`/api/requests/${request.id}/cancel`, `/api/requests/${request.id}/cancel?token=${otherRequest.token}`]) {
      expect((await call(path, { method: "POST", headers: { authorization: other.authorization } })).status).toBe(404);
    }
    const view = await (await call(`/api/requests/${request.id}`, { headers: { authorization: owner.authorization } })).json<{ status: string }>();
    expect(view.status).not.toBe("cancelled");
  });
});
