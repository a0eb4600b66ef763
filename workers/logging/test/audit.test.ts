import { env } from "cloudflare:workers";
import { AuditPage, AuditVerdict } from "@statex/shared/api/logging";
import { createEvent, parseEvent } from "@statex/shared/events";
import { describe, expect, it } from "vitest";
import { describeOpsOnly } from "../../../shared/test/callers";
import { GENESIS, appendAudit } from "../src/audit";
import { call, count, deliver } from "./helpers";


function auditEvent(action: string, targetId: string, change: Record<string, unknown> | null = null) {
  return createEvent(
    "audit.recorded",
    { action, actor: { id: "usr_OPS", role: "ops" }, target: { type: "request", id: targetId }, change },
    { correlationId: targetId, source: "orchestrator" },
  );
}

async function entries(query = "") {
  const res = await call("GET", `/audit${query}`);
  expect(res.status).toBe(200);
  return AuditPage.parse(await res.json()).entries;
}

async function verify() {
  return AuditVerdict.parse(await (await call("GET", "/audit/verify")).json());
}

/** What the D1 triggers put into the outbox, as the relay would send it. */
async function outboxEvent(id: string) {
  const row = await env.DB.prepare("select body from event_outbox where id = ?").bind(id).first<{ body: string }>();
  expect(row, id).not.toBeNull();
  return parseEvent(JSON.parse(row?.body ?? "null"));
}

