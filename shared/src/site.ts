/**
 * The site's header, one copy for every page: the static pages get it at build time (scripts/build-site.mjs puts it
 * where a page says `<!-- site header -->`), and the pages the content worker publishes render it themselves.
 */
export const SITE_HEADER =
  '<header class="site"><nav aria-label="Main"><a class="logo" href="/">StateX</a><a href="/submit.html">Submit a request</a><a href="/account.html">Your requests</a></nav></header>';

/** Where a static page wants the header. */
export const SITE_HEADER_SLOT = "<!-- site header -->";
