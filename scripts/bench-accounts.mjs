// The accounts benchmark (issue #15), as `npm run bench` reports it:
//  - sign-in (POST /api/sessions) and refresh (POST /api/sessions/refresh, one client's chain, each token spent by
//    the next call), one after the other in turns; a sign-in's own work is the password's PBKDF2-SHA256 at 100,000
//    iterations, so that derivation is timed alone too (identity's own `pbkdf2`, in workerd and in Node's WebCrypto);
//  - GET /api/me/requests for a user with 10,000 requests in D1 (among as many of other accounts), the first page
//    and one 5,000 requests deep, at 1 and 10 clients; and the plan SQLite makes for the dashboard's query
//    (EXPLAIN QUERY PLAN of the SQL the route sends, captured by running the route's own code);
//  - the access token verified at the gateway against the session lookup over RPC it replaced, side by side in one
//    workerd (bench/auth + bench/sessions), in alternating rounds since the machine's speed drifts; and one
//    verification's own cost (a request verifying the token 100 times against one that does nothing); and in the
//    same turns what an API key's check costs a request at the gateway (its RPC to identity's lookup in D1) above none.
// gateway + identity run in their own `wrangler dev` on their own state, nothing else running; the seed goes into
// D1 through `wrangler d1 execute` before they start. Each sign-in and each GET comes from a new client address
// (`cf-connecting-ip`), so the gateway's per-address limits (30 sign-ins a minute) never answer instead of the route.
// Exported for `npm run bench`; runnable alone: `npx node scripts/bench-accounts.mjs` prints the figures as JSON.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { devSecretValue } from "../infra/topology.mjs";
import { importWorkerCode } from "../local/worker-code.mjs";
import { startWorkers, stopWorkers, wranglerBin } from "./bench-workers.mjs";
import { checkNode, root } from "./platform.mjs";

/** Ports no other part of the benchmark uses (the platform 28787–28790, the floor 28800, the submission path 28810). */
const API_PORT = 28820;
const AUTH_PORT = 28830;
const EMAIL = "bench-accounts@example.com";
const PASSWORD = "a long bench passphrase nobody guesses";
const PAGE_LIMIT = 20; // the dashboard's default page, as the site asks for it

const ms = (v) => `${v.toFixed(2)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Nearest rank: with 30 samples, p99 is the slowest. */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function summary(times) {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), min: s[0], max: s.at(-1) };
}

let ip = 0;
/** A new client address per request (from a range bench.mjs does not use), as real traffic would come. */
function nextIp() {
  ip++;
  return `10.${200 + ((ip >> 16) & 31)}.${(ip >> 8) & 255}.${ip & 255}`;
}

function loadCode(dir) {
  return importWorkerCode(
    [
      'export { hashPassword, pbkdf2, ITERATIONS } from "./workers/identity/src/passwords.ts";',
      'export { dashboardRoutes } from "./workers/identity/src/routes/dashboard.ts";',
      'export { newId } from "./shared/src/ids.ts";',
      'export { USER_ID_HEADER, USER_ROLE_HEADER } from "./shared/src/auth.ts";',
    ].join("\n"),
    path.join(dir, "accounts-bench.mjs"),
  );
}

const sqlText = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

/** Inserts of `rows` (arrays in `columns` order), a hundred rows a statement (D1 caps a statement's size). */
function inserts(table, columns, rows) {
  const out = [];
  for (let i = 0; i < rows.length; i += 100) {
    const values = rows.slice(i, i + 100).map((r) => `(${r.map(sqlText).join(", ")})`);
    out.push(`INSERT INTO ${table} (${columns.join(", ")}) VALUES\n${values.join(",\n")};`);
  }
  return out;
}

const TEXTS = [
  "We need a booking website for our three clinics, with reminders by email and a dashboard for staff.",
  "Please build an online shop for handmade ceramics: about forty products, card payments, shipping within the EU, and a small blog for studio news.",
  "Our logistics company wants a portal where customers track shipments, download invoices and open support tickets; it must talk to our existing ERP over its REST API and keep an audit log of every change.",
];

/** The seed: one verified user with `own` requests (a job each), and `others` requests of a hundred other accounts. */
async function seedSql(code, { own, others }) {
  const now = Date.now();
  const userId = code.newId("usr", now - 400 * 86_400_000);
  const passwordHash = await code.hashPassword({ PASSWORD_PEPPER: devSecretValue("PASSWORD_PEPPER") }, PASSWORD);
  const verifiedAt = new Date(now - 399 * 86_400_000).toISOString();
  const otherUsers = Array.from({ length: 100 }, (_, i) => code.newId("usr", now - 300 * 86_400_000 + i));
  const requests = [];
  const jobs = [];
  // One request a minute going back, the user's and the others' interleaved, so the index has to tell them apart.
  let ownSoFar = 0;
  for (let i = 0; i < own + others; i++) {
    const at = now - (i + 1) * 60_000;
    const mine = ownSoFar < own && (i * own) / (own + others) >= ownSoFar;
    if (mine) ownSoFar++;
    const id = code.newId("req", at);
    const createdAt = new Date(at).toISOString();
    const text = `${TEXTS[i % TEXTS.length]} (request ${i})`;
    requests.push([id, "web", mine ? "Bench Accounts" : "Someone Else", mine ? EMAIL : `other${i % 100}@example.com`, text, mine ? userId : otherUsers[i % 100], createdAt]);
    if (mine) jobs.push([id, i % 10 === 0 ? "failed" : "completed", "[]", createdAt, createdAt, createdAt]);
  }
  const ownCount = requests.filter((r) => r[5] === userId).length;
  if (ownCount !== own) throw new Error(`seeded ${ownCount} of the user's requests, not ${own}`);
  const sql = [
    ...inserts("users", ["id", "email", "name", "password_hash", "role", "email_verified_at", "created_at"], [[userId, EMAIL, "Bench Accounts", passwordHash, "client", verifiedAt, verifiedAt]]),
    ...inserts("requests", ["id", "channel", "name", "email", "text", "user_id", "created_at"], requests),
    ...inserts("jobs", ["request_id", "status", "steps", "created_at", "updated_at", "completed_at"], jobs),
  ].join("\n");
  return { sql, userId };
}

