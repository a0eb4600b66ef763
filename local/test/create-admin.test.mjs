// `npm run create-admin -- --local`, as `npm run dev` and the tests run it: `node --test local/test/`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, it } from "node:test";
import { devSecretValue } from "../../infra/topology.mjs";
import { importWorkerCode } from "../worker-code.mjs";
import { devAdmin, remotePasswordProblem, seedDevAdmin } from "../../scripts/create-admin.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const wranglerBin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
let stateDir;

let db;

/**
 * A query's rows from the local D1, straight from miniflare's SQLite file as the e2e erasure test reads it (each
 * `wrangler d1 execute` would start a runtime: seconds per query); `run` for a statement that writes.
 */
const query = (sql) => db.prepare(sql).all().map((row) => ({ ...row }));
const run = (sql) => db.prepare(sql).run();

before(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), "statex-create-admin-"));
  execFileSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "statex", "--local", "-c", "workers/intake/wrangler.toml", "--persist-to", stateDir], { cwd: root, stdio: "pipe" });
  const d1 = path.join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const [file] = readdirSync(d1).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  db = new DatabaseSync(path.join(d1, file));
});
after(async () => {
  db?.close();
  await rm(stateDir, { recursive: true, force: true });
});

describe("create-admin --local", () => {
  it("creates the development admin, verified, with identity's peppered hash, and records how it became admin", async () => {
    const admin = await seedDevAdmin({ persistTo: stateDir });
    assert.equal(admin.status, "created");
    assert.deepEqual({ email: admin.email, password: admin.password }, devAdmin());
    const [row] = query(`select id, role, email_verified_at, password_hash from users where email = '${admin.email}'`);
    assert.equal(row.role, "admin");
    assert.ok(row.email_verified_at);
    // The stored form names the pepper the identity worker runs with locally, so its sign-in checks the hash.
    const { pepperId } = await importWorkerCode('export { pepperId } from "./workers/identity/src/passwords.ts";', path.join(stateDir, "pepper.mjs"));
    assert.match(row.password_hash, new RegExp(`^\\$pbkdf2-sha256\\$v=2,i=100000,p=${await pepperId(devSecretValue("PASSWORD_PEPPER"))}\\$`));
    assert.deepEqual(query(`select actor_id, old_role, new_role from role_changes where target_id = '${row.id}'`), [{ actor_id: "create-admin", old_role: "client", new_role: "admin" }]);
    assert.deepEqual(query(`select kind from security_events where user_id = '${row.id}'`), [{ kind: "role-changed" }]);
  });

  it("run again, changes nothing and keeps the password; made client meanwhile, makes it admin again and ends its sessions", async () => {
    const { id, password_hash: hash } = query(`select id, password_hash from users where email = '${devAdmin().email}'`)[0];
    assert.equal((await seedDevAdmin({ persistTo: stateDir })).status, "unchanged");
    assert.equal(query(`select password_hash from users where id = '${id}'`)[0].password_hash, hash);

    run(`update users set role = 'client' where id = '${id}'`);
    run(`insert into sessions (id, user_id, token_hash, expires_at) values ('ses_seeded', '${id}', 'hash-of-seeded', '2999-01-01T00:00:00.000Z')`);
    const again = await seedDevAdmin({ persistTo: stateDir });
    assert.deepEqual({ status: again.status, passwordSet: again.passwordSet }, { status: "promoted", passwordSet: false });
    assert.equal(query(`select role from users where id = '${id}'`)[0].role, "admin");
    assert.equal(query(`select password_hash from users where id = '${id}'`)[0].password_hash, hash);
    assert.equal(query("select revoked_reason from sessions where id = 'ses_seeded'")[0].revoked_reason, "role-changed");
    assert.equal(query(`select count(*) as n from role_changes where target_id = '${id}'`)[0].n, 2);
  });

  it("sets the password again only when asked", async () => {
    const { id, password_hash: hash } = query(`select id, password_hash from users where email = '${devAdmin().email}'`)[0];
    const reset = await seedDevAdmin({ persistTo: stateDir, resetPassword: true });
    assert.equal(reset.passwordSet, true);
    const [row] = query(`select password_hash, password_changed_at from users where id = '${id}'`);
    assert.notEqual(row.password_hash, hash);
    assert.ok(row.password_changed_at);
  });
});

describe("create-admin --env staging|production", () => {
  it("refuses the development password and any a new account could not have", async () => {
    assert.match(await remotePasswordProblem("ops@statex.app", "dev-only-admin-password"), /development password/);
    assert.match(await remotePasswordProblem("ops@statex.app", "too short"), /at least 15/);
    assert.match(await remotePasswordProblem("ops@statex.app", "ops@statex.app forever and ever"), /email/);
    assert.equal(await remotePasswordProblem("ops@statex.app", "a long and unusual passphrase"), undefined);
  });
});
