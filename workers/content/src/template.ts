/** The full static HTML page the site serves at /p/<slug>: the site's head and header around minimal semantic markup. */
import { SITE_HEAD, SITE_HEADER } from "@statex/shared/site";
import { html, raw } from "hono/html";

export type PublishedPage = { slug: string; title: string; description: string | null; html: string; publishedAt: string; version: number };

/** A complete HTML document for a published page. `html` is the renderer's output, already safe. */
export async function renderSitePage(page: PublishedPage): Promise<string> {
  const description = page.description ? html`\n<meta name="description" content="${page.description}">` : "";
  const document = await html`<!doctype html>
<html lang="en">
<head>
${raw(SITE_HEAD)}
<title>${page.title} — StateX</title>${description}
</head>
<body>
${raw(SITE_HEADER)}
<main>
<article data-slug="${page.slug}" data-version="${page.version}">
<h1>${page.title}</h1>
${raw(page.html)}
<footer><p>Published <time datetime="${page.publishedAt}">${page.publishedAt.slice(0, 10)}</time></p></footer>
</article>
</main>
</body>
</html>
`;
  return document.toString();
}
