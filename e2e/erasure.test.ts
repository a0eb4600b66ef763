// Deleting an account deletes the person's data everywhere: a client registers, signs in, submits requests with a
// file (and one more signed out with the same address), waits for their analyses, deletes the account; then their
// email and name are in no table of D1, no Durable Object's storage and no R2 object.
//
// What is stored is read from the platform's own storage files (read-only SQLite, R2's objects as miniflare keeps
// them), not through a route: a route shows what its code chooses to show, and one written for this test would only
// check itself. Every table of every database is searched, so a table added later is covered without a change here.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, inject, it } from "vitest";
import { pdf } from "../workers/intake/test/mail";
import { type Submitted, eventually, form, opsHeaders, siteUrl, tokenOf } from "./helpers";

const json = { "content-type": "application/json" };

/** The databases the platform keeps: D1's, each Durable Object's, R2's index (miniflare's own bookkeeping excluded). */
function databases(stateDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".sqlite") && entry.name !== "metadata.sqlite") found.push(full);
    }
  };
  for (const kind of ["d1", "do", "r2"]) if (existsSync(path.join(stateDir, "v3", kind))) walk(path.join(stateDir, "v3", kind));
  return found;
}

/** Text as it may be stored: UTF-8 or Latin-1 (SQLite text, R2 bytes, V8's one-byte strings) or UTF-16 (V8's two-byte ones). */
function holds(value: unknown, needle: string): boolean {
  if (typeof value === "string") return value.toLowerCase().includes(needle);
  if (!(value instanceof Uint8Array)) return false;
  const bytes = Buffer.from(value);
  return [bytes.toString("latin1"), bytes.toString("utf8"), bytes.toString("utf16le")].some((s) => s.toLowerCase().includes(needle));
}

/** Every place the platform's storage holds one of the texts (any case): table rows, and R2 objects' bytes. */
function storedCopies(stateDir: string, texts: string[]): string[] {
  const needles = texts.map((t) => t.toLowerCase());
  const hits: string[] = [];
  const blobs = readdirSync(path.join(stateDir, "v3", "r2"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(stateDir, "v3", "r2", d.name, "blobs")))
    .map((d) => path.join(stateDir, "v3", "r2", d.name, "blobs"));
  for (const file of databases(stateDir)) {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => String(t.name));
      for (const table of tables) {
        const rows = db.prepare(`SELECT * FROM "${table}"`);
        // A Durable Object's storage may hold integers past 2^53 (an alarm's time in nanoseconds): read them whole.
        rows.setReadBigInts(true);
        for (const row of rows.all()) {
          for (const [column, value] of Object.entries(row)) {
            for (const needle of needles) if (holds(value, needle)) hits.push(`${path.relative(stateDir, file)} ${table}.${column}: ${needle}`);
          }
          // An R2 object's (or upload part's) bytes live beside its row, by blob id.
          const blobId = row.blob_id;
          if ((table === "_mf_objects" || table === "_mf_multipart_parts") && typeof blobId === "string") {
            for (const dir of blobs) {
              const blob = path.join(dir, blobId);
              if (!existsSync(blob)) continue;
              const bytes = new Uint8Array(readFileSync(blob));
              for (const needle of needles) if (holds(bytes, needle)) hits.push(`R2 object ${String(row.key ?? row.object_key)}: ${needle}`);
            }
          }
        }
      }
    } finally {
      db.close();
    }
  }
  return hits;
}

/** The bearer token of a sign-in's answer (`accessToken`, or `token` as identity answered before its access tokens). */
function bearerOf(answer: { accessToken?: string; token?: string }): string {
  const token = answer.accessToken ?? answer.token;
  if (!token) throw new Error(`no token in the sign-in answer: ${JSON.stringify(Object.keys(answer))}`);
  return token;
}

async function completed(submitted: Submitted): Promise<void> {
  await eventually(
    `${submitted.id} to complete`,
    async () => {
      const res = await fetch(`${siteUrl()}${submitted.statusUrl}`);
      const { status } = (await res.json()) as { status: string };
      if (status === "failed" || status === "cancelled") throw new Error(`${submitted.id} ${status}`);
      return status === "completed" || undefined;
    },
    90_000,
  );
}

