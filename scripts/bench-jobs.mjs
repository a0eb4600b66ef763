// The jobs benchmark: N requests submitted at once against a running platform,
// the time until every job finished, and the orchestration overhead per task:
// (job time − the ai worker's own task durations) ÷ tasks. Target: < 100 ms per task.
// A job's time counts from its start: the platform runs JOB_SLOTS jobs at once and the rest wait in line
// (workers/orchestrator/src/slots.ts); that wait is reported beside it, and end to end (from submission) too.
//
// Where the numbers come from: the job's startedAt/finishedAt and each task's
// timings are the Durable Object's (GET /api/ops/jobs/:id); the ai worker's own
// durations are each task's provenance.durationMs in the analysis (the status URL's
// result). Each request carries its text and a one-page PDF brief, so its job has
// three tasks: docai for the brief, nlp over both texts, prototype from the analysis.
//
// Usage: `import { benchJobs } from "./bench-jobs.mjs"; await benchJobs({ apiUrl })`,
// or `node scripts/bench-jobs.mjs http://127.0.0.1:8787` against a running `npm run dev`.

import { writePdf } from "../shared/test/ai-fixtures/pdf.ts";
import { devAdmin } from "./create-admin.mjs";

const FINISHED = new Set(["completed", "failed", "cancelled"]);
const TEXT =
  "We run three physiotherapy clinics and book every appointment by phone. We need an online booking website " +
  "where patients choose a clinic, a therapist and a time slot, with reminders by SMS and email.";

const BRIEF = writePdf(
  [[{ text: "Project brief", size: 18 }, { text: "Patients book online and get a reminder the day before.", size: 11 }]],
  { title: "Project brief", author: "Bench Client", created: new Date("2026-11-01T00:00:00Z") },
);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const round = (n) => Math.round(n * 10) / 10;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

