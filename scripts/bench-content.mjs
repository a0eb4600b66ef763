// The public site's benchmark (issue #17), as `npm run bench` reports it:
//  - a published page viewed from the edge cache (GET /api/site/<slug>, a HIT) against the floor, a bare worker
//    answering a static page (bench/page-floor), at 1 and 10 clients, in turns (the machine's speed drifts);
//  - the same kind of page with the cache cold: every view of a page nobody viewed before, so each one reads D1,
//    wraps the page in the site's layout and stores it (a MISS);
//  - search (GET /api/search) over 10,000 published pages and posts: words, prefixes and phrases;
//  - from a publish to its new text served: the page viewed (cached), a new version saved, then the time from the
//    publish call to the first view that shows the new text.
// gateway + identity + content run in their own `wrangler dev` on their own state, nothing else running; the 10,000
// pages go into D1 with `wrangler d1 execute` before they start, written as publishing writes them (the source as a
// version, its rendering by the platform's renderer, its row in the search index). Views are measured at the gateway,
// which is what the site's Pages Functions forward /p/<slug> to. Each request comes from a new client address
// (`cf-connecting-ip`), so the gateway's per-address limit never answers instead of the route.
// Exported for `npm run bench`; runnable alone: `npx node scripts/bench-content.mjs` prints the figures as JSON.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { importWorkerCode } from "../local/worker-code.mjs";
import { startWorkers, stopWorkers, wranglerBin } from "./bench-workers.mjs";
import { seedDevAdmin } from "./create-admin.mjs";
import { checkNode, root } from "./platform.mjs";

/** Ports no other part of the benchmark uses (the platform 28787–28790, floor 28800, path 28810, accounts 28820–28830). */
const API_PORT = 28860;
const FLOOR_PORT = 28870;

const ms = (v) => `${v.toFixed(2)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Nearest rank: with 100 samples, p99 is the second slowest. */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function summary(times) {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), min: s[0], max: s.at(-1) };
}

let ip = 0;
/** A new client address per request, from a range the other parts do not use. */
function nextIp() {
  ip++;
  return `10.${232 + ((ip >> 16) & 15)}.${(ip >> 8) & 255}.${ip & 255}`;
}

// ---------------------------------------------------------------------------------------------- the 10,000 pages

const WORDS = (
  "edge cache worker request latency booking clinic reminder dashboard invoice shipment portal ticket audit " +
  "payment checkout catalogue ceramics studio logistics customer support analytics report export import " +
  "migration database index query schema backup restore deploy release pipeline queue event stream webhook " +
  "token session password account role permission privacy consent email message channel notification " +
  "template draft review publish schedule feed sitemap search ranking snippet phrase prefix stemming language " +
  "english german translation glossary onboarding pricing estimate scope milestone roadmap prototype design " +
  "accessibility performance budget image upload resize thumbnail gallery video audio transcript summary " +
  "keyword topic category tag author editor reader visitor traffic conversion funnel landing newsletter"
).split(" ");
const TAGS = Array.from({ length: 40 }, (_, i) => `${WORDS[(i * 7) % WORDS.length]}-${WORDS[(i * 13 + 5) % WORDS.length]}`);

/** A small deterministic generator (mulberry32), so every run seeds the same pages. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The pages' vocabulary as text has one: the words above first, then made-up words to 5,000, drawn by Zipf's law
 * (the word of rank r about as often as 1/r), so a common word is on most pages and a rare one on a few, as in a
 * real site, and a search's cost depends on how many pages its words are on (each query's count is reported).
 */
const SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu".split(" ");
const VOCABULARY = [...WORDS];
for (let i = 0; VOCABULARY.length < 5_000; i++) {
  VOCABULARY.push([i % 47, Math.floor(i / 47) % 47, Math.floor(i / 2209) % 47].map((k, j) => (j < 2 || k ? SYLLABLES[k % SYLLABLES.length] : "")).join("") + "n");
}
const ZIPF_CDF = (() => {
  const weights = VOCABULARY.map((_, r) => 1 / (r + 1) ** 1.05);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
})();

function word(next) {
  const x = next();
  let lo = 0;
  let hi = ZIPF_CDF.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ZIPF_CDF[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return VOCABULARY[lo];
}

function sentence(next, words) {
  const out = Array.from({ length: words }, () => word(next));
  return `${out[0][0].toUpperCase()}${out.join(" ").slice(1)}.`;
}

/** The source of page `i`: front matter and about 180 words of markdown (a heading, paragraphs, a list). */
function pageSource(i, next) {
  const kind = i % 3 === 0 ? "post" : "page";
  const tags = [TAGS[i % TAGS.length], TAGS[(i * 7 + 3) % TAGS.length]];
  const title = sentence(next, 5).slice(0, -1);
  const summary = sentence(next, 14);
  const body = [
    `## ${sentence(next, 4).slice(0, -1)}`,
    Array.from({ length: 5 }, () => sentence(next, 12)).join(" "),
    Array.from({ length: 4 }, () => `- ${sentence(next, 6)}`).join("\n"),
    Array.from({ length: 5 }, () => sentence(next, 12)).join(" "),
  ].join("\n\n");
  const front = ["---", `title: ${title}`, `slug: bench-page-${i}`, `summary: ${summary}`, `kind: ${kind}`, `tags: [${tags.join(", ")}]`, "draft: false", "---"];
  return { slug: `bench-page-${i}`, kind, tags, title, summary, body, source: `${front.join("\n")}\n${body}\n` };
}

