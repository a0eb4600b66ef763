/**
 * The site's feed (RSS 2.0) and sitemap (sitemaps.org 0.9). Hono's `html` template escapes `& < > " '` as entities,
 * which XML reads the same way, so the platform's one escaper serves XML too; what XML 1.0 forbids even as an entity
 * (most C0 control characters) is dropped first.
 */
import { html, raw } from "hono/html";
import { sitePaths } from "../cache";
import type { PublishedSummary } from "../store";

const XML_DECLARATION = raw('<?xml version="1.0" encoding="UTF-8"?>');
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text XML 1.0 can carry; the template escapes it. */
const xmlText = (text: string) => text.replace(NOT_XML, "");

/** RFC 822 as RSS wants it: Tue, 05 May 2026 09:00:00 GMT. */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** The feed of posts, newest first. Its build date is the newest change among them, so the same posts give the same bytes. */
export async function rssFeed(site: string, posts: readonly PublishedSummary[]): Promise<string> {
  const built = posts.reduce<string | undefined>((latest, p) => (latest === undefined || p.updatedAt > latest ? p.updatedAt : latest), undefined);
  const feed = await html`${XML_DECLARATION}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>StateX</title>
<link>${site}/</link>
<description>Posts from StateX: from business need to a first draft, in minutes.</description>
<language>en</language>${built ? html`\n<lastBuildDate>${rfc822(built)}</lastBuildDate>` : ""}
<atom:link href="${site}${sitePaths.feed}" rel="self" type="application/rss+xml"/>${posts.map((p) => {
    const link = `${site}${sitePaths.page(p.slug)}`;
    return html`
<item>
<title>${xmlText(p.title)}</title>
<link>${link}</link>
<guid isPermaLink="true">${link}</guid>
<pubDate>${rfc822(p.date)}</pubDate>${p.summary ? html`\n<description>${xmlText(p.summary)}</description>` : ""}${p.author ? html`\n<dc:creator>${xmlText(p.author)}</dc:creator>` : ""}${p.tags.map((t) => html`\n<category>${xmlText(t)}</category>`)}
</item>`;
  })}
</channel>
</rss>
`;
  return feed.toString();
}

/** Every public page a search engine should know: the home page, each page and post, each tag's page. */
export async function sitemap(site: string, pages: readonly PublishedSummary[]): Promise<string> {
  const tags = [...new Set(pages.flatMap((p) => p.tags))].sort();
  const map = await html`${XML_DECLARATION}
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>${site}/</loc></url>${pages.map((p) => html`
<url><loc>${site}${sitePaths.page(p.slug)}</loc><lastmod>${p.updatedAt}</lastmod></url>`)}${tags.map((t) => html`
<url><loc>${site}${sitePaths.tag(t)}</loc></url>`)}
</urlset>
`;
  return map.toString();
}
