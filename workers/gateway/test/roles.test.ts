// Ops routes open to ops and admin accounts only: no static token, and roles granted through the gateway.
import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, call, opsHeaders } from "./call";

type SignedIn = { accessToken: string; refreshToken: string; user: { id: string; role: string } };

const post = (path: string, body: unknown, ip: string, headers: Record<string, string> = {}, method = "POST") =>
  call(path, { method, headers: { "content-type": "application/json", "cf-connecting-ip": ip, ...headers }, body: JSON.stringify(body) });

describe("ops at the gateway", () => {
  it("refuses the old static development token (401 invalid_token), on ops routes and public ones alike", async () => {
    for (const path of ["/api/ops/events", "/api/ops/role-changes", "/api/pages"]) {
      const res = await call(path, { headers: { authorization: "Bearer dev-only-ops-token" } });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    }
  });

  it("lets an admin find an account and make it an author: its session ends, its next sign-in carries the role, the grant is listed", async () => {
    const email = `grantee-${crypto.randomUUID()}@example.com`;
    expect((await post("/api/users", { email, name: "Grantee", password: "correct horse battery" }, "198.18.254.1")).status).toBe(202);
    const before = await (await post("/api/sessions", { email, password: "correct horse battery" }, "198.18.254.1")).json<SignedIn>();
    const ops = await opsHeaders();

    const found = await call(`/api/ops/users?email=${encodeURIComponent(email)}`, { headers: ops });
    const [user] = (await found.json<{ users: { id: string; role: string }[] }>()).users;
    expect(user).toMatchObject({ id: before.user.id, role: "client" });
    // The grantee cannot do it themselves: the route is for ops.
    expect((await post(`/api/ops/users/${before.user.id}/role`, { role: "author", password: "correct horse battery" }, "198.18.254.2", { authorization: `Bearer ${before.accessToken}` }, "PUT")).status).toBe(403);

    const granted = await post(`/api/ops/users/${before.user.id}/role`, { role: "author", password: ADMIN_PASSWORD }, "198.18.254.3", ops, "PUT");
    expect(granted.status).toBe(200);
    expect((await post("/api/sessions/refresh", { refreshToken: before.refreshToken }, "198.18.254.1")).status).toBe(401);
    const after = await (await post("/api/sessions", { email, password: "correct horse battery" }, "198.18.254.1")).json<SignedIn>();
    expect(after.user.role).toBe("author");
    expect((await call("/api/drafts", { headers: { authorization: `Bearer ${after.accessToken}` } })).status).toBe(200);

    const listed = await call(`/api/ops/role-changes?target=${before.user.id}`, { headers: ops });
    expect((await listed.json<{ changes: { oldRole: string; newRole: string }[] }>()).changes).toEqual([expect.objectContaining({ oldRole: "client", newRole: "author" })]);
  });
});