const sqlText = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

/** Inserts of `rows` (arrays in `columns` order), as many rows a statement as stay under D1's 100 KB statement. */
function inserts(table, columns, rows) {
  const out = [];
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES\n`;
  let values = [];
  let size = head.length;
  for (const r of rows) {
    const value = `(${r.map(sqlText).join(", ")})`;
    if (values.length && size + value.length > 90_000) {
      out.push(`${head}${values.join(",\n")};`);
      values = [];
      size = head.length;
    }
    values.push(value);
    size += value.length + 2;
  }
  if (values.length) out.push(`${head}${values.join(",\n")};`);
  return out;
}

/** The seed's SQL: each page as a version, its publication rendered by the platform's renderer, its search row. */
function seedSql(render, count) {
  const next = random(17);
  const now = Date.now();
  const pages = [];
  const versions = [];
  const publications = [];
  const search = [];
  for (let i = 0; i < count; i++) {
    const p = pageSource(i, next);
    const at = new Date(now - (i + 10) * 60_000).toISOString();
    const { html, text } = render(p.body);
    pages.push([p.slug, p.title, 1, "usr_bench", at]);
    versions.push([p.slug, 1, p.source, p.title, "usr_bench", at]);
    publications.push([p.slug, 1, p.kind, p.title, p.summary, JSON.stringify(p.tags), "en", null, at, null, html, text, at, at, "usr_bench", at]);
    search.push([p.slug, p.title, p.summary, p.tags.join(" "), text]);
  }
  return [
    ...inserts("pages", ["slug", "title", "version", "updated_by", "updated_at"], pages),
    ...inserts("page_versions", ["slug", "version", "body", "title", "created_by", "created_at"], versions),
    ...inserts("page_publications", ["slug", "version", "kind", "title", "summary", "tags", "locale", "author", "date", "hero", "html", "text", "live_at", "published_at", "published_by", "announced_at"], publications),
    ...inserts("page_search", ["slug", "title", "summary", "tags", "body"], search),
  ].join("\n");
}

function d1(state, args) {
  return execFileSync(process.execPath, [wranglerBin, "d1", ...args, "--local", "-c", "workers/content/wrangler.toml", "--persist-to", state], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

// --------------------------------------------------------------------------------------------------- measuring

/**
 * One autocannon round of GETs; `nextPath` gives each request's path (the same one for a cached page, a new one per
 * request for cold views). Latencies from each response (float ms): autocannon's histogram keeps whole milliseconds.
 */
async function load(base, nextPath, connections, amount, status = 200) {
  const times = [];
  const instance = autocannon({
    url: base,
    connections,
    amount,
    // A busy machine's slowest answers are part of what is measured, not failures.
    timeout: 60,
    requests: [{ setupRequest: (req) => ({ ...req, path: nextPath(), headers: { ...req.headers, "cf-connecting-ip": nextIp() } }) }],
  });
  const started = performance.now();
  let lastAt = started;
  const refusals = {};
  instance.on("response", (_client, answered, _bytes, responseTime) => {
    lastAt = performance.now();
    if (answered === status) times.push(responseTime);
    else refusals[answered] = (refusals[answered] ?? 0) + 1;
  });
  instance.on("reqError", (err) => (refusals[err.code ?? err.message] = (refusals[err.code ?? err.message] ?? 0) + 1));
  const r = await instance;
  const failed = amount - times.length;
  if (failed) throw new Error(`${base}: ${failed} of ${r.requests.total} requests failed: ${JSON.stringify(refusals)}`);
  const s = summary(times);
  return { p50: s.p50, p99: s.p99, rps: times.length / ((lastAt - started) / 1000) };
}

async function get(url) {
  const res = await fetch(url, { headers: { "cf-connecting-ip": nextIp() } });
  return { status: res.status, cache: res.headers.get("x-edge-cache"), body: await res.text() };
}

async function call(url, init, token) {
  const res = await fetch(url, { ...init, headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "cf-connecting-ip": nextIp(), ...init.headers } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${init.method} ${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

const AMOUNT = { 1: 500, 10: 2000 };
const COLD = { 1: 300, 10: 1200 };
/** Queries from common to rare words (by their rank in the vocabulary), two words, prefixes and phrases. */
const SEARCHES = [
  ...[0, 3, 20, 60, 150, 600, 2_000, 4_500].map((rank) => VOCABULARY[rank]),
  `${VOCABULARY[1]} ${VOCABULARY[40]}`,
  `${VOCABULARY[8]} ${VOCABULARY[900]}`,
  `${VOCABULARY[5].slice(0, 4)}*`,
  `${VOCABULARY[300].slice(0, 4)}*`,
  `"${VOCABULARY[0]} ${VOCABULARY[1]}"`,
  `"${VOCABULARY[10]} ${VOCABULARY[30]}"`,
];

/** How many of the pages a query's words are on, as FTS5 counts them (words, "phrases" and prefix* as the route reads them). */
function matches(state, q) {
  const fts = [...q.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ? `"${m[1]}"` : m[2].endsWith("*") ? `"${m[2].slice(0, -1)}" *` : `"${m[2]}"`)).join(" ");
  const [answer] = JSON.parse(d1(state, ["execute", "statex", "--json", "--command", `SELECT count(*) AS n FROM page_search WHERE page_search MATCH ${sqlText(fts)}`]));
  return answer.results[0].n;
}

/**
 * Runs every measure of the public site and returns the figures. `stateDir` is the benchmark's; this part uses its
 * own `content` folder in it.
 */
export async function benchContent({ stateDir = path.join(root, ".tmp", "bench-state"), pages = 10_000, pairs = Number(process.env.BENCH_PAIRS ?? 5), publishes = 20, log = console.log } = {}) {
  checkNode();
  const state = path.join(stateDir, "content");
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const code = await importWorkerCode('export { renderMarkdown } from "./shared/src/markdown.ts";', path.join(state, "code", "content-bench.mjs"));

  log(`content: seeding ${pages.toLocaleString("en")} published pages…`);
  d1(state, ["migrations", "apply", "statex"]);
  const seedFile = path.join(state, "seed.sql");
  writeFileSync(seedFile, seedSql((body) => code.renderMarkdown(body), pages));
  d1(state, ["execute", "statex", "--file", seedFile]);
  const [counted] = JSON.parse(d1(state, ["execute", "statex", "--json", "--command", "SELECT (SELECT count(*) FROM page_publications) AS published, (SELECT count(*) FROM page_search) AS indexed"])).map((a) => a.results[0]);
  const queryMatches = Object.fromEntries(SEARCHES.map((q) => [q, matches(state, q)]));
  const admin = await seedDevAdmin({ persistTo: state });

  const apiUrl = `http://127.0.0.1:${API_PORT}`;
  const floorUrl = `http://127.0.0.1:${FLOOR_PORT}`;
  log("content: gateway + identity + content, and the floor…");
  const floor = await startWorkers(path.join(state, "floor"), ["bench/page-floor/wrangler.toml"], FLOOR_PORT, async () => (await fetch(floorUrl)).ok);
  const api = await startWorkers(state, ["wrangler.toml", "workers/identity/wrangler.toml", "workers/content/wrangler.toml"], API_PORT, async () => (await fetch(`${apiUrl}/api/pages/bench-page-1`)).ok);
  try {
    // A cached page: the first view renders and stores it, every later one is a HIT (checked, not assumed).
    const warmPath = "/api/site/bench-page-1";
    const first = await get(`${apiUrl}${warmPath}`);
    const second = await get(`${apiUrl}${warmPath}`);
    if (first.cache !== "MISS" || second.cache !== "HIT" || second.body !== first.body) throw new Error(`the page was not cached: ${first.cache}, then ${second.cache}`);
    const floorPage = await get(floorUrl);
    // The hops alone: the same route for an address that is no page, which the content worker refuses (404) before
    // it reads the cache or D1, so a cached view less this is what the cache's lookup costs.
    const hopsPath = "/api/site/Not-A-Slug";
    const sides = { floor: [floorUrl, "/", 200], hops: [apiUrl, hopsPath, 404], page: [apiUrl, warmPath, 200] };
    for (const [base, p, status] of Object.values(sides)) await load(base, () => p, 1, 200, status); // warm-up
    log("content: cached page views against the floor…");
    const cached = [];
    for (const c of [1, 10]) {
      const turns = [];
      for (let i = 0; i < pairs; i++) {
        const turn = {};
        for (const [side, [base, p, status]] of Object.entries(sides)) turn[side] = await load(base, () => p, c, AMOUNT[c], status);
        turns.push({ ...turn, ratioP50: turn.page.p50 / turn.floor.p50, cacheP50: turn.page.p50 - turn.hops.p50 });
      }
      const med = (side, key) => median(turns.map((t) => t[side][key]));
      const figures = (side) => ({ p50: med(side, "p50"), p99: med(side, "p99"), rps: med(side, "rps") });
      cached.push({
        clients: c,
        page: figures("page"),
        hops: figures("hops"),
        floor: figures("floor"),
        ratioP50: median(turns.map((t) => t.ratioP50)),
        cacheLookupP50: median(turns.map((t) => t.cacheP50)),
        turnsPageP50: turns.map((t) => t.page.p50),
        turnsHopsP50: turns.map((t) => t.hops.p50),
        turnsFloorP50: turns.map((t) => t.floor.p50),
      });
    }

    // Cold: each view is of a page nobody viewed yet (the seeded pages are alike in template and size).
    log("content: cold page views…");
    let cold = 1000;
    const coldPath = () => `/api/site/bench-page-${cold++}`;
    const probe = coldPath();
    if ((await get(`${apiUrl}${probe}`)).cache !== "MISS") throw new Error("a page nobody viewed came from the cache");
    const uncached = [];
    for (const c of [1, 10]) uncached.push({ clients: c, ...(await load(apiUrl, coldPath, c, COLD[c])) });
    if (cold > pages) throw new Error(`the cold views ran past the ${pages} seeded pages`);

    log("content: search over the seeded pages…");
    for (const q of SEARCHES) {
      const answer = await get(`${apiUrl}/api/search?q=${encodeURIComponent(q)}`);
      if (answer.status !== 200 || !JSON.parse(answer.body).results?.length) throw new Error(`the search for ${q} found nothing (${answer.status})`);
    }
    // Each query alone, a few times in turns: what a search costs by how many pages its words are on.
    const perQuery = Object.fromEntries(SEARCHES.map((q) => [q, []]));
    for (let i = 0; i < 7; i++) {
      for (const q of SEARCHES) {
        const started = performance.now();
        await get(`${apiUrl}/api/search?q=${encodeURIComponent(q)}`);
        perQuery[q].push(performance.now() - started);
      }
    }
    let s = 0;
    const searchPath = () => `/api/search?q=${encodeURIComponent(SEARCHES[s++ % SEARCHES.length])}`;
    await load(apiUrl, searchPath, 1, 50); // warm-up
    const search = [];
    for (const c of [1, 10]) search.push({ clients: c, ...(await load(apiUrl, searchPath, c, AMOUNT[c] / 2)) });

    log("content: from publish to the new text served…");
    const { accessToken } = await call(`${apiUrl}/api/sessions`, { method: "POST", body: JSON.stringify({ email: admin.email, password: admin.password }) }, "");
    const slug = "bench-live";
    const source = (n) => `---\ntitle: Live page\nslug: ${slug}\nkind: post\ntags: [bench-live]\ndraft: false\n---\nThe text of edition ${n}.\n`;
    let version = (await call(`${apiUrl}/api/pages/${slug}`, { method: "PUT", body: JSON.stringify({ markdown: source(0), baseVersion: 0 }) }, accessToken)).version;
    await call(`${apiUrl}/api/pages/${slug}/publish`, { method: "POST", body: "{}" }, accessToken);
    const answered = [];
    const served = [];
    const views = [];
    for (let n = 1; n <= publishes; n++) {
      // Viewed, so the old text is in the cache: only the publish's purge lets the new one through.
      await get(`${apiUrl}/api/site/${slug}`);
      if ((await get(`${apiUrl}/api/site/${slug}`)).cache !== "HIT") throw new Error("the live page was not cached before its publish");
      version = (await call(`${apiUrl}/api/pages/${slug}`, { method: "PUT", body: JSON.stringify({ markdown: source(n), baseVersion: version }) }, accessToken)).version;
      const started = performance.now();
      await call(`${apiUrl}/api/pages/${slug}/publish`, { method: "POST", body: "{}" }, accessToken);
      answered.push(performance.now() - started);
      for (let tries = 1; ; tries++) {
        if ((await get(`${apiUrl}/api/site/${slug}`)).body.includes(`edition ${n}.`)) {
          served.push(performance.now() - started);
          views.push(tries);
          break;
        }
        if (performance.now() - started > 30_000) throw new Error(`edition ${n} was not served within 30 s of its publish`);
      }
    }
    return {
      seeded: counted,
      pageBytes: { cached: first.body.length, floor: floorPage.body.length },
      cached,
      cold: uncached,
      search: { queries: SEARCHES.map((q) => ({ q, pages: queryMatches[q], p50: median(perQuery[q]) })), rounds: search },
      publish: { n: publishes, answered: summary(answered), toNewText: summary(served), viewsUntilNew: Math.max(...views) },
    };
  } finally {
    await stopWorkers(api);
    await stopWorkers(floor);
  }
}

