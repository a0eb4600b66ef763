// The cron triggers of the local platform. Cloudflare runs each worker's `scheduled` handler on its crons; `wrangler
// dev` never does (it only answers `/cdn-cgi/local/scheduled` on the workerd that runs the workers, behind its proxy),
// so without this the outbox's cron relay, intake's reconciliation sweep and housekeeping, notify's webhook sweep,
// identity's and content's relays and logging's alert rules would never run under `npm run dev` or the tests.
// On every minute, as Cloudflare does, each worker's crons of infra/topology.mjs that match the minute (UTC) are
// fired at that workerd with miniflare's route override naming the worker.
import { readFileSync, statSync } from "node:fs";
import { Cron } from "croner";
import { workers } from "../infra/topology.mjs";

/** Every worker's crons as the deployed platform has them: [worker name, cron expression, its matcher]. */
const schedules = Object.entries(workers).flatMap(([name, w]) => (w.crons ?? []).map((expr) => [`statex-${name}`, expr, new Cron(expr, { timezone: "UTC", paused: true })]));

/**
 * Where `wrangler dev` reaches its workers, from its debug log: wrangler writes the proxy's data (the workers'
 * workerd address and the secret it expects) there on every start and reload, and names the address nowhere else.
 * Reads only what the log gained since the last call.
 */
function workerdFinder(logPath) {
  let offset = 0;
  let found;
  return () => {
    let size;
    try {
      size = statSync(logPath).size;
    } catch {
      return found;
    }
    if (size < offset) offset = 0; // a new `wrangler dev` began the log again
    if (size > offset) {
      const text = readFileSync(logPath).subarray(offset, size).toString("utf8");
      offset = size;
      for (const m of text.matchAll(/"userWorkerUrl":(\{[^}]*\})[^\n]*?"headers":(\{[^}]*\})/g)) {
        const url = JSON.parse(m[1]);
        found = { url: `${url.protocol}//${url.hostname}:${url.port}`, headers: JSON.parse(m[2]) };
      }
    }
    return found;
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
