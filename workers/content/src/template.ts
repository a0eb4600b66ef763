/** The full static HTML page the site serves at /p/<slug>: minimal semantic markup on the site's stylesheet. */
import { SITE_HEADER } from "@statex/shared/site";
import { escapeHtml } from "./escape";

export type PublishedPage = { slug: string; title: string; description: string | null; html: string; publishedAt: string; version: number };

/** A complete HTML document for a published page. `html` is the renderer's output, already safe. */
export function renderSitePage(page: PublishedPage): string {
  const title = escapeHtml(page.title);
  const description = page.description ? `\n<meta name="description" content="${escapeHtml(page.description)}">` : "";
  const date = escapeHtml(page.publishedAt.slice(0, 10));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · StateX</title>${description}
<link rel="stylesheet" href="/styles.css">
</head>
<body>
${SITE_HEADER}
<main>
<article data-slug="${escapeHtml(page.slug)}" data-version="${page.version}">
<h1>${title}</h1>
${page.html}
<footer><p>Published <time datetime="${escapeHtml(page.publishedAt)}">${date}</time></p></footer>
</article>
</main>
</body>
</html>
`;
}
