// The disaster-recovery drill: traffic on the running platform (an account registered and signed in, text requests,
// one with a file, one still in flight), a backup of its live state (`npm run backup`'s code), a restore into a fresh
// state directory (`npm run restore`'s), and a second platform started on that directory alone, on ports of its
// own. The suite's state is never deleted (the other tests run on it); the restored platform sees nothing but the
// backup, which is what a platform whose state was destroyed would see. Every request, file, result and account must
// be there, and the request that was in flight must be named by the restore and armed to run again: its
// request.created unsent in intake's outbox, which the outbox cron sends within a minute, and its job starts again.
import { createHash } from "node:crypto";
import { cp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { openStores } from "../scripts/backup-store.mjs";
import { backup } from "../scripts/backup.mjs";
import { devAdmin } from "../scripts/create-admin.mjs";
import { startPlatform } from "../scripts/platform.mjs";
import { restore } from "../scripts/restore.mjs";
import { pdf } from "../workers/intake/test/mail";
import { type Submitted, eventually, form, siteUrl, submitText, tokenOf } from "./helpers";

const json = { "content-type": "application/json" };
const work = path.resolve(import.meta.dirname, "../.tmp/backup-drill");
/** The restored platform's ports, clear of the suite's (18787…) and of `npm run dev`'s. */
const PORTS = { apiPort: 21787, sitePort: 21788, localPort: 21790, inspectorBase: 21230 };
/** As the suite's platform (e2e/setup.ts), so a job behaves alike on both. */
const VARS = { TASK_TIMEOUT_MS: "15000", TASK_MAX_ATTEMPTS: "2", AI_API_TIMEOUT_MS: "12000", DELIVERY_WINDOW_SECONDS: "10" };

type Status = { id: string; status: string; text: string; contact: unknown; result: unknown; error: string | null; steps: { id: string; kind: string; state: string }[] };

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function status(base: string, submitted: Submitted): Promise<Status> {
  const res = await fetch(`${base}/api/requests/${submitted.id}?token=${encodeURIComponent(tokenOf(submitted))}`);
  if (!res.ok) throw new Error(`status of ${submitted.id} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Status;
}

/** Each succeeded task's whole output, as its client reads it. */
async function results(base: string, submitted: Submitted, view: Status): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const step of view.steps.filter((s) => s.state === "succeeded")) {
    const res = await fetch(`${base}/api/requests/${submitted.id}/tasks/${step.id}/result?token=${encodeURIComponent(tokenOf(submitted))}`);
    out[step.id] = `${res.status} ${await res.text()}`;
  }
  return out;
}

async function signIn(base: string, email: string, password: string): Promise<Response> {
  return fetch(`${base}/api/sessions`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
}

describe("backup and restore", () => {
  it("brings a destroyed platform back with every request, file, result and account", { timeout: 540_000 }, async () => {
    await rm(work, { recursive: true, force: true });
    const log = (line: string) => console.log(line.trimEnd());
    const tag = crypto.randomUUID().slice(0, 8);
    const email = `drill.${tag}@backup.example`;
    const password = `restored horse battery ${tag}`;

    // Traffic: an account, requests as a visitor and signed in, one with a document.
    const registered = await fetch(`${siteUrl()}/api/users`, { method: "POST", headers: json, body: JSON.stringify({ email, name: `Drill ${tag}`, password }) });
    expect(registered.ok, await registered.clone().text()).toBe(true);
    const session = await signIn(siteUrl(), email, password);
    expect(session.status, await session.clone().text()).toBe(201);
    const bearer = { authorization: `Bearer ${((await session.json()) as { accessToken: string }).accessToken}` };
    const brief = new Uint8Array(pdf(`Drill ${tag}: a booking website for two clinics`));
    const withFile = await fetch(`${siteUrl()}/api/requests`, {
      method: "POST",
      headers: bearer,
      body: form({ name: `Drill ${tag}`, email, text: `Drill ${tag}: our clinics need online booking with SMS reminders, budget 18000 EUR.` }, [{ name: "brief.pdf", bytes: brief }]),
    });
    expect(withFile.status, await withFile.clone().text()).toBe(202);
    const done: Submitted[] = [(await withFile.json()) as Submitted];
    for (const i of [1, 2]) done.push(await submitText({ name: `Visitor ${i}`, email: `visitor${i}.${tag}@backup.example`, text: `Drill ${tag} request ${i}: we need a shop for our bakery.` }));
    const before = new Map<string, { view: Status; results: Record<string, string> }>();
    for (const r of done) {
      const view = await eventually(`${r.id} to complete`, async () => {
        const v = await status(siteUrl(), r);
        if (v.status === "failed" || v.status === "cancelled") throw new Error(`${r.id} ${v.status}: ${v.error}`);
        return v.status === "completed" ? v : undefined;
      }, 90_000);
      before.set(r.id, { view, results: await results(siteUrl(), r, view) });
    }
    // In flight at the backup: its draft never answers (the dev fault switch), so it stays processing.
    const inFlight = await submitText({ name: "In Flight", email: `inflight.${tag}@backup.example`, text: `Drill ${tag}: a website for our gym. [[statex-fault:prototype]]` });
    await eventually(`${inFlight.id} to be processing`, async () => ((await status(siteUrl(), inFlight)).status === "processing" ? true : undefined), 30_000);

    // The backup, of the platform as it runs.
    const { dir, manifest } = await backup({ persistTo: inject("stateDir"), out: path.join(work, "backups"), log });
    expect(manifest.inFlight).toContain(inFlight.id);
    expect(manifest.r2.objects).toBeGreaterThan(0);
    // Its job would hold the suite's one job slot until its attempts time out.
    expect((await fetch(`${siteUrl()}/api/requests/${inFlight.id}/cancel?token=${encodeURIComponent(tokenOf(inFlight))}`, { method: "POST" })).status).toBe(200);
    log(`drill figures: backup ${manifest.durationMs} ms (D1 ${manifest.timings.d1Ms} ms, R2 ${manifest.timings.r2Ms} ms), ${manifest.bytes} bytes`);

    // A backup that is not whole is refused before anything is written, and so is a target that holds state.
    const corrupt = path.join(work, "corrupt");
    await cp(dir, corrupt, { recursive: true });
    const requestsFile = path.join(corrupt, "d1", "requests.jsonl");
    await writeFile(requestsFile, (await readFile(requestsFile, "utf8")).replace(`Drill ${tag}`, `Drilt ${tag}`));
    await expect(restore({ from: corrupt, persistTo: path.join(work, "never"), log })).rejects.toThrow(/does not match its sha256/);
    await rm(path.join(corrupt, "manifest.json"));
    await expect(restore({ from: corrupt, persistTo: path.join(work, "never"), log })).rejects.toThrow(/no manifest\.json/);
    await expect(restore({ from: dir, persistTo: inject("stateDir"), log })).rejects.toThrow(/already holds a platform's state/);
    expect(await readdir(work)).not.toContain("never");

    // The restore, into a directory that never held a platform; a second run changes nothing.
    const stateDir = path.join(work, "state");
    const restored = await restore({ from: dir, persistTo: stateDir, log });
    expect(restored.restarted).toContain(inFlight.id);
    expect((await restore({ from: dir, persistTo: stateDir, log })).alreadyDone).toBe(true);
    log(`drill figures: restore ${restored.timings.totalMs} ms (verify ${restored.timings.verifyMs} ms, D1 ${restored.timings.d1Ms} ms, R2 ${restored.timings.r2Ms} ms), ${restored.rows} rows, ${restored.objects} objects`);

    // The file's bytes in the restored R2, under the key and with the sha256 its row names.
    const stores = await openStores({ persistTo: stateDir });
    try {
      const { results: files } = await stores.db.prepare("SELECT key, sha256, name FROM request_files WHERE request_id = ?").bind(done[0]!.id).all<{ key: string; sha256: string; name: string }>();
      expect(files).toHaveLength(1);
      const object = await stores.bucket.get(files[0]!.key);
      expect(object?.customMetadata).toMatchObject({ name: "brief.pdf" });
      const bytes = new Uint8Array(await object!.arrayBuffer());
      expect(sha256(bytes)).toBe(sha256(brief));
      expect(files[0]!.sha256).toBe(sha256(brief));
      // The request in flight is armed to run again: its request.created unsent, the orchestrator's record of it gone.
      const { results: events } = await stores.db
        .prepare("SELECT id, sent_at AS sentAt FROM event_outbox WHERE type = 'request.created' AND json_extract(body, '$.data.requestId') = ?")
        .bind(inFlight.id)
        .all<{ id: string; sentAt: string | null }>();
      expect(events).toEqual([{ id: expect.any(String), sentAt: null }]);
      const handled = await stores.db.prepare("SELECT consumer FROM processed_events WHERE event_id = ?").bind(events[0]!.id).all<{ consumer: string }>();
      expect(handled.results.map((r: { consumer: string }) => r.consumer)).not.toContain("orchestrator");
    } finally {
      await stores.dispose();
    }

    const lines: string[] = [];
    const started = performance.now();
    const platform = await startPlatform({ stateDir, ...PORTS, vars: VARS, quiet: true, log: (line) => lines.push(line) }).catch((err: unknown) => {
      console.error(lines.join(""));
      throw err;
    });
    log(`drill figures: the restored platform answered in ${Math.round(performance.now() - started)} ms`);
    try {
      const base = platform.siteUrl;
      // Every request as its client sees it, with each task's whole output.
      for (const r of done) {
        const view = await status(base, r);
        expect(view).toEqual(before.get(r.id)!.view);
        expect(await results(base, r, view)).toEqual(before.get(r.id)!.results);
      }
      // The account signs in with its password, and its dashboard lists its request.
      const again = await signIn(base, email, password);
      expect(again.status, await again.clone().text()).toBe(201);
      const token = ((await again.json()) as { accessToken: string }).accessToken;
      const mine = await fetch(`${base}/api/me/requests`, { headers: { authorization: `Bearer ${token}` } });
      expect(JSON.stringify(await mine.json())).toContain(done[0]!.id);
      // The request in flight runs again: intake's outbox cron (every minute, the local cron driver firing it) sends its
      // request.created, and its job starts on the restored platform from the beginning.
      expect((await status(base, inFlight)).status).toBe("processing");
      const adminSession = await signIn(base, devAdmin().email, devAdmin().password);
      expect(adminSession.status).toBe(201);
      const ops = { authorization: `Bearer ${((await adminSession.json()) as { accessToken: string }).accessToken}` };
      const job = await eventually(
        `${inFlight.id}'s job to start again on the restored platform`,
        async () => {
          const res = await fetch(`${base}/api/ops/jobs/${inFlight.id}`, { headers: ops });
          return res.ok ? ((await res.json()) as { status: string; tasks: { kind: string }[] }) : undefined;
        },
        130_000,
      );
      expect(job.status).toBe("processing");
      expect(job.tasks.map((t) => t.kind)).toContain("prototype");
    } finally {
      await platform.stop();
    }
  });
});
