import { env } from "cloudflare:workers";
import { database } from "@statex/shared/db";
import { newId } from "@statex/shared/ids";
import { describe, expect, it } from "vitest";
import { ORPHAN_AGE_MS, sweepOrphans, sweepUploads, sweepUsedTickets } from "../src/sweep";
import { call, contact, form, submitForm } from "./call";
import { allKeys, pdf } from "./files";

describe("storage housekeeping (intake's cron)", () => {
  it("deletes files of requests that were never created once they are an hour old, and keeps the rest", async () => {
    const res = await submitForm(form(contact, [{ name: "kept.pdf", bytes: pdf("kept") }]));
    expect(res.status).toBe(202);
    const kept = await allKeys("requests/");
    // What a crash between the files and the D1 batch leaves behind.
    const orphan = `requests/${newId("req")}/files/${newId("file")}.pdf`;
    await env.FILES.put(orphan, pdf("orphan"));
    const db = database(env.DB);
    // Now, the orphan is too young to tell from a submission still in flight.
    expect(await sweepOrphans(db, env.FILES)).toBe(0);
    expect(await allKeys("requests/")).toContain(orphan);
    // Two hours on, it is swept; the request's own file stays.
    expect(await sweepOrphans(db, env.FILES, Date.now() + 2 * ORPHAN_AGE_MS)).toBe(1);
    expect(await allKeys("requests/")).toEqual(kept);
  });

  it("aborts uploads past their expiry and frees their storage", async () => {
    const created = await call("/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "a.txt", size: 5 }) });
    const u = await created.json<{ id: string; uploadToken: string }>();
    await call(`/uploads/${u.id}/parts/1`, { method: "PUT", headers: { "x-upload-token": u.uploadToken }, body: "hello" });
    await call(`/uploads/${u.id}/complete`, { method: "POST", headers: { "x-upload-token": u.uploadToken } });
    expect(await allKeys(`uploads/${u.id}`)).toHaveLength(1);
    const db = database(env.DB);
    expect(await sweepUploads(db, env.FILES)).toBe(0);
    expect(await sweepUploads(db, env.FILES, Date.now() + 25 * ORPHAN_AGE_MS)).toBe(1);
    expect(await allKeys(`uploads/${u.id}`)).toEqual([]);
    expect(await env.DB.prepare("select status from uploads where id = ?").bind(u.id).first("status")).toBe("aborted");
  });

  it("forgets used live tickets once they have expired, and keeps the rest", async () => {
    const db = database(env.DB);
    const at = Date.UTC(2026, 0, 1, 12);
    await env.DB.batch([
      env.DB.prepare("insert into used_live_tickets (hash, expires_at) values ('expired', ?)").bind(new Date(at - 1).toISOString()),
      env.DB.prepare("insert into used_live_tickets (hash, expires_at) values ('current', ?)").bind(new Date(at + 60_000).toISOString()),
    ]);
    expect(await sweepUsedTickets(db, at)).toBe(1);
    const { results } = await env.DB.prepare("select hash from used_live_tickets where hash in ('expired', 'current')").all<{ hash: string }>();
    expect(results.map((r) => r.hash)).toEqual(["current"]);
  });
});
