/**
 * Search over the published pages and posts: SQLite's FTS5 in D1 (page_search, made by the migration), English
 * stemming (porter), ranked by bm25 with a title match worth most, snippets with the matched words marked. The index
 * holds what is announced live (publishing.ts keeps it in step), so drafts and pages scheduled later are never found.
 */
import { database, schema } from "@statex/shared/db";
import { escapeHtml } from "@statex/shared/html";
import { type AppEnv, validate } from "@statex/shared/http";
import { type SQL, sql } from "drizzle-orm";
import { Hono } from "hono";
import { SearchQuery } from "@statex/shared/api/content";
import { z } from "zod";


/** The most terms a query keeps: each costs a lookup in the index, and a search box never needs more. */
const MAX_TERMS = 12;
/** A prefix shorter than this would expand to a large share of the vocabulary; it is searched as a whole word. */
const MIN_PREFIX = 2;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * A user's query as an FTS5 query that cannot be a syntax error or reach another column: every term is a quoted
 * string of letters and digits (so AND, OR, NOT, NEAR, column filters, ^ and parentheses are only words or
 * separators), a phrase stays a phrase, a trailing * stays a prefix. Terms are all required (FTS5's implicit AND).
 * Undefined when nothing searchable is left.
 */
export function ftsQuery(input: string): string | undefined {
  const terms: string[] = [];
  for (const m of input.matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const words = (m[1] ?? m[2] ?? "").match(WORD);
    if (!words) continue;
    // "e-mail" is two tokens to the index: searched as the phrase they make.
    const term = `"${words.join(" ")}"`;
    const prefix = m[2]?.endsWith("*") && (words.at(-1)?.length ?? 0) >= MIN_PREFIX;
    terms.push(prefix ? `${term} *` : term);
  }
  return terms.length ? terms.slice(0, MAX_TERMS).join(" ") : undefined;
}

// snippet() and highlight() wrap matches in these; the text is escaped first and then they become <mark>, so no
// page text can open a tag. They cannot occur in indexed text (removed when indexing).
const OPEN = "\u0002";
const CLOSE = "\u0003";
const MARKERS = /[\u0002\u0003]/g;

function marked(text: string): string {
  return escapeHtml(text).replaceAll(OPEN, "<mark>").replaceAll(CLOSE, "</mark>");
}

type Indexed = { slug: string; title: string; summary: string | null; tags: string[]; text: string };

/**
 * The statements that put a page's live version in the index, replacing what it had; `when` guards the insert (it
 * is skipped, in the same batch, if the publication it describes is gone). The slug is not indexed, so the delete
 * scans the index: cheap at the site's size, and it keeps the index free of a second key to keep in step.
 */
export function indexStatements(page: Indexed, when: SQL): SQL[] {
  const clean = (s: string) => s.replace(MARKERS, "");
  return [
    unindexStatement(page.slug),
    sql`insert into page_search (slug, title, summary, tags, body)
      select ${page.slug}, ${clean(page.title)}, ${clean(page.summary ?? "")}, ${clean(page.tags.join(" "))}, ${clean(page.text)} where ${when}`,
  ];
}

/** The statement that takes a page out of the index. */
export function unindexStatement(slug: string): SQL {
  return sql`delete from page_search where slug = ${slug}`;
}

export type SearchResult = {
  slug: string;
  url: string;
  kind: "page" | "post";
  title: string;
  /** The title as HTML, matched words in <mark>. */
  titleHtml: string;
  summary: string | null;
  /** Words around the matches in the body as HTML, matched words in <mark>. */
  snippet: string;
  date: string;
  tags: string[];
};

/** The best matches for a query, best first: bm25 with a title match weighing 10, summary 5, tags 3, body 1. */
export async function search(d1: D1Database, input: string, limit: number): Promise<SearchResult[]> {
  const match = ftsQuery(input);
  if (!match) return [];
  const p = schema.pagePublications;
  const rows = await database(d1).all<{ slug: string; title: string; titleHtml: string; snippet: string; kind: "page" | "post"; summary: string | null; date: string; tags: string }>(sql`
    select page_search.slug as slug, ${p.title} as title, highlight(page_search, 1, ${OPEN}, ${CLOSE}) as titleHtml,
      snippet(page_search, 4, ${OPEN}, ${CLOSE}, '…', 24) as snippet, ${p.kind} as kind, ${p.summary} as summary, ${p.date} as date, ${p.tags} as tags
    from page_search join ${p} on ${p.slug} = page_search.slug and ${p.announcedAt} is not null
    where page_search match ${match}
    order by bm25(page_search, 0.0, 10.0, 5.0, 3.0, 1.0)
    limit ${limit}`);
  return rows.map((r) => ({
    slug: r.slug,
    url: `/p/${r.slug}`,
    kind: r.kind,
    title: r.title,
    titleHtml: marked(r.titleHtml),
    summary: r.summary,
    snippet: marked(r.snippet),
    date: r.date,
    tags: JSON.parse(r.tags) as string[],
  }));
}

export const searchRoutes = new Hono<AppEnv<ContentEnv>>()
  // Who may call: anyone. Published pages and posts matching ?q= (words, "phrases", prefix*), best first.
  .get("/", validate("query", SearchQuery), async (c) => {
    const { q, limit } = c.req.valid("query");
    // Not kept by browsers or the edge: a page unpublished a moment ago must not be found any more.
    return c.json({ query: q, results: await search(c.env.DB, q, limit) }, 200, { "cache-control": "no-store" });
  });