function d1(state, args) {
  return execFileSync(process.execPath, [wranglerBin, "d1", ...args, "--local", "-c", "workers/identity/wrangler.toml", "--persist-to", state], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * The statement the dashboard's route sends to D1 for a page, with its parameters: the route's own code run in Node
 * against a D1 that only records, so the plan shown is of the query as it is, not of a copy.
 */
async function dashboardStatement(code, userId, cursor) {
  const recorded = [];
  const prepare = (sql) => {
    const entry = { sql, params: [] };
    recorded.push(entry);
    const stmt = {
      bind: (...params) => ((entry.params = params), stmt),
      all: async () => ({ results: [], success: true, meta: {} }),
      raw: async () => [],
      first: async () => null,
      run: async () => ({ results: [], success: true, meta: {} }),
    };
    return stmt;
  };
  const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  const res = await code.dashboardRoutes.request(`/${query}`, { headers: { [code.USER_ID_HEADER]: userId, [code.USER_ROLE_HEADER]: "client" } }, { DB: { prepare } });
  if (res.status !== 200 || recorded.length !== 1) throw new Error(`the dashboard's route answered ${res.status} with ${recorded.length} statements`);
  return recorded[0];
}

/** EXPLAIN QUERY PLAN of a statement in the local D1 (workerd's SQLite), as the sqlite3 shell draws it. */
function queryPlan(state, { sql, params }) {
  let i = 0;
  const inlined = sql.replace(/\?/g, () => sqlText(params[i++]));
  const [answer] = JSON.parse(d1(state, ["execute", "statex", "--json", "--command", `EXPLAIN QUERY PLAN ${inlined}`]));
  const rows = answer.results;
  const depth = (row) => {
    let d = 0;
    for (let p = row.parent; p; p = rows.find((r) => r.id === p)?.parent) d++;
    return d;
  };
  return rows.map((r) => `${"  ".repeat(depth(r))}${r.detail}`);
}

async function post(url, body, headers = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const json = await res.json();
  return { status: res.status, json };
}

async function signIn(apiUrl) {
  const res = await post(`${apiUrl}/api/sessions`, { email: EMAIL, password: PASSWORD }, { "cf-connecting-ip": nextIp() });
  if (res.status !== 201) throw new Error(`sign-in answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

async function refresh(apiUrl, refreshToken, clientIp) {
  const res = await post(`${apiUrl}/api/sessions/refresh`, { refreshToken }, { "cf-connecting-ip": clientIp });
  if (res.status !== 200) throw new Error(`refresh answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

/**
 * Times each of `fns` (name → call) `n` times in a row, in turns (one call of each, then the next turn), after
 * `warm` turns that are not counted: calls that are compared see the same moments of a machine whose speed drifts.
 * `n` may be a number per name; a name whose count is reached sits out the remaining turns.
 */
async function interleaved(fns, n, warm = 3) {
  const count = (name) => (typeof n === "number" ? n : n[name]);
  const times = Object.fromEntries(Object.keys(fns).map((name) => [name, []]));
  const turns = Math.max(...Object.keys(fns).map(count));
  for (let i = 0; i < warm + turns; i++) {
    for (const [name, fn] of Object.entries(fns)) {
      if (i >= warm + count(name)) continue;
      const started = performance.now();
      await fn();
      if (i >= warm) times[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, summary(t)]));
}

/**
 * One autocannon round of GETs. Latencies are taken from each response (float ms): autocannon's own histogram
 * keeps whole milliseconds, coarser than the differences measured here.
 */
async function load(url, connections, amount, headers) {
  const times = [];
  const instance = autocannon({
    url,
    connections,
    amount,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, "cf-connecting-ip": nextIp() } }) }],
  });
  const started = performance.now();
  let lastAt = started;
  instance.on("response", (_client, status, _bytes, responseTime) => {
    lastAt = performance.now();
    if (status >= 200 && status < 300) times.push(responseTime);
  });
  const r = await instance;
  const failed = r.non2xx + r.errors;
  if (failed) throw new Error(`${url}: ${failed} of ${r.requests.total} requests failed`);
  const s = summary(times);
  // Requests over the time to the last answer: autocannon ends a round (and its duration) at its next whole-second
  // tick, and its per-second average counts that idle remainder too.
  return { p50: s.p50, p99: s.p99, rps: times.length / ((lastAt - started) / 1000) };
}

