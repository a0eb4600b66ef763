/**
 * The public site's edge cache: every public page (a page or post, a tag page, the feed, the sitemap, the home page's
 * list of posts) is rendered once and kept in the Workers Cache API under its public URL, and a change to a page
 * purges exactly the entries it touched. Each entry carries a Cache-Tag naming its path, so in the cloud one call to
 * Cloudflare's purge-by-tag API drops it from every data center (cache.delete would drop it from this one only).
 * Locally (no zone configured) the purge deletes the same keys from the local cache, which miniflare keeps like the
 * edge does, so the tests and the benchmark exercise the real cache on both sides.
 */
import { backoffMs } from "@statex/shared/backoff";
import { Logger, type LoggerEnv, errorField } from "@statex/shared/logger";
import type { PageKind } from "./store";

export type { PageKind };

/** What one change to a page touched: its slug, the tags it had before and after, and its kind before and after. */
export type Touched = { slug: string; tags: readonly string[]; kind: PageKind | readonly PageKind[] };

/** What the cache reads of the worker's Env: its settings as plain strings, so a test can name another zone. */
type CacheEnv = LoggerEnv & { [K in "SITE_URL" | "CF_API_URL" | "CF_ZONE_ID" | "CF_PURGE_TOKEN"]: string };

/**
 * How long an entry may live without a purge: the bound on staleness when a purge is lost (the API down past its
 * retries, a view that read D1 just before a publish and stored its page just after the purge) or a deploy changed
 * the templates. Purges, not this, keep the site current.
 */
export const EDGE_TTL_SECONDS = 3600;

/** The public paths the cache keeps, one entry each (no query variants, so a purge knows every key). */
export const sitePaths = {
  page: (slug: string) => `/p/${encodeURIComponent(slug)}`,
  tag: (tag: string) => `/tags/${encodeURIComponent(tag)}`,
  feed: "/rss.xml",
  sitemap: "/sitemap.xml",
  /** The home page is static; what changes on it is its list of recent posts, read from this API path. */
  home: "/api/pages?kind=post",
} as const;

/** The public paths a change touched: the page, its tag pages, the sitemap, and the home page and feed if it is or was a post. */
export function touchedPaths({ slug, tags, kind }: Touched): string[] {
  const kinds: readonly PageKind[] = typeof kind === "string" ? [kind] : kind;
  const paths = [sitePaths.page(slug), ...[...new Set(tags)].map(sitePaths.tag), sitePaths.sitemap];
  if (kinds.includes("post")) paths.push(sitePaths.home, sitePaths.feed);
  return paths;
}

/** The cache key of a public path: its URL on the site, so the key is the address a visitor asks for. */
function keyOf(env: Pick<CacheEnv, "SITE_URL">, path: string): string {
  return `${env.SITE_URL.replace(/\/+$/, "")}${path}`;
}

/** The Cache-Tag of a path's entry (printable ASCII without spaces or commas: paths are percent-encoded). */
export function cacheTagOf(path: string): string {
  return `statex-site:${path}`;
}

/** A rendered public page, as a route hands it to the cache. */
export type Rendered = {
  body: string;
  contentType: string;
  /** Headers the page needs beside its type (its Content-Security-Policy). */
  headers?: Record<string, string>;
  /**
   * When the entry must go stale at the latest: the next scheduled publication, which may change this page at its
   * time whether or not the cron has run and purged by then.
   */
  staleAt?: Date;
};

/** Whether a response came from the edge cache; for people and the benchmark, not for the pages' logic. */
export const CACHE_STATUS_HEADER = "x-edge-cache";

/**
 * The public page at `path`: from the edge cache, or rendered by `render`, stored and served. `render` answering
 * undefined (no such page) is not cached, so a page published later needs no purge of its absence.
 */