async function json(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * The ops headers of a run: an admin's access token (the development admin unless told), signed in again once it is
 * 10 minutes old since it lives 15; from an address of its own, so the sign-in counts against no client's limit.
 */
function adminSession(apiUrl, admin) {
  let current;
  return async () => {
    if (!current || Date.now() - current.at > 10 * 60_000) {
      const { accessToken } = await json(`${apiUrl}/api/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "10.76.0.1" },
        body: JSON.stringify(admin),
      });
      current = { at: Date.now(), headers: { authorization: `Bearer ${accessToken}` } };
    }
    return current.headers;
  };
}

/**
 * @param {{ apiUrl: string, siteUrl?: string, count?: number, timeoutMs?: number, admin?: { email: string, password: string }, log?: (line: string) => void }} opts
 * apiUrl: the gateway (what is measured); siteUrl is accepted for symmetry with the other benchmarks and not needed.
 */
export async function benchJobs({ apiUrl, count = 200, timeoutMs = 300_000, admin = devAdmin(), log = console.log }) {
  const opsHeaders = adminSession(apiUrl, admin);
  // Signed in before the clock starts: the sign-in's PBKDF2 is no part of what is measured.
  await opsHeaders();
  const t0 = Date.now();
  // All at once, each from its own client address (which it keeps for its polls) so per-client rate limits do not apply.
  const submitted = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const client = { "cf-connecting-ip": `10.77.${(i >> 8) & 255}.${i & 255}` };
      const form = new FormData();
      form.append("name", "Bench Client");
      form.append("email", `bench${i}@example.com`);
      form.append("text", TEXT);
      form.append("files", new File([BRIEF], "brief.pdf", { type: "application/pdf" }));
      return json(`${apiUrl}/api/requests`, { method: "POST", headers: client, body: form }).then((r) => ({ ...r, client, submittedAt: Date.now() }));
    }),
  );
  const submitMs = Date.now() - t0;

  // Wait for every request's final event in the audit trail: three ops queries a second, not a poll per request,
  // so the benchmark does not spend the platform's one thread on asking (a status poll costs a submission's worth).
  const ids = new Set(submitted.map((s) => s.id));
  const finished = new Set();
  const deadline = t0 + timeoutMs;
  while (finished.size < ids.size && Date.now() < deadline) {
    await sleep(1_000);
    for (const type of ["request.completed", "request.failed", "request.cancelled"]) {
      const { events } = await json(`${apiUrl}/api/ops/events?type=${type}&limit=500`, { headers: await opsHeaders() });
      for (const e of events) if (ids.has(e.correlationId)) finished.add(e.correlationId);
    }
  }
  const views = new Map();
  await pool(submitted.filter((s) => finished.has(s.id)), 16, async (s) => views.set(s.id, await json(`${apiUrl}${s.statusUrl}`, { headers: s.client })));

  const jobs = await pool(submitted.filter((s) => views.has(s.id)), 16, async (s) => json(`${apiUrl}/api/ops/jobs/${s.id}`, { headers: { ...(await opsHeaders()), ...s.client } }));
  const rows = jobs.map((job) => {
    const view = views.get(job.requestId);
    const s = submitted.find((x) => x.id === job.requestId);
    const tasks = job.tasks.length;
    const aiMs = (view?.result?.tasks ?? []).reduce((sum, t) => sum + (t?.provenance?.durationMs ?? 0), 0);
    const jobMs = Date.parse(job.finishedAt) - Date.parse(job.startedAt);
    // Where a task's time went, for tasks that ran once: waiting in the ai-tasks queue (dispatch → pick-up), and
    // from pick-up to its answer (the ai worker's run, plus fetching its input and storing and reporting its result).
    const once = job.tasks.filter((t) => t.attempt === 1 && t.pickedAt && t.startedAt && t.finishedAt);
    const queuedMs = once.reduce((n, t) => n + (Date.parse(t.pickedAt) - Date.parse(t.startedAt)), 0);
    const answeredMs = once.reduce((n, t) => n + (Date.parse(t.finishedAt) - Date.parse(t.pickedAt)), 0);
    return {
      status: job.status,
      tasks,
      jobMs,
      aiMs,
      queuedMs,
      answeredMs,
      measuredTasks: once.length,
      finishedAt: Date.parse(job.finishedAt),
      // From submission: adds intake, the outbox relay, the orchestrator queue and the wait in line for a job slot.
      endToEndMs: Date.parse(job.finishedAt) - (s?.submittedAt ?? t0),
      // From the submission's answer to the job's start (JOB_SLOTS): the job's own time, above, counts from there.
      inLineMs: Date.parse(job.startedAt) - (s?.submittedAt ?? t0),
      unsent: job.unsentMessages,
    };
  });

  const totalTasks = rows.reduce((n, r) => n + r.tasks, 0);
  const overheadPerTask = rows.map((r) => (r.jobMs - r.aiMs) / Math.max(1, r.tasks)).sort((a, b) => a - b);
  const e2ePerTask = rows.map((r) => (r.endToEndMs - r.aiMs) / Math.max(1, r.tasks)).sort((a, b) => a - b);
  const completed = rows.filter((r) => r.status === "completed").length;
  const report = {
    requests: count,
    submitMs,
    tasksPerRequest: [...new Set(rows.map((r) => r.tasks))].sort(),
    allFinishedMs: rows.length ? Math.max(...rows.map((r) => r.finishedAt)) - t0 : NaN,
    completed,
    failed: rows.filter((r) => r.status === "failed").length,
    // Lost: submitted and never finished within the time limit, or finished with messages still unsent.
    lost: count - rows.length + rows.filter((r) => r.unsent > 0).length,
    overheadPerTaskMs: {
      mean: round(rows.reduce((n, r) => n + (r.jobMs - r.aiMs), 0) / Math.max(1, totalTasks)),
      p50: round(percentile(overheadPerTask, 50)),
      p95: round(percentile(overheadPerTask, 95)),
    },
    endToEndPerTaskMs: { p50: round(percentile(e2ePerTask, 50)), p95: round(percentile(e2ePerTask, 95)) },
    inLineMs: (() => {
      const waits = rows.map((r) => r.inLineMs).sort((a, b) => a - b);
      return { p50: round(percentile(waits, 50)), max: round(waits.at(-1) ?? NaN) };
    })(),
    // Mean per task: in the ai-tasks queue; from pick-up to answer less the ai's own time (input, storing, report);
    // and the rest of the job's time (the object's own steps between tasks: dispatch, its outbox, the hops back).
    overheadBreakdownMs: (() => {
      const measured = rows.reduce((n, r) => n + r.measuredTasks, 0) || 1;
      const queued = rows.reduce((n, r) => n + r.queuedMs, 0) / measured;
      const around = (rows.reduce((n, r) => n + r.answeredMs, 0) - rows.reduce((n, r) => n + r.aiMs, 0)) / measured;
      const perTask = rows.reduce((n, r) => n + (r.jobMs - r.aiMs), 0) / Math.max(1, totalTasks);
      return { inQueue: round(queued), aroundTheRun: round(around), betweenTasks: round(perTask - queued - around) };
    })(),
    aiMsTotal: rows.reduce((n, r) => n + r.aiMs, 0),
    targetMs: 100,
  };
  report.pass = report.lost === 0 && report.completed === count && report.overheadPerTaskMs.mean < report.targetMs;
  log(
    `jobs: ${count} requests (${report.tasksPerRequest.join("/")} task(s) each), all finished in ${report.allFinishedMs} ms; ` +
      `overhead per task mean ${report.overheadPerTaskMs.mean} ms (p50 ${report.overheadPerTaskMs.p50}, p95 ${report.overheadPerTaskMs.p95}); ` +
      `in line for a job slot p50 ${report.inLineMs.p50} ms, max ${report.inLineMs.max}; ` +
      `completed ${completed}, lost ${report.lost}; target < ${report.targetMs} ms: ${report.pass ? "met" : "NOT met"}`,
  );
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const apiUrl = process.argv[2] ?? "http://127.0.0.1:8787";
  console.log(JSON.stringify(await benchJobs({ apiUrl, count: Number(process.env.BENCH_JOBS ?? 200) }), null, 2));
}
