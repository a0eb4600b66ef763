// `npm run create-admin`: the first admin of an environment, since no static token opens anything and every other
// role is granted by someone who holds more (PUT /api/ops/users/:id/role).
//
//   npm run create-admin -- --local [--persist-to dir] [--reset-password]
//       The development admin in the local D1 (`npm run dev` and the tests run this after the migrations):
//       admin@statex.local / dev-only-admin-password, or STATEX_ADMIN_EMAIL / STATEX_ADMIN_PASSWORD.
//   npm run create-admin -- --env staging|production [--reset-password]
//       Asks for the email and password (or reads STATEX_ADMIN_EMAIL / STATEX_ADMIN_PASSWORD), hashes the password
//       with PASSWORD_PEPPER from the environment (the identity worker's secret) and writes the account remotely.
//
// Either way it is idempotent: the account is created if missing, else made an admin with a verified address; a
// password the account already has is kept unless --reset-password asks (which also ends its sessions). The hash is
// made by identity's own code (workers/identity/src/passwords.ts, bundled for Node), so its form is the worker's.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import readline from "node:readline/promises";
import { Writable } from "node:stream";
import { parseEnv } from "node:util";
import { z } from "zod";
import { devSecretValue, environments } from "../infra/topology.mjs";
import { importWorkerCode } from "../local/worker-code.mjs";

const root = path.resolve(import.meta.dirname, "..");
const wranglerBin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const IDENTITY_CONFIG = "workers/identity/wrangler.toml";

const DEV_PASSWORD = "dev-only-admin-password";

/** The development admin's sign-in: printed by `npm run dev`, used by the tests and the benchmark. Local only. */
export function devAdmin() {
  return {
    email: normalizeEmail(process.env.STATEX_ADMIN_EMAIL || "admin@statex.local"),
    password: process.env.STATEX_ADMIN_PASSWORD || DEV_PASSWORD,
  };
}

/** Written as the actor of the role change that makes the first admin: no account granted it. */
const ACTOR = "create-admin";

let loaded;
/**
 * identity's hashing and password rules, and the shared ids, as the worker runs them: bundled once per process, into
 * a file of its own (a test run and `npm run dev` may seed at the same time), removed once imported.
 */
function identityCode() {
  const outfile = path.join(root, ".wrangler", "tmp", "create-admin", `identity-${process.pid}.mjs`);
  loaded ??= importWorkerCode(
    [
      'export { hashPassword } from "./workers/identity/src/passwords.ts";',
      'export { passwordProblem, containsEmail } from "./workers/identity/src/password-policy.ts";',
      'export { newId } from "./shared/src/ids.ts";',
    ].join("\n"),
    outfile,
  ).finally(() => rmSync(outfile, { force: true }));
  return loaded;
}

/** As identity stores an address (users.ts): trimmed, lower case. */
function normalizeEmail(email) {
  return email.trim().toLowerCase();
}

/** A SQL string literal (wrangler's --command takes no bound parameters). */
const lit = (value) => (value === null ? "NULL" : `'${String(value).replace(/'/g, "''")}'`);

/**
 * The statements, in one `wrangler d1 execute` (one batch): the account before, the record of its role change (only
 * when it is one), the account itself, the security event and the end of its sessions (only with such a record, or a
 * new password), and the account after.
 */
function adminStatements({ email, passwordHash, resetPassword, ids, now }) {
  const e = lit(email);
  const t = lit(now);
  const record = lit(ids.roleChange);
  const account = "id, email, role, email_verified_at AS verifiedAt";
  return [
    `SELECT ${account} FROM users WHERE email = ${e}`,
    // An existing account made admin: its role as it was.
    `INSERT INTO role_changes (id, actor_id, target_id, old_role, new_role, at) SELECT ${record}, ${lit(ACTOR)}, id, role, 'admin', ${t} FROM users WHERE email = ${e} AND role <> 'admin'`,
    `INSERT INTO users (id, email, name, password_hash, role, email_verified_at, created_at, updated_at) VALUES (${lit(ids.user)}, ${e}, 'Admin', ${lit(passwordHash)}, 'admin', ${t}, ${t}, ${t})
      ON CONFLICT(email) DO UPDATE SET role = 'admin', email_verified_at = coalesce(users.email_verified_at, excluded.email_verified_at), updated_at = excluded.updated_at${
        resetPassword ? ", password_hash = excluded.password_hash, password_changed_at = excluded.updated_at" : ""
      }`,
    // An account created now: every account starts as a client, so that is what it was made admin from.
    `INSERT INTO role_changes (id, actor_id, target_id, old_role, new_role, at) SELECT ${record}, ${lit(ACTOR)}, id, 'client', 'admin', ${t} FROM users WHERE id = ${lit(ids.user)}`,
    `INSERT INTO security_events (id, kind, user_id, detail, at) SELECT ${lit(ids.event)}, 'role-changed', target_id, old_role || ' -> admin by ' || actor_id, at FROM role_changes WHERE id = ${record}`,
    `UPDATE sessions SET revoked_at = ${t}, revoked_reason = ${resetPassword ? "'password-reset'" : "'role-changed'"} WHERE revoked_at IS NULL AND user_id IN (SELECT target_id FROM role_changes WHERE id = ${record}${
      resetPassword ? ` UNION SELECT id FROM users WHERE email = ${e}` : ""
    })`,
    `SELECT ${account} FROM users WHERE email = ${e}`,
  ].join(";\n");
}