const AMOUNT = { 1: 400, 10: 1500 };
/** The side by side's rounds are longer: the differences it measures are smaller. */
const CHECK_AMOUNT = { 1: 1000, 10: 2500 };
/** Verifications per request of the JWT route's `?repeat=`, so one verification's cost stands above a request's jitter. */
const REPEAT = 100;

/**
 * The dashboard's GET, the first page and one 5,000 deep, at 1 and 10 clients: `rounds` rounds, each taking every
 * case in turn (so a drift of the machine's speed falls on all alike); medians of the rounds, and the rounds' p50s.
 */
async function dashboardLoad(apiUrl, accessToken, cursor, rounds) {
  const headers = { authorization: `Bearer ${accessToken}` };
  const pages = { first: `${apiUrl}/api/me/requests`, deep: `${apiUrl}/api/me/requests?cursor=${encodeURIComponent(cursor)}` };
  for (const url of Object.values(pages)) await load(url, 1, 100, headers); // warm-up
  const cases = [1, 10].flatMap((clients) => Object.keys(pages).map((page) => ({ page, clients, runs: [] })));
  for (let i = 0; i < rounds; i++) for (const k of cases) k.runs.push(await load(pages[k.page], k.clients, AMOUNT[k.clients], headers));
  return cases.map(({ page, clients, runs }) => ({
    page,
    clients,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    rps: median(runs.map((r) => r.rps)),
    roundsP50: runs.map((r) => r.p50),
  }));
}

