/**
 * JobSlots on its own (scripts/scale-slots.mjs times it): the orchestrator's class, imported from its source so what is
 * timed is the object the platform runs, behind a worker with no framework.
 *
 * - `POST /acquire?id=&slots=`: one job's start asking for a slot, as a job object asks (`acquire(requestId, slots)`);
 * - `POST /release?id=`: one job's end giving its slot back, which admits the first in line and tells its job;
 * - `GET /view`: who runs and who waits;
 * - `POST /burst?n=&slots=&prefix=`: n starts at once, from this one invocation, as n job objects would ask together;
 * - `POST /drain`: every holder gives its slot back, one release at a time, until no job holds one or `?limit=` releases
 *   were made (each release admits the first in line and tells its job); `?together=1`: one round, every holder at once;
 * - `GET /told?prefix=&n=`: how many times the n jobs were told they were admitted, in all and at most.
 *
 * Each answer carries `rpcMs`, the time of the call to the object as the worker saw it, so the HTTP hop in front of it
 * can be told apart. `Job` stands in for RequestJob: JobSlots tells an admitted job to start (`admit()`), and this one
 * only notes when it heard.
 */
import { DurableObject } from "cloudflare:workers";
import { JobSlots, SLOTS_NAME } from "../../workers/orchestrator/src/slots";

export { JobSlots };

type SlotsBenchEnv = { SLOTS: DurableObjectNamespace<JobSlots>; REQUEST_JOB: DurableObjectNamespace<Job> };

export class Job extends DurableObject<SlotsBenchEnv> {
  /** Notes each time it is told, so the benchmark can see a job told more than once. */
  async admit(): Promise<void> {
    const told = (await this.ctx.storage.get<number>("told")) ?? 0;
    await this.ctx.storage.put("told", told + 1);
  }

  async told(): Promise<number> {
    return (await this.ctx.storage.get<number>("told")) ?? 0;
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const id = url.searchParams.get("id") ?? "";
    const slots = env.SLOTS.getByName(SLOTS_NAME);
    const started = performance.now();
    if (url.pathname === "/acquire") {
      const answer = await slots.acquire(id, Number(url.searchParams.get("slots") ?? "100"));
      return Response.json({ ...answer, rpcMs: performance.now() - started });
    }
    if (url.pathname === "/release") {
      await slots.release(id);
      return Response.json({ rpcMs: performance.now() - started });
    }
    if (url.pathname === "/view") return Response.json(await slots.view());
    if (url.pathname === "/burst") {
      const n = Number(url.searchParams.get("n") ?? "1000");
      const count = Number(url.searchParams.get("slots") ?? "100");
      const prefix = url.searchParams.get("prefix") ?? "req_burst";
      const calls = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const t = performance.now();
          try {
            const answer = await slots.acquire(`${prefix}_${String(i).padStart(5, "0")}`, count);
            return { ms: performance.now() - t, admitted: answer.admitted, ahead: answer.admitted ? null : answer.ahead };
          } catch (err) {
            return { ms: performance.now() - t, error: String(err) };
          }
        }),
      );
      return Response.json({ wallMs: performance.now() - started, calls });
    }
    if (url.pathname === "/drain") {
      const released = new Set<string>();
      const times: number[] = [];
      const errors: string[] = [];
      let rounds = 0;
      const together = url.searchParams.get("together") === "1";
      const limit = Number(url.searchParams.get("limit") ?? "Infinity");
      const releaseOne = async (holder: string) => {
        const t = performance.now();
        try {
          await slots.release(holder);
          times.push(performance.now() - t);
        } catch (err) {
          errors.push(String(err));
        }
        released.add(holder);
      };
      for (;;) {
        const holders = (await slots.view()).running.map((r) => r.requestId).filter((id) => !released.has(id)).slice(0, limit - released.size);
        if (!holders.length) break;
        rounds++;
        if (together) await Promise.all(holders.map(releaseOne));
        else for (const holder of holders) await releaseOne(holder);
        if (together) break;
      }
      return Response.json({ wallMs: performance.now() - started, rounds, released: released.size, times, errors });
    }
    if (url.pathname === "/told") {
      const n = Number(url.searchParams.get("n") ?? "0");
      const prefix = url.searchParams.get("prefix") ?? "req_burst";
      const counts = await Promise.all(Array.from({ length: n }, (_, i) => env.REQUEST_JOB.getByName(`${prefix}_${String(i).padStart(5, "0")}`).told()));
      return Response.json({ total: counts.reduce((a, b) => a + b, 0), told: counts.filter((c) => c > 0).length, most: Math.max(0, ...counts) });
    }
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<SlotsBenchEnv>;
