import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createEvent } from "@statex/shared/events";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { jobOf, newRequest, outbox } from "./helpers";

function requestCreated() {
  const data = newRequest();
  return createEvent("request.created", data, { correlationId: data.requestId, source: "intake" });
}

async function deliver(bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    "statex-orchestrator",
    bodies.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ids: batch.messages.map((m) => m.id), result };
}

describe("orchestrator queue consumer", () => {
  it("acks request.created and starts the request's job", async () => {
    const event = requestCreated();
    const { ids, result } = await deliver([event]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const state = await jobOf(event.data.requestId).getState();
    expect(state).toMatchObject({ requestId: event.data.requestId, status: "processing" });
  });

  it("changes nothing when the same event is delivered again", async () => {
    const event = requestCreated();
    await deliver([event]);
    const before = await outbox(event.data.requestId);
    const { ids, result } = await deliver([event], 2);
    expect(result.explicitAcks).toEqual(ids);
    expect(await outbox(event.data.requestId)).toEqual(before);
    const seen = await env.DB.prepare("SELECT count(*) AS n FROM processed_events WHERE consumer = 'orchestrator' AND event_id = ?")
      .bind(event.id)
      .first<{ n: number }>();
    expect(seen?.n).toBe(1);
  });

  it("sets an invalid body aside without retrying it", async () => {
    const { ids, result } = await deliver([{ type: "request.created", data: { nope: true } }]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const dead = await env.DB.prepare("SELECT queue FROM dead_letters WHERE id = ?").bind(`statex-orchestrator:${ids[0]}`).first();
    expect(dead).toEqual({ queue: "statex-orchestrator" });
  });

  it("retries only the message whose handling failed", async () => {
    const event = requestCreated();
    // A real storage failure: the consumer's idempotency table is unreachable.
    await env.DB.exec("ALTER TABLE processed_events RENAME TO processed_events_offline");
    let outcome;
    try {
      outcome = await deliver([{ not: "an event" }, event], 3);
    } finally {
      await env.DB.exec("ALTER TABLE processed_events_offline RENAME TO processed_events");
    }
    const [invalid, valid] = outcome.ids;
    expect(outcome.result.explicitAcks).toEqual([invalid]);
    expect(outcome.result.retryMessages.map((m) => m.msgId)).toEqual([valid]);

    const retried = await deliver([event], 4);
    expect(retried.result.explicitAcks).toEqual(retried.ids);
    expect((await jobOf(event.data.requestId).getState())?.status).toBe("processing");
  });
  it("retries an event whose D1 write was refused (the fault run's D1_FAULT_RATE), and the redelivery starts the job once", async () => {
    const event = requestCreated();
    const batch = createMessageBatch("statex-orchestrator", [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: event }]);
    const ctx = createExecutionContext();
    // Every write refused: the handler's work is done, its "processed" mark is not, so the queue must bring it back.
    await worker.queue(batch, { ...env, D1_FAULT_RATE: "1" as typeof env.D1_FAULT_RATE }, ctx);
    const refused = await getQueueResult(batch, ctx);
    expect(refused.retryMessages.map((m) => m.msgId)).toEqual(batch.messages.map((m) => m.id));
    const before = await outbox(event.data.requestId);
    const { ids, result } = await deliver([event], 2);
    expect(result.explicitAcks).toEqual(ids);
    expect(await outbox(event.data.requestId)).toEqual(before);
    const state = await jobOf(event.data.requestId).getState();
    expect(state).toMatchObject({ requestId: event.data.requestId, status: "processing" });
  });
});
