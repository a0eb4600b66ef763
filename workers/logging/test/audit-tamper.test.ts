// Tampering with the audit trail behind the triggers' back, as someone with D1 access could: verify names the row.
// A file of its own, since it breaks the chain for good (storage is per test file).
import { env } from "cloudflare:workers";
import { AuditVerdict } from "@statex/shared/api/logging";
import { createEvent } from "@statex/shared/events";
import { describe, expect, it } from "vitest";
import { call, deliver } from "./helpers";


const verify = async () => AuditVerdict.parse(await (await call("GET", "/audit/verify")).json());

async function append(n: number) {
  const events = Array.from({ length: n }, (_, i) =>
    createEvent("audit.recorded", { action: "role.granted", actor: { id: "usr_ADMIN", role: "admin" }, target: { type: "user", id: `usr_${i}` }, change: { from: "client", to: "ops" } }, { correlationId: `rch_${i}`, source: "identity" }),
  );
  // One at a time: the order of the chain is then the order here.
  for (const body of events) await deliver("statex-logging", [{ body }]);
}

describe("verify after tampering through SQL", () => {
  it("names an edited row, then a removed one", async () => {
    await append(5);
    expect(await verify()).toMatchObject({ ok: true, entries: 5 });

    await env.DB.prepare("drop trigger audit_log_no_update").run();
    await env.DB.prepare(`update audit_log set change = '{"from":"client","to":"author"}' where seq = 3`).run();
    const edited = await verify();
    expect(edited).toMatchObject({ ok: false, entries: 2, brokenAt: { seq: 3, reason: "hash-mismatch" } });

    // Re-hashing the edited row does not hide it: the next row's prev_hash still names the old hash.
    const stored = await env.DB.prepare("select hash from audit_log where seq = 3").first<{ hash: string }>();
    await env.DB.prepare("update audit_log set hash = ? where seq = 3").bind(edited.brokenAt?.expected ?? "").run();
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { seq: 4, reason: "prev-mismatch", found: stored?.hash } });

    await env.DB.prepare("drop trigger audit_log_no_delete").run();
    await env.DB.prepare("delete from audit_log where seq = 2").run();
    expect(await verify()).toMatchObject({ ok: false, entries: 1, brokenAt: { seq: 2, reason: "missing" } });
  });
});
