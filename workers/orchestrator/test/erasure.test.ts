import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type Envelope, createEvent } from "@statex/shared/events";
import { taskResultKey } from "@statex/shared/tasks";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { failure, jobOf, jobsRow, newRequest, success } from "./helpers";

/** A request whose text and contact are its own, so a search for them finds nothing of any other test. */
function request() {
  const tag = crypto.randomUUID().slice(0, 8);
  const data = { ...newRequest(`Clinic ${tag} needs a booking website for its patients.`), contact: { name: `Ada ${tag}`, email: `ada.${tag}@example.com` } };
  const created = createEvent("request.created", data, { correlationId: data.requestId, source: "intake" });
  const erased = createEvent("request.erased", { requestId: data.requestId }, { id: `${data.requestId}:request.erased`, correlationId: data.requestId, source: "intake" });
  return { data, created, erased, personal: [data.text, data.contact.name, data.contact.email] };
}

async function deliver(events: Envelope[], attempts = 1) {
  const batch = createMessageBatch("statex-orchestrator", events.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** Everything the request's object stores (its tables and its key-value storage) as one text, to search. */
async function objectStorage(requestId: string): Promise<string> {
  return runInDurableObject(jobOf(requestId), async (_job, state) => {
    const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").toArray();
    const rows = tables.map((t) => state.storage.sql.exec(`SELECT * FROM "${t.name}"`).toArray());
    return JSON.stringify({ rows, kv: [...(await state.storage.list()).entries()] });
  });
}

const resultKeys = async (requestId: string) => (await env.FILES.list({ prefix: `results/${requestId}/` })).objects.map((o) => o.key);

describe("request.erased on the orchestrator's queue", () => {
  it("forgets a finished job's request, outputs, analysis and results, and keeps its states, times and usage", async () => {
    const r = request();
    await deliver([r.created]);
    await jobOf(r.data.requestId).report(success(r.data.requestId));
    expect((await jobOf(r.data.requestId).getState())?.status).toBe("completed");
    expect(await resultKeys(r.data.requestId)).toEqual([taskResultKey(r.data.requestId, "nlp"), `results/${r.data.requestId}/analysis.json`].sort());
    expect((await jobsRow(r.data.requestId))?.result).toContain("booking website");
    for (const text of r.personal) expect(await objectStorage(r.data.requestId)).toContain(text);

    const result = await deliver([r.erased]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);

    expect(await resultKeys(r.data.requestId)).toEqual([]);
    const stored = await objectStorage(r.data.requestId);
    for (const text of [...r.personal, "booking website"]) expect(stored).not.toContain(text);
    const row = await jobsRow(r.data.requestId);
    expect(row).toMatchObject({ status: "completed", result: null });
    expect(JSON.parse(row?.steps ?? "[]")).toEqual([expect.objectContaining({ id: "nlp", kind: "nlp", state: "succeeded", attempt: 1, durationMs: expect.any(Number) })]);
    const state = await jobOf(r.data.requestId).getState();
    expect(state).toMatchObject({ status: "completed", resultKey: null, tasks: [expect.objectContaining({ state: "succeeded", resultKey: null, provider: "offline" })] });
    expect(state?.unsentMessages).toBe(0);

    // Again (a redelivery, or a second erasure of the same request): acked, nothing left to change.
    const again = await deliver([r.erased], 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await objectStorage(r.data.requestId)).toBe(stored);
  });

  it("cancels a running job first, so a result that arrives afterwards is neither recorded nor stored", async () => {
    const r = request();
    await deliver([r.created]);
    await deliver([r.erased]);
    const state = await jobOf(r.data.requestId).getState();
    expect(state).toMatchObject({ status: "cancelled", tasks: [expect.objectContaining({ state: "cancelled" })] });
    expect(await jobOf(r.data.requestId).report(success(r.data.requestId))).toMatchObject({ accepted: false });
    expect(await resultKeys(r.data.requestId)).toEqual([]);
    for (const text of r.personal) expect(await objectStorage(r.data.requestId)).not.toContain(text);
    expect(await jobsRow(r.data.requestId)).toMatchObject({ status: "cancelled", result: null });
  });

  it("never starts a job whose request was erased before its request.created arrived", async () => {
    const r = request();
    await deliver([r.erased]);
    const late = await deliver([r.created]);
    expect(late.explicitAcks).toHaveLength(1);
    expect(await jobOf(r.data.requestId).getState()).toBeNull();
    for (const text of r.personal) expect(await objectStorage(r.data.requestId)).not.toContain(text);
  });

  it("refuses to retry an erased job: nothing of it is left to run", async () => {
    const r = request();
    await deliver([r.created]);
    await jobOf(r.data.requestId).report(failure(r.data.requestId, "invalid-input"));
    expect((await jobOf(r.data.requestId).getState())?.status).toBe("failed");
    await deliver([r.erased]);
    expect(await jobOf(r.data.requestId).retry(r.data.requestId)).toMatchObject({ ok: false, status: 409 });
  });
});