export async function cachedPage(
  env: CacheEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
  path: string,
  render: () => Promise<Rendered | undefined>,
  now: Date = new Date(),
): Promise<Response | undefined> {
  const key = keyOf(env, path);
  const hit = await caches.default.match(key);
  if (hit) return forVisitor(hit, "HIT");
  const page = await render();
  if (!page) return undefined;
  const ttl = page.staleAt ? Math.max(0, Math.min(EDGE_TTL_SECONDS, Math.floor((page.staleAt.getTime() - now.getTime()) / 1000))) : EDGE_TTL_SECONDS;
  const headers = new Headers(page.headers);
  headers.set("content-type", page.contentType);
  // s-maxage is the edge's lifetime; max-age=0 makes browsers ask again each time, so a purge reaches them too.
  headers.set("cache-control", `public, max-age=0, must-revalidate, s-maxage=${ttl}`);
  headers.set("cache-tag", cacheTagOf(path));
  const response = new Response(page.body, { status: 200, headers });
  if (ttl > 0) ctx.waitUntil(caches.default.put(key, response.clone()));
  return forVisitor(response, "MISS");
}

/** What leaves the worker: the stored headers without the purge tag, which is the edge's business. */
function forVisitor(response: Response, status: "HIT" | "MISS"): Response {
  const out = new Response(response.body, response);
  out.headers.delete("cache-tag");
  out.headers.delete("cf-cache-status");
  out.headers.set(CACHE_STATUS_HEADER, status);
  return out;
}

/** Cloudflare takes at most 100 tags a purge request (30 on older plans' limits): batches stay under both. */
const TAGS_PER_REQUEST = 30;
const ATTEMPTS = 3;

/**
 * Purges every public page a change touched. Called after each publish, update, unpublish, delete and scheduled
 * publication, once the change is in D1. Locally it deletes the keys from this machine's cache; in the cloud it
 * purges their tags through Cloudflare's API, awaited so the author's next view shows the change, with a few retries.
 * It never throws: the change itself has happened, and a lost purge is logged and bounded by {@link EDGE_TTL_SECONDS}.
 */
export async function purgeFor(env: CacheEnv, ctx: Pick<ExecutionContext, "waitUntil">, touched: Touched, log?: Logger): Promise<void> {
  const paths = touchedPaths(touched);
  const logger = log ?? new Logger(env, "content");
  try {
    if (!env.CF_ZONE_ID) {
      await Promise.all(paths.map((path) => caches.default.delete(keyOf(env, path))));
      return;
    }
    const tags = paths.map(cacheTagOf);
    for (let i = 0; i < tags.length; i += TAGS_PER_REQUEST) await purgeTags(env, tags.slice(i, i + TAGS_PER_REQUEST));
  } catch (err) {
    logger.error("purging the site's cache failed; the pages stay stale until their edge lifetime ends", {
      slug: touched.slug,
      paths,
      error: errorField(err),
    });
  } finally {
    if (!log) ctx.waitUntil(logger.flush());
  }
}

/** One purge-by-tag call, retried on a network error, a 429 or a 5xx; anything else is a configuration fault. */
async function purgeTags(env: CacheEnv, tags: string[]): Promise<void> {
  const url = `${env.CF_API_URL.replace(/\/+$/, "")}/zones/${encodeURIComponent(env.CF_ZONE_ID)}/purge_cache`;
  let last = "";
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await scheduler.wait(backoffMs(attempt - 1, { baseMs: 500, capMs: 2_000 }));
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${env.CF_PURGE_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ tags }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (err) {
      last = String(errorField(err));
      continue;
    }
    const answer = await res.json<{ success?: boolean; errors?: { code?: number; message?: string }[] }>().catch(() => ({ success: false, errors: [] }));
    if (res.ok && answer.success) return;
    last = `HTTP ${res.status}: ${(answer.errors ?? []).map((e) => `${e.code ?? ""} ${e.message ?? ""}`.trim()).join("; ")}`;
    if (res.status !== 429 && res.status < 500) break;
  }
  throw new Error(`purge_cache failed: ${last}`);
}