describe("the audit trail", () => {
  it("chains each entry to the one before, once per event, and lists them newest first", async () => {
    const cancel = auditEvent("request.cancelled", "req_A1");
    await deliver("statex-logging", [{ body: cancel }, { body: auditEvent("job.retried", "req_A2", { tasks: ["nlp"] }) }]);
    // Redelivered: nothing is appended twice.
    await deliver("statex-logging", [{ body: cancel }], 2);
    const listed = await entries();
    expect(listed.map((e) => [e.seq, e.action, e.target.id])).toEqual([[2, "job.retried", "req_A2"], [1, "request.cancelled", "req_A1"]]);
    expect(listed[1]?.prevHash).toBe(GENESIS);
    expect(listed[0]?.prevHash).toBe(listed[1]?.hash);
    expect(listed[0]).toMatchObject({ actor: { id: "usr_OPS", role: "ops" }, change: { tasks: ["nlp"] } });
    // Audit events are the audit trail's, not the event list's.
    expect(await count("events", "type = 'audit.recorded'")).toBe(0);
    expect(await verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it("pages with the cursor and filters by action, actor and target", async () => {
    await deliver("statex-logging", [1, 2, 3].map((n) => ({ body: auditEvent("task.retried", `req_P${n}`) })));
    const first = AuditPage.parse(await (await call("GET", "/audit?action=task.retried&limit=2")).json());
    expect(first.entries.map((e) => e.target.id)).toEqual(["req_P3", "req_P2"]);
    const rest = AuditPage.parse(await (await call("GET", `/audit?action=task.retried&limit=2&cursor=${first.next}`)).json());
    expect(rest).toMatchObject({ entries: [expect.objectContaining({ target: { type: "request", id: "req_P1" } })], next: null });
    expect((await entries("?target=req_P2")).map((e) => e.action)).toEqual(["task.retried"]);
    expect(await entries("?actor=usr_NOBODY")).toEqual([]);
    expect((await call("GET", "/audit?limit=0")).status).toBe(400);
  });

  it("refuses to change or remove an entry", async () => {
    await deliver("statex-logging", [{ body: auditEvent("request.cancelled", "req_R1") }]);
    await expect(env.DB.prepare("update audit_log set action = 'nothing' where seq = 1").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("delete from audit_log where seq = 1").run()).rejects.toThrow(/append-only/);
  });

  it("keeps one chain when appends race", async () => {
    const before = await count("audit_log");
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        appendAudit(env.DB, { sourceId: `race-${i}`, at: new Date().toISOString(), action: "test.raced", actor: { id: null, role: null }, target: { type: "test", id: String(i) }, change: null, correlationId: null }),
      ),
    );
    expect(await count("audit_log")).toBe((before ?? 0) + 12);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("records role grants and sign-in security events written anywhere, through the outbox, without the network", async () => {
    await env.DB.prepare("insert into role_changes (id, actor_id, target_id, old_role, new_role, at) values ('rch_1', 'usr_ADMIN', 'usr_T', 'client', 'author', '2026-12-01T10:00:00.000Z')").run();
    await env.DB.prepare("insert into security_events (id, kind, email_hash, user_id, network, detail, at) values ('sev_1', 'sign-in-locked', 'abc', 'usr_T', '203.0.113.7', '10 failures', '2026-12-01T10:01:00.000Z')").run();
    await env.DB.prepare("insert into security_events (id, kind, email_hash, network, at) values ('sev_2', 'sign-in-failed', 'f00d', '203.0.113.7', '2026-12-01T10:02:00.000Z')").run();
    // The grant's own security event is the grant above: not twice.
    await env.DB.prepare("insert into security_events (id, kind, user_id, at) values ('sev_3', 'role-changed', 'usr_T', '2026-12-01T10:00:00.000Z')").run();
    expect(await count("event_outbox", "id = 'aud_sev_3'")).toBe(0);

    const events = [await outboxEvent("aud_rch_1"), await outboxEvent("aud_sev_1"), await outboxEvent("aud_sev_2")];
    await deliver("statex-logging", events.map((body) => ({ body })));
    const listed = await entries("?target=usr_T");
    expect(listed.map((e) => [e.action, e.actor.id, e.change])).toEqual([
      ["security.sign-in-locked", "usr_T", { detail: "10 failures" }],
      ["role.granted", "usr_ADMIN", { from: "client", to: "author" }],
    ]);
    expect((await entries("?target=f00d"))[0]).toMatchObject({ action: "security.sign-in-failed", target: { type: "email-hash", id: "f00d" } });
    expect(JSON.stringify(await entries())).not.toContain("203.0.113");
  });

  it("records template versions and retirements with who made them", async () => {
    await env.DB.prepare("insert into templates (id, slug, category, version, title, body, required_fields, updated_by) values ('tpl_A', 'audit-a', 'other', 1, 'A', 'body', '[]', 'usr_AUTHOR')").run();
    await env.DB.prepare("insert into template_versions (template_id, version, category, title, body, required_fields, created_by) values ('tpl_A', 1, 'other', 'A', 'body', '[]', 'usr_AUTHOR')").run();
    await env.DB.prepare("insert into template_versions (template_id, version, category, title, body, required_fields, created_by) values ('tpl_A', 2, 'other', 'A2', 'body', '[]', 'usr_AUTHOR')").run();
    await env.DB.prepare("update templates set status = 'retired', version = 2, updated_by = 'usr_OPS' where id = 'tpl_A'").run();
    const ids = ["aud_tpl_tpl_A_1", "aud_tpl_tpl_A_2", "aud_tpr_tpl_A_2"];
    await deliver("statex-logging", await Promise.all(ids.map(async (id) => ({ body: await outboxEvent(id) }))));
    expect((await entries("?target=tpl_A")).map((e) => [e.action, e.actor.id])).toEqual([
      ["template.retired", "usr_OPS"],
      ["template.updated", "usr_AUTHOR"],
      ["template.created", "usr_AUTHOR"],
    ]);
  });

  it("records content's publications and deletions with who acted, and keeps them among the events too", async () => {
    const meta = { correlationId: "about", source: "content" as const };
    const published = createEvent("content.published", { slug: "about", kind: "page", tags: [], version: 3, by: "usr_AUTHOR", scheduled: false }, meta);
    const unpublished = createEvent("content.updated", { slug: "about", kind: "page", tags: [], version: null, change: "unpublished", by: "usr_OPS" }, meta);
    const deleted = createEvent("content.deleted", { slug: "about", kind: "page", tags: [], by: "usr_OPS" }, meta);
    for (const body of [published, unpublished, deleted]) await deliver("statex-logging", [{ body }]);
    expect((await entries("?target=about")).map((e) => [e.action, e.actor.id, e.change])).toEqual([
      ["content.deleted", "usr_OPS", null],
      ["content.unpublished", "usr_OPS", { version: null }],
      ["content.published", "usr_AUTHOR", { version: 3, scheduled: false }],
    ]);
    expect(await count("events", "correlation_id = 'about'")).toBe(3);
  });

  it("records an account's deletion by its id, and a redrive with who redrove it", async () => {
    const deleted = createEvent("user.deleted", { userId: "usr_GONE", email: "gone@example.com" }, { correlationId: "usr_GONE", source: "identity" });
    await deliver("statex-logging", [{ body: deleted }]);
    expect((await entries("?target=usr_GONE"))[0]).toMatchObject({ action: "account.deleted", actor: { id: "usr_GONE" }, change: null });
    expect(JSON.stringify(await entries())).not.toContain("gone@example.com");

    await deliver("statex-notify-dlq", [{ id: "m-audit", body: { type: "request.created", correlationId: "req_DL" } }]);
    expect((await call("POST", "/dead-letters/statex-notify:m-audit/redrive")).status).toBe(200);
    expect((await entries("?action=dead-letter.redriven"))[0]).toMatchObject({ actor: { id: "usr_OPS", role: "ops" }, target: { type: "dead-letter", id: "statex-notify:m-audit" } });
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describeOpsOnly(
  [
    { method: "GET", path: "/audit", served: 200 },
    { method: "GET", path: "/audit/verify", served: 200 },
  ],
  call,
);
