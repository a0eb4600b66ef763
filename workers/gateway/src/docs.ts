/**
 * The API's reference page (/api/docs): Swagger UI reading /api/openapi.json. Its script and stylesheet are the
 * site's static files (site/src/api-docs.ts), so the gateway's bundle does not carry them; the site serves the page
 * at the same path through its /api Function. Pages does not put its _headers on a Function's answer, so the page
 * brings its own CSP, as strict as the site's.
 */
import type { Context } from "hono";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>StateX Edge API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/js/api-docs.css">
</head>
<body>
<div id="reference"><p>The API reference needs JavaScript; the document itself is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></div>
<script type="module" src="/js/api-docs.js"></script>
</body>
</html>
`;

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Answers the reference page with its own security headers. */
export function docsPage(c: Context): Response {
  return c.html(PAGE, 200, { "content-security-policy": CSP, "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin", "cache-control": "public, max-age=300" });
}