/** Every page of the user's requests through the API (50 at a time): their count, and the cursor 5,000 deep. */
async function walkPages(apiUrl, accessToken, depth) {
  let cursor = null;
  let count = 0;
  let deepCursor = null;
  do {
    const res = await fetch(`${apiUrl}/api/me/requests?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
      headers: { authorization: `Bearer ${accessToken}`, "cf-connecting-ip": nextIp() },
    });
    if (res.status !== 200) throw new Error(`GET /api/me/requests answered ${res.status}`);
    const page = await res.json();
    count += page.items.length;
    cursor = page.nextCursor;
    if (count === depth) deepCursor = cursor;
  } while (cursor);
  return { count, deepCursor };
}

/**
 * The access token's check against the session lookup it replaced, in one workerd (bench/auth + bench/sessions) on
 * the accounts' state: /jwt verifies the user's access token with the gateway's own code, /rpc looks the user's live
 * refresh token up over RPC as identity looked a session token up, /key checks an API key of the user as the gateway
 * does (its `verifyApiKey`, over RPC to identity's lookup), /none does none of them. Taken in turns, `pairs` times at
 * each concurrency (the order flipped every other turn); the figures are medians over the turns.
 */
async function sideBySide(state, { accessToken, refreshToken, spentToken, apiKey }, { pairs, signIns }) {
  const base = `http://127.0.0.1:${AUTH_PORT}`;
  const child = await startWorkers(state, ["bench/auth/wrangler.toml", "bench/sessions/wrangler.toml"], AUTH_PORT, async () => (await fetch(`${base}/none`)).ok);
  try {
    const as = (token) => ({ authorization: `Bearer ${token}` });
    // Both checks name the same user, and both refuse what they should: the lookup is real, not a constant answer.
    const jwt = await (await fetch(`${base}/jwt`, { headers: as(accessToken) })).json();
    const rpc = await (await fetch(`${base}/rpc`, { headers: as(refreshToken) })).json();
    const key = await (await fetch(`${base}/key`, { headers: as(apiKey) })).json();
    if (!jwt.userId || jwt.userId !== rpc.userId || jwt.userId !== key.userId) throw new Error(`the checks disagree: ${JSON.stringify({ jwt, rpc, key })}`);
    const refusals = [
      (await fetch(`${base}/rpc`, { headers: as(spentToken) })).status,
      (await fetch(`${base}/jwt`, { headers: as(`${accessToken.slice(0, -4)}AAAA`) })).status,
      (await fetch(`${base}/key`, { headers: as(`${apiKey.slice(0, -4)}AAAA`) })).status,
    ];
    if (refusals.some((s) => s !== 401)) throw new Error(`a spent session token, a forged signature or an unknown API key was not refused: ${refusals}`);
    // PBKDF2 as identity runs it, in workerd: a request that derives once against one that does nothing.
    const get = (p) => async () => {
      if (!(await fetch(`${base}${p}`)).ok) throw new Error(`${p} failed`);
    };
    // And one verification of the access token: a request verifying it REPEAT times against one that does nothing.
    const auth = { authorization: `Bearer ${accessToken}` };
    const perOp = await interleaved({
      none: get("/none"),
      pbkdf2: get("/pbkdf2"),
      jwtRepeated: async () => {
        if (!(await fetch(`${base}/jwt?repeat=${REPEAT}`, { headers: auth })).ok) throw new Error("/jwt?repeat failed");
      },
    }, signIns);
    const pbkdf2 = { withHash: perOp.pbkdf2, without: perOp.none, p50: perOp.pbkdf2.p50 - perOp.none.p50 };
    const jwtVerify = { repeat: REPEAT, request: perOp.jwtRepeated, without: perOp.none, p50: (perOp.jwtRepeated.p50 - perOp.none.p50) / REPEAT };
    const sides = {
      none: { url: `${base}/none`, headers: {} },
      jwt: { url: `${base}/jwt`, headers: as(accessToken) },
      rpc: { url: `${base}/rpc`, headers: as(refreshToken) },
      key: { url: `${base}/key`, headers: as(apiKey) },
    };
    for (const s of Object.values(sides)) await load(s.url, 1, 200, s.headers); // warm-up
    const rows = [];
    for (const c of [1, 10]) {
      const turns = [];
      for (let i = 0; i < pairs; i++) {
        const order = i % 2 ? ["key", "rpc", "jwt", "none"] : ["none", "jwt", "rpc", "key"];
        const turn = {};
        for (const side of order) turn[side] = await load(sides[side].url, c, CHECK_AMOUNT[c], sides[side].headers);
        turns.push(turn);
      }
      const med = (side, key) => median(turns.map((t) => t[side][key]));
      rows.push({
        clients: c,
        none: { p50: med("none", "p50"), p99: med("none", "p99"), rps: med("none", "rps") },
        jwt: { p50: med("jwt", "p50"), p99: med("jwt", "p99"), rps: med("jwt", "rps") },
        rpc: { p50: med("rpc", "p50"), p99: med("rpc", "p99"), rps: med("rpc", "rps") },
        key: { p50: med("key", "p50"), p99: med("key", "p99"), rps: med("key", "rps") },
        // Per turn, so a drift between turns cancels out; then the median over the turns.
        rpcMinusJwtP50: median(turns.map((t) => t.rpc.p50 - t.jwt.p50)),
        rpcMinusJwtP99: median(turns.map((t) => t.rpc.p99 - t.jwt.p99)),
        jwtAboveNoneP50: median(turns.map((t) => t.jwt.p50 - t.none.p50)),
        rpcAboveNoneP50: median(turns.map((t) => t.rpc.p50 - t.none.p50)),
        // With 10 clients the one workerd thread is never idle, so 1/throughput is its time per request.
        rpcMinusJwtThreadMs: median(turns.map((t) => 1000 / t.rpc.rps - 1000 / t.jwt.rps)),
        turnsRpcMinusJwtP50: turns.map((t) => t.rpc.p50 - t.jwt.p50),
        // What an API key's check adds to a request, against none in the same turn.
        keyAboveNoneP50: median(turns.map((t) => t.key.p50 - t.none.p50)),
        keyAboveNoneP99: median(turns.map((t) => t.key.p99 - t.none.p99)),
        keyThreadMs: median(turns.map((t) => 1000 / t.key.rps - 1000 / t.none.rps)),
        turnsKeyAboveNoneP50: turns.map((t) => t.key.p50 - t.none.p50),
      });
    }
    return { pbkdf2, jwtVerify, rows };
  } finally {
    await stopWorkers(child);
  }
}

/**
 * Runs every accounts measure and returns the figures. `stateDir` is the benchmark's; this part uses its own
 * `accounts` folder in it.
 */
export async function benchAccounts({
  stateDir = path.join(root, ".tmp", "bench-state"),
  own = 10_000,
  others = 10_000,
  signIns = 30,
  refreshes = 50,
  rounds = 3,
  pairs = Number(process.env.BENCH_PAIRS ?? 5),
  log = console.log,
} = {}) {
  checkNode();
  const state = path.join(stateDir, "accounts");
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const code = await loadCode(path.join(state, "code"));

  log("accounts: seeding D1…");
  d1(state, ["migrations", "apply", "statex"]);
  const seed = await seedSql(code, { own, others });
  const seedFile = path.join(state, "seed.sql");
  writeFileSync(seedFile, seed.sql);
  d1(state, ["execute", "statex", "--file", seedFile]);
  const [counted] = JSON.parse(d1(state, ["execute", "statex", "--json", "--command", `SELECT (SELECT count(*) FROM requests WHERE user_id = ${sqlText(seed.userId)}) AS own, (SELECT count(*) FROM requests) AS total`])).map((a) => a.results[0]);

  log("accounts: PBKDF2 alone in Node…");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const input = crypto.getRandomValues(new Uint8Array(32));
  const { pbkdf2Node } = await interleaved({ pbkdf2Node: () => code.pbkdf2(input, salt, code.ITERATIONS) }, signIns);

  log("accounts: gateway + identity…");
  const apiUrl = `http://127.0.0.1:${API_PORT}`;
  const api = await startWorkers(state, ["wrangler.toml", "workers/identity/wrangler.toml"], API_PORT, async () => (await fetch(`${apiUrl}/api/.well-known/jwks.json`)).ok);
  let tokens;
  let figures;
  try {
    // Sign-ins and refreshes in turns, so their difference is of the routes, not of the moment. The refreshes are
    // one client's chain: each spends the token the one before handed out.
    const clientIp = nextIp();
    let pair = await signIn(apiUrl);
    const timed = await interleaved(
      { signIn: () => signIn(apiUrl), refresh: async () => (pair = await refresh(apiUrl, pair.refreshToken, clientIp)) },
      { signIn: signIns, refresh: refreshes },
    );
    const walked = await walkPages(apiUrl, pair.accessToken, own / 2);
    if (walked.count !== own) throw new Error(`the dashboard lists ${walked.count} requests, not ${own}`);
    const first = await dashboardStatement(code, seed.userId, null);
    const deep = await dashboardStatement(code, seed.userId, walked.deepCursor);
    const plans = { first: queryPlan(state, first), deep: queryPlan(state, deep) };
    log("accounts: GET /api/me/requests…");
    const dashboard = await dashboardLoad(apiUrl, pair.accessToken, walked.deepCursor, rounds);
    // A fresh pair for the side by side (the access token lives 15 minutes), and the token it spent, which must be refused.
    const spentToken = pair.refreshToken;
    tokens = { ...(await refresh(apiUrl, pair.refreshToken, clientIp)), spentToken };
    // An API key of the same user, made as a client makes one, for the key's side of the side by side.
    const created = await post(`${apiUrl}/api/me/api-keys`, { name: "bench", scopes: ["requests:read"] }, { authorization: `Bearer ${tokens.accessToken}`, "cf-connecting-ip": nextIp() });
    if (created.status !== 201) throw new Error(`creating an API key answered ${created.status}`);
    tokens.apiKey = created.json.key;
    figures = {
      seeded: counted,
      signIn: timed.signIn,
      pbkdf2Node,
      refresh: timed.refresh,
      dashboard,
      query: { sql: first.sql, plan: plans.first, deepPagePlan: plans.deep, usesIndex: plans.first.some((l) => /USING (COVERING )?INDEX requests_user\b/.test(l)) },
    };
  } finally {
    await stopWorkers(api);
  }
  log("accounts: the access token's check against the session lookup over RPC…");
  const { pbkdf2, jwtVerify, rows } = await sideBySide(state, tokens, { pairs, signIns });
  return { ...figures, pbkdf2Workerd: pbkdf2, jwtVerify, check: rows };
}

/** The figures as the README's tables read them. */
export function printAccounts(f, log = console.log) {
  const hashInWorkerd = f.pbkdf2Workerd.p50;
  log(`\naccounts (gateway + identity on their own; D1 holds ${f.seeded.own} of the user's requests among ${f.seeded.total}):`);
  log(`  sign-in, ${f.signIn.n} in a row:  p50 ${ms(f.signIn.p50)}, p99 ${ms(f.signIn.p99)} (min ${ms(f.signIn.min)})`);
  log(`  PBKDF2-SHA256, 100,000 iterations, in workerd: a request deriving once p50 ${ms(f.pbkdf2Workerd.withHash.p50)} against ${ms(f.pbkdf2Workerd.without.p50)} ` +
    `without: ${ms(hashInWorkerd)}, ${((hashInWorkerd / f.signIn.p50) * 100).toFixed(0)}% of a sign-in's p50`);
  log(`  the same derivation alone in Node's WebCrypto: p50 ${ms(f.pbkdf2Node.p50)}, p99 ${ms(f.pbkdf2Node.p99)}`);
  log(`  refresh, a chain of ${f.refresh.n} (in turns with the sign-ins):  p50 ${ms(f.refresh.p50)}, p99 ${ms(f.refresh.p99)}`);
  log("  GET /api/me/requests (20 a page):");
  for (const r of f.dashboard) {
    log(`    ${r.page === "first" ? "first page" : "5,000 deep"}, ${String(r.clients).padStart(2)} client(s): p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, ${Math.round(r.rps)} req/s (rounds' p50 ${r.roundsP50.map((v) => v.toFixed(2)).join(" ")})`);
  }
  log(`  the dashboard's query plan (index requests_user ${f.query.usesIndex ? "used" : "NOT used"}):`);
  for (const line of f.query.plan) log(`    ${line}`);
  log("  a later page (keyset cursor):");
  for (const line of f.query.deepPagePlan) log(`    ${line}`);
  log("  who calls, per request: the access token verified in the gateway vs the session looked up over RPC (medians of turns):");
  const cell = (v) => `${ms(v.p50)} / ${ms(v.p99)}`.padEnd(22);
  log(`  clients | ${"none p50 / p99".padEnd(22)}| ${"JWT p50 / p99".padEnd(22)}| ${"RPC + D1 p50 / p99".padEnd(22)}| RPC − JWT p50 (each turn)`);
  for (const r of f.check) {
    log(`  ${String(r.clients).padStart(7)} | ${cell(r.none)}| ${cell(r.jwt)}| ${cell(r.rpc)}| ${ms(r.rpcMinusJwtP50)} (${r.turnsRpcMinusJwtP50.map((v) => v.toFixed(2)).join(" ")})`);
  }
  for (const r of f.check) log(`  above /none at ${r.clients} client(s), p50: JWT ${ms(r.jwtAboveNoneP50)}, RPC + D1 ${ms(r.rpcAboveNoneP50)}; workerd thread time, RPC − JWT: ${ms(r.rpcMinusJwtThreadMs)} a request`);
  log("  an API key checked as the gateway checks one (RPC to identity's lookup in D1), against no check (medians of turns):");
  for (const r of f.check) {
    log(`  ${String(r.clients).padStart(7)} | key ${cell(r.key)}| none ${cell(r.none)}| key − none p50 ${ms(r.keyAboveNoneP50)} (${r.turnsKeyAboveNoneP50.map((v) => v.toFixed(2)).join(" ")}), p99 ${ms(r.keyAboveNoneP99)}; thread ${ms(r.keyThreadMs)} a request`);
  }
  log(`  one verification of the access token (a request verifying it ${f.jwtVerify.repeat} times, p50 ${ms(f.jwtVerify.request.p50)}, against ${ms(f.jwtVerify.without.p50)}): ${ms(f.jwtVerify.p50)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await benchAccounts();
  printAccounts(figures);
  console.log(JSON.stringify(figures, null, 2));
}
