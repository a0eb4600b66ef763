// The local cron driver's way to the workers (scripts/local-cron.mjs): it reads their workerd's address from
// wrangler's debug log, which every `wrangler dev` start begins again — and the new log may be longer than the old
// one by the time the driver looks, as when the chaos run kills wrangler and it comes back.
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { workerdFinder } from "../../scripts/local-cron.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "statex-local-cron-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A debug log's entry as wrangler writes it, and the proxy's data naming the workers' workerd. */
const entry = (at, text) => `--- ${at} debug\n${text}\n---\n\n`;
const proxyData = (port, secret) => `ProxyController: {"proxyData":{"userWorkerUrl":{"protocol":"http:","hostname":"127.0.0.1","port":"${port}"},"userWorkerInspectorUrl":{},"headers":{"mf-custom-secret":"${secret}"}}}`;
const noise = (n) => Array.from({ length: n }, (_, i) => entry("2026-12-03T19:00:01.000Z", `[InspectorProxyWorker] message ${i}`)).join("");

describe("the local cron driver's workers address", () => {
  it("is read from the log, and again from a log begun anew that had grown past the old one's end", () => {
    const log = path.join(dir, "wrangler-workers.log");
    writeFileSync(log, entry("2026-12-03T19:00:00.000Z", proxyData(40001, "first")) + noise(40));
    const find = workerdFinder(log);
    assert.deepEqual(find(), { url: "http://127.0.0.1:40001", headers: { "mf-custom-secret": "first" } });
    // A reload of the same wrangler appends its new address.
    appendFileSync(log, entry("2026-12-03T19:00:05.000Z", proxyData(40002, "reloaded")));
    assert.equal(find()?.url, "http://127.0.0.1:40002");
    // wrangler killed and started again: the log is begun again and is longer than before when next read.
    // Its address sits before the old log's end, where a reader going on from its old offset would never look.
    writeFileSync(log, entry("2026-12-03T19:01:00.000Z", "starting") + noise(5) + entry("2026-12-03T19:01:10.000Z", proxyData(40003, "again")) + noise(60));
    assert.deepEqual(find(), { url: "http://127.0.0.1:40003", headers: { "mf-custom-secret": "again" } });
  });

  it("waits for a line still being written, and knows nothing of a log begun again before its address", () => {
    const log = path.join(dir, "partial.log");
    const line = entry("2026-12-03T19:00:00.000Z", proxyData(40011, "s"));
    writeFileSync(log, line.slice(0, 60));
    const find = workerdFinder(log);
    assert.equal(find(), undefined);
    appendFileSync(log, line.slice(60));
    assert.equal(find()?.url, "http://127.0.0.1:40011");
    writeFileSync(log, entry("2026-12-03T19:05:00.000Z", "starting") + noise(30));
    assert.equal(find(), undefined);
  });
});
