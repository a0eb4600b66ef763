// Jobs waiting in line for a slot, with two slots (vitest.slots.config.ts). Every job asks the one JobSlots
// object, so each test begins by emptying it: both slots free and nobody in line, whatever ran before.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { opsCaller } from "../../../shared/test/callers";
import { SLOTS_NAME } from "../src/slots";
import { jobOf, jobsRow, newRequest, sentEvents, sentTasks, success } from "../test/helpers";

const slots = () => env.SLOTS.getByName(SLOTS_NAME);

/** Submits a request's `request.created` to its job; returns its id and what start answered. */
async function submit() {
  const request = newRequest();
  const state = await jobOf(request.requestId).start(request);
  return { id: request.requestId, state, request };
}

/** Waits until JobSlots told the job it was admitted and the job dispatched its first task. */
async function untilDispatched(id: string) {
  await vi.waitFor(async () => expect(await sentTasks(id)).toHaveLength(1), { timeout: 5_000, interval: 20 });
}

beforeEach(async () => {
  // The jobs an earlier test left running or in line are forgotten with their slots: none of them ends later.
  await runInDurableObject(slots(), async (_slots, state) => {
    state.storage.sql.exec("DELETE FROM holders; DELETE FROM waiting; DELETE FROM config;");
    await state.storage.deleteAlarm();
  });
});

describe("jobs waiting in line for a slot", () => {
  it("runs two jobs at once; the third waits, unstarted, and starts when a job ends", async () => {
    const a = await submit();
    const b = await submit();
    expect(a.state?.status).toBe("processing");
    expect(b.state?.status).toBe("processing");

    const c = await submit();
    expect(c.state).toBeNull();
    expect(await jobOf(c.id).getState()).toBeNull();
    expect(await sentTasks(c.id)).toEqual([]);
    expect(await sentEvents(c.id)).toEqual([]);
    expect(await jobsRow(c.id)).toBeNull();
    expect(await slots().view()).toMatchObject({ slots: 2, running: [{ requestId: a.id }, { requestId: b.id }], waiting: [{ requestId: c.id }] });
    // What ops see (GET /api/ops/job-slots through the gateway), and what the client's status shows (through intake).
    expect(await (await exports.default.fetch("http://orchestrator/slots", { headers: opsCaller })).json()).toEqual(await slots().view());
    expect(await exports.OrchestratorApi.placeInLine({ requestId: c.id })).toEqual({ ahead: 0 });
    expect(await exports.OrchestratorApi.placeInLine({ requestId: a.id })).toBeNull();
    const jobView = await exports.default.fetch(`http://orchestrator/jobs/${c.id}`, { headers: opsCaller });
    expect(jobView.status).toBe(404);
    expect(await jobView.json()).toMatchObject({ detail: "Job not started yet: waiting in line for a slot, 0 ahead" });

    // A finishes: its slot goes to C, which plans, publishes its start and dispatches its task.
    await jobOf(a.id).report(success(a.id));
    expect((await jobOf(a.id).getState())?.status).toBe("completed");
    await untilDispatched(c.id);
    const state = await jobOf(c.id).getState();
    expect(state?.status).toBe("processing");
    expect((await sentEvents(c.id)).map((e) => e.type)).toEqual(["job.created", "request.processing", "job.progress"]);
    expect(await slots().view()).toMatchObject({ running: [{ requestId: b.id }, { requestId: c.id }], waiting: [] });
  });

  it("keeps one place in line for a redelivered start, first come first served", async () => {
    await submit();
    await submit();
    const c = await submit();
    const d = await submit();
    // The orchestrator queue delivers C's event again: same place, still unstarted.
    expect(await jobOf(c.id).start(c.request)).toBeNull();
    expect(await slots().acquire(d.id, 2)).toEqual({ admitted: false, ahead: 1 });
    expect(await slots().place(d.id)).toEqual({ ahead: 1 });
    expect((await slots().view()).waiting.map((w) => w.requestId)).toEqual([c.id, d.id]);
  });

  it("records a job cancelled in line as cancelled, dispatches nothing, and gives its place to the next", async () => {
    const a = await submit();
    await submit();
    const c = await submit();
    const d = await submit();

    expect(await jobOf(c.id).cancel(c.id, "client")).toEqual({ ok: true });
    expect(await jobOf(c.id).getState()).toMatchObject({ status: "cancelled", error: "cancelled by client" });
    expect(await sentTasks(c.id)).toEqual([]);
    expect((await sentEvents(c.id)).map((e) => e.type)).toContain("request.cancelled");
    expect((await jobsRow(c.id))?.status).toBe("cancelled");
    expect((await slots().view()).waiting.map((w) => w.requestId)).toEqual([d.id]);

    await jobOf(a.id).cancel(a.id, "ops");
    await untilDispatched(d.id);
  });

  it("a job evicted while in line starts from storage when admitted", async () => {
    const a = await submit();
    await submit();
    const c = await submit();
    await evictDurableObject(jobOf(c.id));
    await jobOf(a.id).report(success(a.id));
    await untilDispatched(c.id);
    expect((await jobOf(c.id).getState())?.plan.map((t) => t.id)).toEqual(["nlp"]);
  });

  it("tells an admitted job again until it hears, and takes back a slot whose job never gave it back", async () => {
    const a = await submit();
    const b = await submit();
    const c = await submit();
    const d = await submit();

    // A's release never reached JobSlots (say the object failed right after finishing): its lease runs out.
    await runInDurableObject(slots(), (_o, state) => {
      state.storage.sql.exec("UPDATE holders SET since = ? WHERE request_id = ?", Date.now() - 31 * 60_000, a.id);
    });
    expect(await runDurableObjectAlarm(slots())).toBe(true);
    await untilDispatched(c.id);
    expect((await slots().view()).running.map((r) => r.requestId)).toEqual([b.id, c.id]);

    // D is admitted, but as far as JobSlots knows it has not heard: the alarm tells it, and telling twice starts it once.
    await runInDurableObject(slots(), (_o, state) => {
      state.storage.sql.exec("DELETE FROM holders WHERE request_id = ?", b.id);
      state.storage.sql.exec("DELETE FROM waiting WHERE request_id = ?", d.id);
      state.storage.sql.exec("INSERT INTO holders (request_id, since, told) VALUES (?, ?, 0)", d.id, Date.now());
    });
    expect(await sentTasks(d.id)).toEqual([]);
    expect(await runDurableObjectAlarm(slots())).toBe(true);
    expect(await sentTasks(d.id)).toHaveLength(1);
    await jobOf(d.id).admit();
    expect(await sentTasks(d.id)).toHaveLength(1);
  });

  it("admits whoever is first in line when JOB_SLOTS grows", async () => {
    await submit();
    await submit();
    const c = await submit();
    // A caller with a larger JOB_SLOTS (a new deploy): the third slot goes to the first in line, not to the caller.
    const late = newRequest().requestId;
    expect(await slots().acquire(late, 3)).toEqual({ admitted: false, ahead: 0 });
    await untilDispatched(c.id);
    expect((await slots().view()).slots).toBe(3);
    await slots().release(late);
  });
});
