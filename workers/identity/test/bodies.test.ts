// Every identity route that reads a body, sent what an attacker or a broken client sends: too much, not JSON, another
// media type, fields it does not have, fields of the wrong type. Each is refused with the status the README's
// "Errors" gives, naming what was wrong, and writes nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type AsCaller, call, register, registerAs } from "./helpers";

type Problem = { status: number; type: string; errors?: { field: string; message: string }[] };

/** Everything identity writes: a refused request must leave each table as it was, row for row. */
const TABLES = ["users", "sessions", "spent_refresh_tokens", "account_tokens", "security_events", "event_outbox", "role_changes", "signing_keys", "requests"];

async function snapshot(): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) tables[table] = (await env.DB.prepare(`select * from "${table}" order by rowid`).all()).results;
  return tables;
}

type BodyRoute = {
  method: string;
  path: string;
  as?: AsCaller;
  /** A body the route would take: the attacks below are built from it. */
  valid: Record<string, unknown>;
};

/** The body sent with no content-length, in chunks, as a client streaming it would. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 4096));
      offset += 4096;
    },
  });
}

const send = (route: BodyRoute, body: BodyInit | null, contentType?: string) =>
  call(route.path, { method: route.method, as: route.as, body, headers: contentType ? { "content-type": contentType } : {} });

/** Larger than every body limit of identity's routes (16 KiB at most). */
const OVERSIZE = 64 * 1024;
const TOKEN = "A".repeat(43);

let routes: BodyRoute[];

beforeAll(async () => {
  const user = await register();
  const admin = await registerAs("admin");
  const other = await register();
  const password = user.input.password;
  routes = [
    { method: "POST", path: "/users", valid: { email: "new.person@example.com", name: "Ada", password: "a brand new passphrase" } },
    { method: "POST", path: "/users/verify", valid: { token: TOKEN } },
    { method: "POST", path: "/password-resets", valid: { email: user.input.email } },
    { method: "POST", path: "/password-resets/confirm", valid: { token: TOKEN, password: "a brand new passphrase" } },
    { method: "POST", path: "/sessions", valid: { email: user.input.email, password } },
    { method: "POST", path: "/sessions/refresh", valid: { refreshToken: user.refreshToken } },
    { method: "PATCH", path: "/me", as: user.as, valid: { name: "Another name" } },
    { method: "PUT", path: "/me/password", as: user.as, valid: { currentPassword: password, password: "a brand new passphrase" } },
    { method: "DELETE", path: "/me", as: user.as, valid: { password } },
    { method: "PUT", path: `/ops/users/${other.user.id}/role`, as: admin.as, valid: { role: "author", password: admin.input.password } },
    { method: "POST", path: "/signing-keys/rotate", as: admin.as, valid: { immediately: true } },
  ];
});

/** Sends each attack to each route and checks its answer and that nothing was written. */
async function refusedEach(attack: (route: BodyRoute) => Promise<Response>, check: (route: BodyRoute, problem: Problem, res: Response) => void): Promise<void> {
  for (const route of routes) {
    const before = await snapshot();
    const res = await attack(route);
    expect(res.headers.get("content-type"), `${route.method} ${route.path}`).toBe("application/problem+json");
    check(route, await res.json<Problem>(), res);
    expect(await snapshot(), `${route.method} ${route.path} wrote something`).toEqual(before);
  }
}

// Each case is every route with a snapshot of every table before and after: more than the default 5 s on a busy machine.
describe("identity's bodies", { timeout: 60_000 }, () => {
  it("refuses a body over the route's limit with 413, by its length or while it streams", async () => {
    const huge = (r: BodyRoute) => JSON.stringify({ ...r.valid, padding: "x".repeat(OVERSIZE) });
    for (const stream of [false, true]) {
      await refusedEach(
        (r) => send(r, stream ? chunked(huge(r)) : huge(r), "application/json"),
        (r, problem) => expect({ route: `${r.method} ${r.path}`, status: problem.status, type: problem.type, errors: problem.errors?.map((e) => e.field) }).toEqual({ route: `${r.method} ${r.path}`, status: 413, type: "/problems/too-large", errors: ["body"] }),
      );
    }
  });

  it("refuses what is not JSON, or not a JSON object, with 400 naming the body", async () => {
    for (const text of ['{"email": ', "", "{'email': 'a@b.c'}", "null", "[]", '"text"', "42"]) {
      await refusedEach(
        (r) => send(r, text, "application/json"),
        (r, problem) => expect({ route: `${r.method} ${r.path}`, text, status: problem.status, errors: problem.errors?.map((e) => e.field) }).toEqual({ route: `${r.method} ${r.path}`, text, status: 400, errors: ["body"] }),
      );
    }
  });

  it("refuses another media type, or none, with 415 naming the content type", async () => {
    // A string body without a type is sent as text/plain; `null` sends no body and no type at all.
    for (const [type, body] of [["text/plain", "json"], ["application/x-www-form-urlencoded", "json"], ["multipart/form-data; boundary=x", "json"], [undefined, "json"], [undefined, null]] as const) {
      await refusedEach(
        (r) => send(r, body && JSON.stringify(r.valid), type),
        (r, problem) => expect({ route: `${r.method} ${r.path}`, type, status: problem.status, errors: problem.errors?.map((e) => e.field) }).toEqual({ route: `${r.method} ${r.path}`, type, status: 415, errors: ["content-type"] }),
      );
    }
  });

  it("refuses a field the route does not have with 400 naming it, whatever it claims", async () => {
    await refusedEach(
      (r) => send(r, JSON.stringify({ ...r.valid, role: "admin", userId: "usr_01ARZ3NDEKTSV4RRFFQ69G5FAV" }), "application/json"),
      (r, problem) => {
        expect({ route: `${r.method} ${r.path}`, status: problem.status }).toEqual({ route: `${r.method} ${r.path}`, status: 400 });
        // The role route has a role of its own: only the other one is unknown there.
        const unknown = "role" in r.valid ? ["userId"] : ["role", "userId"];
        expect(problem.errors?.map((e) => e.field).sort()).toEqual(unknown);
      },
    );
  });

  it("refuses fields of the wrong type with 400 naming each", async () => {
    for (const wrong of [12345, null, ["a"], { nested: true }]) {
      await refusedEach(
        (r) => send(r, JSON.stringify(Object.fromEntries(Object.keys(r.valid).map((k) => [k, wrong]))), "application/json"),
        (r, problem) => {
          expect({ route: `${r.method} ${r.path}`, status: problem.status }).toEqual({ route: `${r.method} ${r.path}`, status: 400 });
          expect(new Set(problem.errors?.map((e) => e.field))).toEqual(new Set(Object.keys(r.valid)));
        },
      );
    }
  });

  it("takes each route's valid body, so the refusals above were the attacks' own", async () => {
    // Only the harmless ones, and after every refusal: a wrong token's link, a sign-in, a refresh, a rename.
    for (const route of routes.filter((r) => ["/users/verify", "/sessions", "/me"].includes(r.path) && r.method !== "DELETE")) {
      const res = await send(route, JSON.stringify(route.valid), "application/json");
      expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: route.path === "/users/verify" ? 400 : route.path === "/sessions" ? 201 : 200 });
    }
  });
});

describe("POST /users/verify/resend", () => {
  it("takes no body: one over its limit is refused by its length, and writes nothing", async () => {
    const user = await register();
    const before = await snapshot();
    const res = await call("/users/verify/resend", { method: "POST", as: user.as, body: "x".repeat(OVERSIZE), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });
});
