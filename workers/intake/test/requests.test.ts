import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { USER_ID_HEADER, USER_ROLE_HEADER } from "@statex/shared/auth";
import { ROUND_GAP_MS } from "@statex/shared/relay";
import { describe, expect, it, vi } from "vitest";
import worker from "../src/index";

async function call(path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://intake${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function submit(body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
  return call("/requests", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function countRequests() {
  return (await env.DB.prepare("select count(*) as n from requests").first<{ n: number }>())?.n;
}

const valid = { name: "Ada Lovelace", email: "ada@example.com", text: "We need a booking website for our clinic." };

describe("POST /requests", () => {
  it("stores the request and its event together and answers 202 with a status URL", async () => {
    const res = await submit(valid);
    expect(res.status).toBe(202);
    const body = await res.json<{ id: string; status: string; statusUrl: string }>();
    expect(body.status).toBe("received");
    expect(body.id).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(body.statusUrl).toMatch(new RegExp(`^/api/requests/${body.id}\\?token=`));

    const row = await env.DB.prepare("select name, email, text, channel from requests where id = ?").bind(body.id).first();
    expect(row).toEqual({ name: valid.name, email: valid.email, text: valid.text, channel: "api" });
    const outbox = await env.DB.prepare("select type, body, sent_at from event_outbox").all<{ type: string; body: string; sent_at: string | null }>();
    expect(outbox.results).toHaveLength(1);
    const [event] = outbox.results;
    expect(event?.type).toBe("request.created");
    // The relay ran after the answer: the event left the outbox.
    expect(event?.sent_at).not.toBeNull();
    expect(JSON.parse(event?.body ?? "{}")).toMatchObject({ correlationId: body.id, data: { requestId: body.id, text: valid.text } });
  });

  /** The orchestrator's real queue, with `around` in the way of each sendBatch (it sends the list it is given). */
  function watched(around: (list: MessageSendRequest[], send: () => Promise<QueueSendBatchResponse>) => Promise<QueueSendBatchResponse>): Queue {
    const real = env.Q_ORCHESTRATOR;
    return {
      send: (body: unknown, options?: QueueSendOptions) => real.send(body, options),
      sendBatch: (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
        const list = [...messages];
        return around(list, () => real.sendBatch(list, options));
      },
    } as Queue;
  }

  /** Submission `i` against `queueEnv`, answered; its relay may still be running in `ctx`. */
  async function submitTo(queueEnv: IntakeEnv, i: number) {
    const ctx = createExecutionContext();
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...valid, text: `${valid.text} (${i})` }) };
    const res = await worker.fetch(new Request("http://intake/requests", init), queueEnv, ctx);
    return { ctx, res };
  }

  /**
   * Five submissions at once against `queue` in place of the orchestrator's queue; resolves once all relays ended.
   * `answered` is called once all five have their answer (their relays may still be running).
   */
  async function fiveAtOnce(queue: Queue, answered = () => {}) {
    const together = { ...env, Q_ORCHESTRATOR: queue } satisfies IntakeEnv;
    const runs = await Promise.all(Array.from({ length: 5 }, (_, i) => submitTo(together, i)));
    answered();
    await Promise.all(runs.map(({ ctx }) => waitOnExecutionContext(ctx)));
    return Promise.all(runs.map(async ({ res }) => ({ status: res.status, id: (await res.json<{ id: string }>()).id })));
  }

  const unsentOf = async (ids: string[]) =>
    (await env.DB.prepare("select json_extract(body, '$.correlationId') as request from event_outbox where sent_at is null").all<{ request: string }>()).results.filter((r) =>
      ids.includes(r.request),
    ).length;

  it("relays submissions that finish together in shared rounds: every event sent, in fewer sendBatch calls", async () => {
    // A frozen clock: however slowly this machine answers the five, the sender in flight is never taken for a
    // cancelled one (the relay presumes that of a sender silent for seconds).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const batches: number[] = [];
      // The first send is held until every submission has answered, so the other four surely find it in flight.
      let release = () => {};
      const allAnswered = new Promise<void>((resolve) => (release = resolve));
      const counting = watched(async (list, send) => {
        batches.push(list.length);
        if (batches.length === 1) await allAnswered;
        return send();
      });
      const answers = await fiveAtOnce(counting, release);
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
      expect(await unsentOf(answers.map((a) => a.id))).toBe(0);
      // One round for the first, one shared round for the four that came while it was sending.
      expect(batches).toEqual([1, 4]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends the submissions that arrive right after a round together, once the gap after that round is over", async () => {
    // The relay's clock and timer are the test's: what is told apart is what the relay waits for, whatever the
    // machine's speed. Frozen, the clock says the next two arrive the instant the first round ended.
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    try {
      const rounds: { at: number; size: number }[] = [];
      const counting = watched((list, send) => {
        rounds.push({ at: Date.now(), size: list.length });
        return send();
      });
      const streamEnv = { ...env, Q_ORCHESTRATOR: counting } satisfies IntakeEnv;
      const post = async (i: number) => {
        const { ctx, res } = await submitTo(streamEnv, i);
        return { ctx, id: (await res.json<{ id: string }>()).id, status: res.status };
      };
      const first = await post(0);
      await waitOnExecutionContext(first.ctx);
      const firstRoundEnded = Date.now();
      const next = await Promise.all([post(1), post(2)]);
      // They wait out the gap (not a millisecond less), then go out in one round.
      await vi.advanceTimersByTimeAsync(ROUND_GAP_MS - 1);
      expect(rounds.map((r) => r.size)).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all(next.map(({ ctx }) => waitOnExecutionContext(ctx)));
      expect([first, ...next].map((s) => s.status)).toEqual([202, 202, 202]);
      expect(rounds).toEqual([
        { at: firstRoundEnded, size: 1 },
        { at: firstRoundEnded + ROUND_GAP_MS, size: 2 },
      ]);
      expect(await unsentOf([first, ...next].map((s) => s.id))).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps a shared round's events in the outbox for the cron relay when the queue refuses them", async () => {
    const refusing = { send: () => Promise.reject(new Error("queue unavailable")), sendBatch: () => Promise.reject(new Error("queue unavailable")) } as unknown as Queue;
    const answers = await fiveAtOnce(refusing);
    // The submissions were accepted (their events are committed with them) and nothing was lost.
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(await unsentOf(answers.map((a) => a.id))).toBe(5);
  });

  it("lets the status URL holder, and nobody else, read the request", async () => {
    const { id, statusUrl } = await (await submit(valid)).json<{ id: string; statusUrl: string }>();
    const ok = await call(statusUrl.replace("/api", ""));
    expect(ok.status).toBe(200);
    const view = await ok.json();
    expect(view).toMatchObject({ id, status: "received", text: valid.text, steps: [] });
    // Its job has not asked for a slot (nothing consumes the orchestrator queue here): not in line either.
    expect(view).toHaveProperty("line", null);

    const forged = await call(`/requests/${id}?token=${"A".repeat(43)}`);
    expect(forged.status).toBe(404);
    expect(forged.headers.get("content-type")).toBe("application/problem+json");
  });

  it("lets the signed-in owner read their request without a token, and no other caller", async () => {
    const owner = { [USER_ID_HEADER]: "usr_reader", [USER_ROLE_HEADER]: "client" };
    const { id } = await (await submit(valid, { "content-type": "application/json", ...owner })).json<{ id: string }>();
    const ok = await call(`/requests/${id}`, { headers: owner });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id, text: valid.text });
    for (const headers of [{}, { [USER_ID_HEADER]: "usr_someone_else", [USER_ROLE_HEADER]: "client" }] as Record<string, string>[]) {
      const refused = await call(`/requests/${id}`, { headers });
      expect(refused.status).toBe(404);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
    }
    // An anonymous request has no owner to be: only its token reads it.
    const { id: anonymous } = await (await submit(valid)).json<{ id: string }>();
    expect((await call(`/requests/${anonymous}`, { headers: owner })).status).toBe(404);
  });

  it.each([
    ["malformed JSON", "{not json", 400, "body"],
    ["a missing field", { name: "Ada", email: "ada@example.com" }, 400, "text"],
    ["an invalid email", { ...valid, email: "not-an-email" }, 400, "email"],
    ["an unknown field", { ...valid, extra: 1 }, 400, "extra"],
    ["oversize text", { ...valid, text: "word ".repeat(5_000) }, 413, "text"],
  ])("refuses %s with a problem naming the field, writing nothing", async (_label, body, status, field) => {
    const before = await countRequests();
    const res = await submit(body);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json<{ status: number; errors: { field: string }[] }>();
    expect(problem.status).toBe(status);
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(await countRequests()).toBe(before);
  });

  it("refuses a body that is not JSON with 415, and one over 256 KiB with 413", async () => {
    const wrongType = await submit("name=Ada", { "content-type": "application/x-www-form-urlencoded" });
    expect(wrongType.status).toBe(415);
    expect((await wrongType.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe("content-type");
    const huge = JSON.stringify({ ...valid, text: "x".repeat(300 * 1024) });
    const declared = await submit(huge);
    expect(declared.status).toBe(413);
    expect((await declared.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe("body");
    // Sent without its length, the body is counted as it arrives.
    const bytes = new TextEncoder().encode(huge);
    const streamed = await call("/requests", { method: "POST", headers: { "content-type": "application/json" }, body: new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }) });
    expect(streamed.status).toBe(413);
    expect((await streamed.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe("body");
  });

  it("answers 404 problem+json for an unknown id and 400 for a malformed one", async () => {
    expect((await call(`/requests/req_01ARZ3NDEKTSV4RRFFQ69G5FAV?token=${"A".repeat(43)}`)).status).toBe(404);
    const bad = await call("/requests/nope?token=short");
    expect(bad.status).toBe(400);
    const fields = (await bad.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["param.id"]));
  });
});
