import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MyRequests } from "@statex/shared/api/identity";
import { type AsCaller, call, register } from "./helpers";

async function seedRequest(id: string, userId: string | null, createdAt: string, text = `text of ${id}`) {
  await env.DB.prepare("insert into requests (id, channel, name, email, text, user_id, created_at) values (?, 'web', 'N', 'n@example.com', ?, ?, ?)")
    .bind(id, text, userId, createdAt)
    .run();
}

async function list(as: AsCaller, query = "") {
  const res = await call(`/me/requests${query}`, { as });
  expect(res.status).toBe(200);
  // Through the schema the API document gives this answer.
  return MyRequests.parse(await res.json());
}

describe("GET /me/requests", () => {
  it("shows the caller's requests newest first with their job status, and never another user's", async () => {
    const ada = await register();
    const bob = await register();
    await seedRequest("req_A1", ada.user.id, "2026-01-01T10:00:00.000Z");
    await seedRequest("req_A2", ada.user.id, "2026-01-02T10:00:00.000Z", "x".repeat(500));
    await seedRequest("req_B1", bob.user.id, "2026-01-03T10:00:00.000Z");
    await seedRequest("req_anon", null, "2026-01-04T10:00:00.000Z");
    await env.DB.prepare("insert into jobs (request_id, status, steps, completed_at) values ('req_A1', 'completed', '[]', '2026-01-01T10:05:00.000Z')").run();

    const page = await list(ada.as);
    expect(page.items.map((r) => r.id)).toEqual(["req_A2", "req_A1"]);
    expect(page.items[0]).toMatchObject({ status: "received", completedAt: null });
    expect(page.items[0]).toMatchObject({ truncated: true });
    expect(page.items[0]?.excerpt).toHaveLength(200);
    expect(page.items[1]).toMatchObject({ truncated: false });
    expect(page.items[1]).toMatchObject({ status: "completed", completedAt: "2026-01-01T10:05:00.000Z" });
    expect(page.nextCursor).toBeNull();
    expect((await list(bob.as)).items.map((r) => r.id)).toEqual(["req_B1"]);
  });

  it("pages with a cursor, stable across requests that share a timestamp", async () => {
    const { user, as } = await register();
    const same = "2026-02-01T00:00:00.000Z";
    for (const id of ["req_P1", "req_P2", "req_P3", "req_P4", "req_P5"]) await seedRequest(id, user.id, same);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(as, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["req_P5", "req_P4", "req_P3", "req_P2", "req_P1"]);
  });

  it("refuses anonymous callers and bad query values with problems", async () => {
    const { as } = await register();
    expect((await call("/me/requests")).status).toBe(401);
    const bad = await call("/me/requests?limit=500&cursor=garbage", { as });
    expect(bad.status).toBe(400);
    expect((await bad.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field)).toContain("query.limit");
    const badCursor = await call("/me/requests?cursor=garbage", { as });
    expect((await badCursor.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field)).toEqual(["query.cursor"]);
  });
});
