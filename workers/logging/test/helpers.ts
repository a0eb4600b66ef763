// Shared by logging's tests: deliver message bodies as a queue would, call its routes as the gateway would, and make events.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createEvent } from "@statex/shared/events";
import { opsCaller } from "../../../shared/test/callers";
import worker from "../src/index";

/** Delivers bodies on a queue; a body given as `{ id, body }` keeps its message id (a redelivery). */
export async function deliver(queue: string, messages: ({ id: string; body: unknown } | { body: unknown })[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ id: "id" in m ? m.id : crypto.randomUUID(), timestamp: new Date(), attempts, body: m.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

/** Calls logging's fetch handler as the gateway forwards a request: by default with its ops caller. */
export async function call(method: string, path: string, headers: Record<string, string> = opsCaller, body?: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://logging${path}`, { method, headers, ...(body === undefined ? {} : { body }) }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export function createdEvent(requestId: string, occurredAt = new Date()) {
  return createEvent(
    "request.created",
    { requestId, channel: "web", contact: { name: "Ada", email: "ada@example.com" }, text: "x", files: [] },
    { correlationId: requestId, source: "intake", occurredAt },
  );
}

export async function count(table: string, where = "1 = 1", ...params: unknown[]) {
  return (await env.DB.prepare(`select count(*) as n from ${table} where ${where}`).bind(...params).first<{ n: number }>())?.n;
}
