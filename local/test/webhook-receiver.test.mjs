// The webhook receiver and DNS-over-HTTPS stand-ins over real HTTP: `node --test local/test/`.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startLocalServices } from "../server.mjs";

let dataDir;
let services;

before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "statex-receiver-"));
  services = await startLocalServices({ port: 0, dataDir });
});
after(async () => {
  await services.close();
  await rm(dataDir, { recursive: true, force: true });
});

const post = (name, body, headers = {}) =>
  fetch(`${services.url}/webhook-receiver/${name}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, redirect: "manual" });
const received = async (name) => (await (await fetch(`${services.url}/webhook-receiver/${name}`)).json()).received;
const control = (name, body) => fetch(`${services.url}/webhook-receiver/${name}/controls`, { method: "PUT", body: JSON.stringify(body) });

describe("webhook receiver", () => {
  it("keeps each delivery's headers and raw body as they came, and answers 200", async () => {
    const body = '{"type":"request.completed",  "data":{"requestId":"req_1"}}';
    const res = await post("plain", body, { "webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": "v1,abc v1,def" });
    assert.equal(res.status, 200);
    const [got] = await received("plain");
    assert.equal(got.body, body);
    assert.equal(got.headers["webhook-id"], "msg_1");
    assert.equal(got.headers["webhook-signature"], "v1,abc v1,def");
    assert.equal(got.answered, 200);
  });

  it("fails the next n deliveries with the status and Retry-After it was told, then answers 200 again", async () => {
    assert.equal((await control("flaky", { fail: 2, status: 429, retryAfter: 7 })).status, 200);
    const first = await post("flaky", "{}");
    assert.equal(first.status, 429);
    assert.equal(first.headers.get("retry-after"), "7");
    assert.equal((await post("flaky", "{}")).status, 429);
    assert.equal((await post("flaky", "{}")).status, 200);
    assert.deepEqual((await received("flaky")).map((r) => r.answered), [429, 429, 200]);
  });

  it("answers a 3xx with a Location, as a moved endpoint does", async () => {
    await control("moved", { fail: 1, status: 301 });
    const res = await post("moved", "{}");
    assert.equal(res.status, 301);
    assert.ok(res.headers.get("location"));
  });

  it("stalls a delivery for delayMs before answering", async () => {
    await control("slow", { fail: 1, status: 503, delayMs: 300 });
    const started = Date.now();
    const res = await post("slow", "{}");
    assert.equal(res.status, 503);
    assert.ok(Date.now() - started >= 280, "the answer waited");
  });

  it("refuses controls it cannot follow, and forgets a receiver on DELETE", async () => {
    assert.equal((await control("bad", { fail: -1 })).status, 400);
    assert.equal((await control("bad", { status: 200 })).status, 400);
    await post("gone", "{}");
    const res = await fetch(`${services.url}/webhook-receiver/gone`, { method: "DELETE" });
    assert.deepEqual(await res.json(), { deleted: 1 });
    assert.deepEqual(await received("gone"), []);
  });
});

describe("DNS over HTTPS", () => {
  const query = async (name, type) => (await fetch(`${services.url}/dns-query?name=${name}&type=${type}`, { headers: { accept: "application/dns-json" } })).json();

  it("answers the records it was given in Cloudflare's JSON form, following a CNAME", async () => {
    await fetch(`${services.url}/dns-query/records`, { method: "PUT", body: JSON.stringify({ name: "hooks.example.test", A: ["203.0.113.7"], AAAA: ["2001:db8::7"] }) });
    await fetch(`${services.url}/dns-query/records`, { method: "PUT", body: JSON.stringify({ name: "alias.example.test", CNAME: "hooks.example.test" }) });
    const a = await query("hooks.example.test", "A");
    assert.equal(a.Status, 0);
    assert.deepEqual(a.Answer.map((r) => [r.type, r.data]), [[1, "203.0.113.7"]]);
    const alias = await query("alias.example.test", "AAAA");
    assert.deepEqual(alias.Answer.map((r) => [r.type, r.data]), [[5, "hooks.example.test."], [28, "2001:db8::7"]]);
  });

  it("answers NXDOMAIN (Status 3) for a name it has no records of", async () => {
    assert.equal((await query("nothing.example.test", "A")).Status, 3);
  });
});
