/**
 * What every page of the site shares, one copy each: the static pages get them at build time (scripts/build-site.mjs
 * puts each where a page says its slot comment), and the pages the content worker publishes render them themselves.
 * Plain strings with no imports: Node reads this file as it is at build time.
 */

/** The start of every page's `<head>`; a page adds its own title, description and robots lines after it. */
export const SITE_HEAD =
  '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="stylesheet" href="/styles.css">';

/** Where a static page wants the shared head lines: first in its `<head>`, so the charset comes first. */
export const SITE_HEAD_SLOT = "<!-- site head -->";

/**
 * The site's header, with a search box on every page: a plain form to /search.html, so it works on the published
 * pages too, where no script may run.
 */
export const SITE_HEADER =
  '<header class="site"><nav aria-label="Main"><a class="logo" href="/">StateX</a><a href="/submit.html">Submit a request</a><a href="/account.html">Your requests</a>' +
  '<form class="site-search" role="search" action="/search.html" method="get"><input type="search" name="q" aria-label="Search the site" placeholder="Search" required maxlength="200"></form></nav></header>';

/** Where a static page wants the header. */
export const SITE_HEADER_SLOT = "<!-- site header -->";
