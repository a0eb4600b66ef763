/**
 * The public site's HTML pages that the content worker renders: a page or post at /p/<slug> and a tag's page at
 * /tags/<tag>, each a whole document with the site's shared head and header, a canonical link and Open Graph tags.
 * Built with Hono's `html` template, which escapes every interpolation; only the renderer's body goes in raw.
 */
import { SITE_HEAD, SITE_HEADER } from "@statex/shared/site";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { sitePaths } from "../cache";
import type { PublishedPage, PublishedSummary } from "../store";

/**
 * The policy of every page rendered here (Pages applies site/public/_headers to static files only, not to what a
 * Function answers): nothing may run script, even if the renderer ever slipped; images may come from https URLs,
 * which front matter allows for a hero; the header's search form posts nowhere but the site.
 */
export const PAGE_CSP =
  "default-src 'self'; img-src 'self' https:; script-src 'none'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SITE_NAME = "StateX";

type Head = {
  site: string;
  path: string;
  title: string;
  description: string | null;
  locale: string;
  type: "website" | "article";
  page?: PublishedPage;
};

/** Open Graph's locale form: en becomes en, de-AT becomes de_AT. */
const ogLocale = (locale: string) => locale.replace("-", "_");

/** An absolute URL for a path on the site (or an absolute URL kept as it is). */
function absolute(site: string, url: string): string {
  return new URL(url, `${site}/`).toString();
}

function openGraph({ site, path, title, description, locale, type, page }: Head) {
  const hero = page?.hero;
  return html`<meta property="og:site_name" content="${SITE_NAME}">
<meta property="og:type" content="${type}">
<meta property="og:title" content="${title}">
<meta property="og:url" content="${site}${path}">
<meta property="og:locale" content="${ogLocale(locale)}">${description ? html`\n<meta property="og:description" content="${description}">` : ""}${
    hero
      ? html`
<meta property="og:image" content="${absolute(site, hero.url)}">
<meta property="og:image:alt" content="${hero.alt}">
<meta property="og:image:width" content="${hero.width}">
<meta property="og:image:height" content="${hero.height}">
<meta name="twitter:card" content="summary_large_image">`
      : html`\n<meta name="twitter:card" content="summary">`
  }${
    page && type === "article"
      ? html`
<meta property="article:published_time" content="${page.date}">
<meta property="article:modified_time" content="${page.updatedAt}">${page.tags.map((t) => html`\n<meta property="article:tag" content="${t}">`)}`
      : ""
  }`;
}

async function document(head: Head, main: HtmlEscapedString | Promise<HtmlEscapedString>): Promise<string> {
  const page = await html`<!doctype html>
<html lang="${head.locale}">
<head>
${raw(SITE_HEAD)}
<title>${head.title} — ${SITE_NAME}</title>${head.description ? html`\n<meta name="description" content="${head.description}">` : ""}
<link rel="canonical" href="${head.site}${head.path}">
<link rel="alternate" type="application/rss+xml" title="${SITE_NAME}" href="${head.site}${sitePaths.feed}">
${openGraph(head)}
</head>
<body>
${raw(SITE_HEADER)}
<main>
${main}
</main>
</body>
</html>
`;
  return page.toString();
}

/** A day as people read it, from an ISO date or date-time: 2026-05-01. */
const day = (iso: string) => iso.slice(0, 10);

function tagList(tags: readonly string[]) {
  if (!tags.length) return "";
  return html`<ul class="tags" aria-label="Tags">${tags.map((t) => html`<li><a href="${sitePaths.tag(t)}" rel="tag">${t}</a></li>`)}</ul>`;
}

/** The whole document of a published page or post. `page.html` is the renderer's output, already safe. */
export function pageDocument(site: string, page: PublishedPage): Promise<string> {
  const path = sitePaths.page(page.slug);
  const hero = page.hero;
  const main = html`<article class="page ${page.kind}" data-slug="${page.slug}" data-version="${page.version}">
<h1>${page.title}</h1>
${page.kind === "post" ? html`<p class="byline muted"><time datetime="${page.date}">${day(page.date)}</time>${page.author ? html` · ${page.author}` : ""}</p>\n` : ""}${
    hero ? html`<img class="hero" src="${hero.url}" alt="${hero.alt}" width="${hero.width}" height="${hero.height}">\n` : ""
  }${raw(page.html)}
<footer>${tagList(page.tags)}</footer>
</article>`;
  return document(
    { site, path, title: page.title, description: page.summary, locale: page.locale, type: page.kind === "post" ? "article" : "website", page },
    main,
  );
}

/** A list of pages and posts as the tag pages show them: title, date and summary. */
export function summaryList(pages: readonly PublishedSummary[]) {
  return html`<ul class="page-list">${pages.map(
    (p) => html`
<li><a href="${sitePaths.page(p.slug)}">${p.title}</a> <time class="muted" datetime="${p.date}">${day(p.date)}</time>${p.summary ? html`<p>${p.summary}</p>` : ""}</li>`,
  )}
</ul>`;
}

/** The page of one tag: every published page and post that carries it, newest first. */
export function tagDocument(site: string, tag: string, pages: readonly PublishedSummary[]): Promise<string> {
  const main = html`<h1>Tagged “${tag}”</h1>
${summaryList(pages)}`;
  return document({ site, path: sitePaths.tag(tag), title: `Tagged “${tag}”`, description: `Pages and posts about ${tag}.`, locale: "en", type: "website" }, main);
}