/** The figures as the README's table reads them. */
export function printContent(f, log = console.log) {
  log(`\nthe public site (gateway + identity + content on their own; ${f.seeded.published} published pages, ${f.seeded.indexed} in the search index):`);
  const turns = (xs) => xs.map((v) => v.toFixed(2)).join(" ");
  for (const r of f.cached) {
    log(`  cached page view, ${String(r.clients).padStart(2)} client(s): p50 ${ms(r.page.p50)}, p99 ${ms(r.page.p99)}, ${Math.round(r.page.rps)} req/s; ` +
      `floor p50 ${ms(r.floor.p50)}, p99 ${ms(r.floor.p99)}; ratio p50 ${r.ratioP50.toFixed(2)}; the hops alone (gateway + content, a 404) p50 ${ms(r.hops.p50)}, p99 ${ms(r.hops.p99)}; ` +
      `the cache's lookup p50 ${ms(r.cacheLookupP50)}`);
    log(`    turns' p50: page ${turns(r.turnsPageP50)}; hops ${turns(r.turnsHopsP50)}; floor ${turns(r.turnsFloorP50)}`);
  }
  for (const r of f.cold) log(`  cold page view (rendered and stored), ${String(r.clients).padStart(2)} client(s): p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, ${Math.round(r.rps)} req/s`);
  for (const r of f.search.rounds) log(`  search, ${String(r.clients).padStart(2)} client(s): p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, ${Math.round(r.rps)} req/s`);
  log(`  each query alone (the pages its words are on: p50 of 7): ${f.search.queries.map((q) => `${q.q} (${q.pages}) ${ms(q.p50)}`).join(", ")}`);
  log(`  publish answered: p50 ${ms(f.publish.answered.p50)}, max ${ms(f.publish.answered.max)}; publish to the new text served: p50 ${ms(f.publish.toNewText.p50)}, max ${ms(f.publish.toNewText.max)} ` +
    `(${f.publish.n} publishes; the first view after the answer showed it: ${f.publish.viewsUntilNew === 1 ? "every time" : `no, up to ${f.publish.viewsUntilNew} views`})`);
  log(`  bytes: cached page ${f.pageBytes.cached}, floor ${f.pageBytes.floor}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await benchContent();
  printContent(figures);
  console.log(JSON.stringify(figures, null, 2));
}
