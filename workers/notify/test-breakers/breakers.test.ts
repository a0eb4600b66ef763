/**
 * The channels' circuit breakers against the real local stand-ins switched to fail (`PUT /outbox/controls/<channel>`):
 * repeated failures open a channel's breaker, then its sends are skipped without reaching the provider and come back
 * through the queue; after the cool-down exactly one probe goes while the others are still skipped, and its success
 * closes the breaker; every message is then sent, each once. A send skipped on its last delivery fails that channel
 * and the ladder's next channel takes the message. Sends are counted by what the stand-in was asked to take.
 */
import { env } from "cloudflare:workers";
import { BreakersView } from "@statex/shared/api/breakers";
import { afterEach, describe, expect, it } from "vitest";
import { call, client, deliver, notificationRows, outbox, phone, recordingQueue, requestEvent } from "../test/helpers";

type Channel = "email" | "telegram" | "whatsapp";

async function control(channel: Channel, mode: string): Promise<void> {
  const res = await fetch(`${env.OUTBOX_URL}/outbox/controls/${channel}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode }) });
  expect(res.status).toBe(200);
}

/** Every send the stand-in of `channel` was asked to take, refused ones too. */
async function sends(channel: Channel): Promise<number> {
  const res = await fetch(`${env.OUTBOX_URL}/outbox/controls`);
  return (await res.json<{ sends: Record<Channel, number> }>()).sends[channel];
}

const ops = { "x-statex-user-id": "usr_OPS", "x-statex-user-role": "ops" };

async function breaker(name: Channel) {
  const res = await call("/breakers", { headers: ops });
  expect(res.status).toBe(200);
  const view = BreakersView.parse(await res.json());
  expect(view.worker).toBe("notify");
  const found = view.breakers.find((b) => b.name === name);
  if (!found) throw new Error(`no breaker for ${name}`);
  return found;
}

const untilProbe = async (nextProbeAt: string | null) => {
  const wait = Date.parse(nextProbeAt ?? "") - Date.now();
  expect(wait).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, wait + 50));
};

const created = (who: ReturnType<typeof client>) => requestEvent("request.created", { requestId: who.requestId, channel: "web", contact: who.contact, text: "x", files: [] });

afterEach(async () => {
  await fetch(`${env.OUTBOX_URL}/outbox/controls`, { method: "DELETE" });
});

describe("a channel's circuit breaker", () => {
  it("opens after five failed sends, skips the provider while open, lets one probe through after the cool-down, closes on its success, and sends every message once", { timeout: 60_000 }, async () => {
    const before = await sends("email");
    await control("email", "fail");
    // Each person's one event, delivered again by the queue below as the same event.
    const events = new Map<string, ReturnType<typeof created>>();
    const eventOf = (who: ReturnType<typeof client>) => {
      const event = events.get(who.requestId) ?? created(who);
      events.set(who.requestId, event);
      return event;
    };
    const failing = Array.from({ length: 5 }, () => client());
    for (const who of failing) {
      const result = await deliver([eventOf(who)]);
      expect(result.retryMessages).toHaveLength(1);
    }
    expect((await sends("email")) - before).toBe(5);
    const opened = await breaker("email");
    expect(opened).toMatchObject({ state: "open", failures: 5, openings: 1, lastFailure: expect.stringMatching(/email provider answered 500/) });

    // Open: the message waits in the queue, its row queued with why, and the provider hears nothing of it.
    const skipped = Array.from({ length: 3 }, () => client());
    for (const who of skipped) {
      const result = await deliver([eventOf(who)]);
      expect(result.retryMessages).toHaveLength(1);
      expect(result.delays[0]).toBeGreaterThanOrEqual(1);
      const [row] = await notificationRows(who.requestId);
      expect(row).toMatchObject({ channel: "email", status: "queued", error: expect.stringMatching(/email skipped: its circuit breaker is open/) });
    }
    expect((await sends("email")) - before).toBe(5);

    // The provider is back, slowly enough that the other sends ask while the probe is on its way.
    await control("email", "slow-400");
    await untilProbe(opened.nextProbeAt);
    const retried = await Promise.all(skipped.map((who) => deliver([eventOf(who)], { attempts: 2 })));
    expect((await sends("email")) - before).toBe(6);
    expect(retried.filter((r) => r.retryMessages.length === 0)).toHaveLength(1);
    const waiting = skipped.filter((_, i) => retried[i]?.retryMessages.length === 1);
    expect(waiting).toHaveLength(2);
    for (const who of waiting) expect((await notificationRows(who.requestId))[0]).toMatchObject({ status: "queued", error: expect.stringMatching(/circuit breaker is half-open/) });
    expect(await breaker("email")).toMatchObject({ state: "closed", failures: 0, openings: 0, nextProbeAt: null });

    // Closed: every message still waiting goes, and each person has the message once.
    await control("email", "normal");
    for (const who of [...waiting, ...failing]) expect((await deliver([eventOf(who)], { attempts: 3 })).retryMessages).toEqual([]);
    expect((await sends("email")) - before).toBe(6 + 7);
    for (const who of [...failing, ...skipped]) {
      expect(await outbox({ requestId: who.requestId })).toHaveLength(1);
      expect((await notificationRows(who.requestId)).map((r) => r.status)).toEqual(["sent"]);
    }
  });

  it("skipped on a message's last delivery, fails that channel and the ladder's next channel takes the message", { timeout: 30_000 }, async () => {
    await control("whatsapp", "fail");
    for (let i = 0; i < 5; i++) await deliver([created(client({ whatsapp: phone() }))]);
    expect(await breaker("whatsapp")).toMatchObject({ state: "open" });

    const before = await sends("whatsapp");
    const who = client({ whatsapp: phone() });
    const { queue, checks } = recordingQueue();
    const last = await deliver([created(who)], { attempts: Number(env.MAX_DELIVERY_ATTEMPTS), env: { ...env, Q_NOTIFY: queue } });
    expect(last.retryMessages).toEqual([]);
    expect(await sends("whatsapp")).toBe(before);
    // Out of retries on WhatsApp: the ladder's look at the next step, which the queue would bring at once.
    const [check] = checks();
    expect(check?.data.requestId).toBe(who.requestId);
    expect((await deliver([check])).retryMessages).toEqual([]);
    const [whatsapp, email] = await notificationRows(who.requestId);
    expect(whatsapp).toMatchObject({ channel: "whatsapp", status: "failed", error: expect.stringMatching(/whatsapp skipped: its circuit breaker is open/) });
    expect(email).toMatchObject({ channel: "email", status: "sent", step: 1, fallback_from: whatsapp?.id });
  });

  it("is shown to ops only", async () => {
    expect((await call("/breakers", { headers: { "x-statex-user-id": "usr_C", "x-statex-user-role": "client" } })).status).toBe(403);
    expect((await call("/breakers")).status).toBe(401);
    const res = await call("/breakers", { headers: ops });
    expect(BreakersView.parse(await res.json()).breakers.map((b) => b.name).sort()).toEqual(["email", "telegram", "whatsapp"]);
  });
});