describe("deleting an account", () => {
  it("leaves the person's email and name in no table, no Durable Object and no R2 object", { timeout: 240_000 }, async () => {
    const stateDir = inject("stateDir");
    const tag = crypto.randomUUID().slice(0, 8);
    const email = `ottoline.${tag}@erasure.example`;
    const name = `Ottoline Quarrington ${tag}`;
    const password = `correct horse battery ${tag}`;

    const registered = await fetch(`${siteUrl()}/api/users`, { method: "POST", headers: json, body: JSON.stringify({ email, name, password }) });
    // Registration answers with a session or asks to check one's email (identity's sessions are being reworked): either way, sign in next.
    expect(registered.ok, await registered.clone().text()).toBe(true);
    const signIn = await fetch(`${siteUrl()}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
    expect(signIn.ok, await signIn.clone().text()).toBe(true);
    const bearer = { authorization: `Bearer ${bearerOf((await signIn.json()) as { accessToken?: string })}` };

    // Signed in, with a document that names the person in its text, its title and its file name.
    const text = `I am ${name}. Our two clinics need an online booking website with SMS reminders; budget 18000 EUR.`;
    const withFile = await fetch(`${siteUrl()}/api/requests`, {
      method: "POST",
      headers: bearer,
      body: form({ name, email, text, channel: "web" }, [{ name: `${name} brief.pdf`, bytes: new Uint8Array(pdf(`Brief written by ${name}`)) }]),
    });
    expect(withFile.status, await withFile.clone().text()).toBe(202);
    // Signed out, with the same address typed in another case.
    const signedOut = await fetch(`${siteUrl()}/api/requests`, { method: "POST", headers: json, body: JSON.stringify({ name, email: email.toUpperCase(), text: `${text} Sent again by ${name}.` }) });
    expect(signedOut.status, await signedOut.clone().text()).toBe(202);
    const requests = [(await withFile.json()) as Submitted, (await signedOut.json()) as Submitted];
    for (const r of requests) await completed(r);

    // The search finds them while they are there: in D1, in the jobs' objects and in R2.
    const before = storedCopies(stateDir, [email, name]);
    for (const place of ["v3/d1/", "v3/do/statex-orchestrator-RequestJob/", "R2 object requests/", "R2 object results/"]) {
      expect(before.some((hit) => hit.startsWith(place)), `${place} among ${before.join("\n")}`).toBe(true);
    }

    // The password again: a session left open elsewhere must not be enough to erase an account.
    const deleted = await fetch(`${siteUrl()}/api/me`, { method: "DELETE", headers: { ...bearer, ...json }, body: JSON.stringify({ password }) });
    expect(deleted.status, await deleted.clone().text()).toBe(204);

    let left: string[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      left = storedCopies(stateDir, [email, name]);
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(left, "stored copies of the email or the name after the account was deleted").toEqual([]);

    // What is kept: the requests as ops count them, their status links saying they are gone, their timelines' events.
    for (const r of requests) {
      const status = await fetch(`${siteUrl()}/api/requests/${r.id}?token=${encodeURIComponent(tokenOf(r))}`);
      expect(status.status).toBe(410);
      const timeline = (await (await fetch(`${siteUrl()}/api/ops/timeline/${r.id}`, { headers: await opsHeaders() })).json()) as { entries: { kind: string; type?: string }[] };
      const types = timeline.entries.filter((e) => e.kind === "event").map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(["request.created", "request.completed", "request.erased"]));
    }
    const d1 = databases(stateDir).find((file) => file.includes(`${path.sep}d1${path.sep}`)) ?? "";
    const db = new DatabaseSync(d1, { readOnly: true });
    try {
      const rows = db.prepare(`SELECT id, channel, created_at, erased_at, (SELECT status FROM jobs WHERE request_id = requests.id) AS job FROM requests WHERE id IN (?, ?)`).all(...requests.map((r) => r.id));
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row).toMatchObject({ created_at: expect.any(String), erased_at: expect.any(String), job: "completed" });
    } finally {
      db.close();
    }
  });
});