/** Runs the statements with wrangler against the local or a remote D1 and answers what happened. */
async function writeAdmin({ email, password, pepper, resetPassword, target }) {
  const code = await identityCode();
  const now = new Date();
  const statements = adminStatements({
    email,
    passwordHash: await code.hashPassword({ PASSWORD_PEPPER: pepper }, password),
    resetPassword,
    ids: { user: code.newId("usr", now.getTime()), roleChange: code.newId("rch", now.getTime()), event: code.newId("sev", now.getTime()) },
    now: now.toISOString(),
  });
  const where = target.local ? ["--local", "--persist-to", target.persistTo] : ["--remote", "--env", target.env, "--yes"];
  const out = execFileSync(process.execPath, [wranglerBin, "d1", "execute", "DB", "-c", IDENTITY_CONFIG, ...where, "--json", "--command", statements], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 16 * 1024 * 1024,
  });
  const results = JSON.parse(out.slice(out.indexOf("[")));
  const before = results[0]?.results?.[0];
  const after = results.at(-1)?.results?.[0];
  if (!after || after.role !== "admin") throw new Error(`the admin account was not written: ${out}`);
  const status = !before ? "created" : before.role !== "admin" || !before.verifiedAt ? "promoted" : "unchanged";
  return { email, id: after.id, status, passwordSet: !before || resetPassword };
}

/** The pepper identity hashes with locally: its .dev.vars override if there is one, else the dev value of topology. */
function localPepper() {
  const file = path.join(root, "workers", "identity", ".dev.vars");
  const vars = existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  return vars.PASSWORD_PEPPER || devSecretValue("PASSWORD_PEPPER");
}

/**
 * The development admin in the local D1 (the state `wrangler dev --persist-to` uses), created or made admin again.
 * @param {{ persistTo?: string, resetPassword?: boolean }} opts
 */
export async function seedDevAdmin(opts = {}) {
  const { email, password } = devAdmin();
  const persistTo = path.resolve(root, opts.persistTo ?? ".wrangler/state");
  const written = await writeAdmin({ email, password, pepper: localPepper(), resetPassword: Boolean(opts.resetPassword), target: { local: true, persistTo } });
  return { ...written, password };
}

/** A line from the terminal; with `hidden`, nothing typed is echoed (a password). */
async function ask(question, hidden = false) {
  process.stdout.write(question);
  // readline echoes what is typed to its output: for a password, an output that keeps nothing.
  const output = hidden ? new Writable({ write: (_chunk, _encoding, done) => done() }) : process.stdout;
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await rl.question("");
  } finally {
    rl.close();
    if (hidden) process.stdout.write("\n");
  }
}

/**
 * Why a password may not be a deployed admin's, or undefined: identity's own rules for a new password (15 characters
 * or more, not a common one, not built on the address), and never a development password, which the README prints.
 */
export async function remotePasswordProblem(email, password) {
  if (password === DEV_PASSWORD) return "it is the development password, which is public";
  const { passwordProblem, containsEmail } = await identityCode();
  return passwordProblem(password) ?? (containsEmail(password, email) ? "it contains the email address" : undefined);
}

/** The first admin of staging or production, written with wrangler's remote D1 access. */
async function createRemoteAdmin(env, resetPassword) {
  if (environments[env].d1Id.startsWith("REPLACE_")) throw new Error(`Set the ${env} D1 database id in infra/topology.mjs first (README, "Deploying").`);
  const pepper = process.env.PASSWORD_PEPPER;
  if (!pepper || pepper === devSecretValue("PASSWORD_PEPPER")) {
    throw new Error(`Set PASSWORD_PEPPER in the environment to the ${env} identity worker's secret: the hash must be made with the pepper the worker checks it with.`);
  }
  const interactive = process.stdin.isTTY;
  const email = normalizeEmail(process.env.STATEX_ADMIN_EMAIL || (interactive ? await ask("Admin email: ") : ""));
  // The check sign-in makes of an address, so the admin can sign in with it.
  if (!z.email().max(254).safeParse(email).success) throw new Error("An email address is needed (STATEX_ADMIN_EMAIL, or type it).");
  let password = process.env.STATEX_ADMIN_PASSWORD;
  if (!password && interactive) {
    password = await ask("Admin password (15 characters or more): ", true);
    if ((await ask("The same password again: ", true)) !== password) throw new Error("The two passwords differ.");
  }
  if (!password) throw new Error("A password is needed (STATEX_ADMIN_PASSWORD, or type it).");
  const problem = await remotePasswordProblem(email, password);
  if (problem) throw new Error(`That password will not do: ${problem}.`);
  return writeAdmin({ email, password, pepper, resetPassword, target: { local: false, env } });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const env = value("--env");
  const resetPassword = args.includes("--reset-password");
  try {
    if (args.includes("--local")) {
      const admin = await seedDevAdmin({ persistTo: value("--persist-to"), resetPassword });
      console.log(`Local admin ${admin.status}: ${admin.email} / ${admin.passwordSet ? admin.password : "(its password was kept; --reset-password sets it again)"}`);
    } else if (env === "staging" || env === "production") {
      const admin = await createRemoteAdmin(env, resetPassword);
      console.log(`Admin ${admin.status} in ${env}: ${admin.email} (${admin.id})${admin.passwordSet ? "" : "; its password was kept (--reset-password sets it)"}. Sign in at /api/sessions.`);
    } else {
      console.error("usage: npm run create-admin -- --local [--persist-to dir] [--reset-password]\n       npm run create-admin -- --env staging|production [--reset-password]");
      process.exit(2);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
