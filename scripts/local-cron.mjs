// The cron triggers of the local platform. Cloudflare runs each worker's `scheduled` handler on its crons; `wrangler
// dev` never does (it only answers `/cdn-cgi/local/scheduled` on the workerd that runs the workers, behind its proxy),
// so without this the outbox's cron relay, intake's reconciliation sweep and housekeeping, notify's webhook sweep,
// identity's and content's relays and logging's alert rules would never run under `npm run dev` or the tests.
// On every minute, as Cloudflare does, each worker's crons of infra/topology.mjs that match the minute (UTC) are
// fired at that workerd with miniflare's route override naming the worker.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { Cron } from "croner";
import { workers } from "../infra/topology.mjs";

/** Every worker's crons as the deployed platform has them: [worker name, cron expression, its matcher]. */
const schedules = Object.entries(workers).flatMap(([name, w]) => (w.crons ?? []).map((expr) => [`statex-${name}`, expr, new Cron(expr, { timezone: "UTC", paused: true })]));

/**
 * Where `wrangler dev` reaches its workers, from its debug log: wrangler writes the proxy's data (the workers'
 * workerd address and the secret it expects) there on every start and reload, and names the address nowhere else.
 * Reads only what the log gained since the last call. A `wrangler dev` started again (the chaos run kills it) writes
 * the log anew, and may have written past the old offset by the next read, so a new file is told by its first bytes
 * (its first line's time), not by its size alone.
 */
export function workerdFinder(logPath) {
  let offset = 0;
  let head = "";
  let found;
  const read = (fd, from, length) => {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, from));
  };
  return () => {
    let fd;
    try {
      fd = openSync(logPath, "r");
    } catch {
      return found;
    }
    try {
      const size = fstatSync(fd).size;
      const first = read(fd, 0, Math.min(size, 256)).toString("latin1");
      // A new `wrangler dev` began the log again: read it from its start, and forget the old address.
      if (size < offset || !first.startsWith(head.slice(0, first.length))) {
        offset = 0;
        found = undefined;
      }
      head = first;
      if (size > offset) {
        // Whole lines only: a line still being written is read again, complete, next time.
        const gained = read(fd, offset, size - offset);
        const whole = gained.subarray(0, gained.lastIndexOf(0x0a) + 1);
        offset += whole.length;
        const text = whole.toString("utf8");
        for (const m of text.matchAll(/"userWorkerUrl":(\{[^}]*\})[^\n]*?"headers":(\{[^}]*\})/g)) {
          const url = JSON.parse(m[1]);
          found = { url: `${url.protocol}//${url.hostname}:${url.port}`, headers: JSON.parse(m[2]) };
        }
      }
      return found;
    } finally {
      closeSync(fd);
    }
  };
}

/**
 * Fires the platform's crons every minute until stopped. `logPath` is the WRANGLER_LOG_PATH (a file) of the
 * `wrangler dev` that runs the workers. Each run's failure is told through `log` and the next minute runs anyway.
 * @param {{ logPath: string, log: (line: string) => void }} opts
 */
export function startLocalCron({ logPath, log }) {
  const workerd = workerdFinder(logPath);
  let timer;
  let stopped = false;
  const fire = async (minute) => {
    const target = workerd();
    if (!target) return log(`[cron] no workers to run ${minute.toISOString()} on yet\n`);
    await Promise.all(
      schedules
        .filter(([, , cron]) => cron.match(minute))
        .map(async ([worker, expr]) => {
          const url = `${target.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(expr)}&time=${minute.getTime()}`;
          try {
            const res = await fetch(url, { headers: { ...target.headers, "MF-Route-Override": worker }, signal: AbortSignal.timeout(50_000) });
            if (!res.ok) log(`[cron] ${worker} "${expr}" answered ${res.status}: ${(await res.text()).slice(0, 200)}\n`);
          } catch (err) {
            log(`[cron] ${worker} "${expr}" did not run: ${err.cause?.code ?? err.message}\n`);
          }
        }),
    );
  };
  const next = () => {
    if (stopped) return;
    const now = Date.now();
    const minute = new Date(Math.floor(now / 60_000) * 60_000 + 60_000);
    timer = setTimeout(() => {
      void fire(minute);
      next();
    }, minute.getTime() - now);
    timer.unref();
  };
  next();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
