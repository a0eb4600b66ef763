// The local services over real HTTP: `node --test local/test/`.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startLocalServices } from "../server.mjs";

const KEY = "test-key";
let dataDir;
let services;

const email = (overrides = {}) => ({
  from: "StateX <hello@statex.local>",
  to: ["ada@example.com"],
  subject: "Hello",
  text: "Plain body",
  html: "<p>Plain body</p>",
  tags: [{ name: "request_id", value: "req_A" }],
  ...overrides,
});

function send(body, headers = {}) {
  return fetch(`${services.url}/email/emails`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}`, ...headers },
    body: JSON.stringify(body),
  });
}

const list = async (query = "") => (await (await fetch(`${services.url}/outbox/messages${query}`)).json()).messages;

before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "statex-local-"));
  services = await startLocalServices({ port: 0, dataDir, emailApiKey: KEY });
});
after(async () => {
  await services.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("POST /email/emails", () => {
  it("stores a valid email and lists it with its request id", async () => {
    const res = await send(email());
    assert.equal(res.status, 200);
    const { id } = await res.json();
    const [stored] = await list("?requestId=req_A");
    assert.deepEqual(
      { id: stored.id, to: stored.to, subject: stored.subject, body: stored.body, html: stored.html, channel: stored.channel },
      { id, to: ["ada@example.com"], subject: "Hello", body: "Plain body", html: "<p>Plain body</p>", channel: "email" },
    );
  });

  it("answers a repeated Idempotency-Key with the first id and stores nothing new", async () => {
    const body = email({ tags: [{ name: "request_id", value: "req_idem" }] });
    const first = await (await send(body, { "idempotency-key": "ntf_1" })).json();
    const again = await send(body, { "idempotency-key": "ntf_1" });
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), first);
    assert.equal((await list("?requestId=req_idem")).length, 1);
    const conflict = await send({ ...body, subject: "Other" }, { "idempotency-key": "ntf_1" });
    assert.equal(conflict.status, 409);
  });

  it("refuses a missing or wrong API key like Resend", async () => {
    const missing = await send(email(), { authorization: "" });
    assert.equal(missing.status, 401);
    assert.equal((await missing.json()).name, "missing_api_key");
    assert.equal((await send(email(), { authorization: "Bearer nope" })).status, 403);
  });

  for (const [label, body, message] of [
    ["no recipient", email({ to: undefined }), "Missing `to` field."],
    ["a bad sender", email({ from: "nobody" }), "Invalid `from` field"],
    ["a bad recipient", email({ to: ["not-an-address"] }), "`not-an-address` is not a valid email address"],
    ["no content", email({ text: undefined, html: undefined }), "Missing `html` or `text` field."],
    ["a bad tag", email({ tags: [{ name: "request id", value: "x" }] }), "Invalid `tags` field"],
  ]) {
    it(`answers 422 with a clear message for ${label}`, async () => {
      const res = await send(body);
      assert.equal(res.status, 422);
      const problem = await res.json();
      assert.equal(problem.statusCode, 422);
      assert.match(problem.message, new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    });
  }
});

describe("the outbox", () => {
  it("filters by recipient, lists newest first, and survives a restart", async () => {
    await send(email({ to: ["first@example.com"], subject: "one" }));
    await send(email({ to: ["first@example.com"], subject: "two" }));
    assert.deepEqual((await list("?to=FIRST@example.com")).map((m) => m.subject), ["two", "one"]);

    await services.close();
    services = await startLocalServices({ port: 0, dataDir, emailApiKey: KEY });
    assert.deepEqual((await list("?to=first@example.com")).map((m) => m.subject), ["two", "one"]);
    const lines = (await readFile(path.join(dataDir, "outbox.jsonl"), "utf8")).trim().split("\n");
    assert.ok(lines.length >= 2);
  });

  it("renders a page that escapes what it shows", async () => {
    await send(email({ subject: "<script>x</script>" }));
    const html = await (await fetch(`${services.url}/outbox`)).text();
    assert.match(html, /&lt;script&gt;x&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script>x/);
  });

  it("forgets everything on DELETE", async () => {
    const res = await fetch(`${services.url}/outbox/messages`, { method: "DELETE" });
    assert.ok((await res.json()).deleted > 0);
    assert.deepEqual(await list(), []);
  });
});

describe("routing and faults", () => {
  it("fails on purpose under /fail/ and stores nothing", async () => {
    const res = await fetch(`${services.url}/fail/email/emails`, { method: "POST", body: JSON.stringify(email()) });
    assert.equal(res.status, 500);
    assert.equal((await fetch(`${services.url}/fail/429/email/emails`, { method: "POST" })).status, 429);
    assert.deepEqual(await list(), []);
  });

  it("answers health, 404 for unknown paths and 405 for a wrong method", async () => {
    assert.equal((await (await fetch(`${services.url}/health`)).json()).status, "ok");
    assert.equal((await fetch(`${services.url}/nope`)).status, 404);
    assert.equal((await fetch(`${services.url}/email/emails`)).status, 405);
  });
});
