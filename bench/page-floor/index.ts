// The public pages' floor (see wrangler.toml): the same kind of answer as a cached page, a static HTML string.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/styles.css">
<title>A page — StateX</title>
</head>
<body>
<main>
<article>
<h1>A page</h1>
<p>${"Words of a published page, the length of one the benchmark views. ".repeat(30)}</p>
</article>
</main>
</body>
</html>
`;

export default {
  fetch() {
    return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
  },
} satisfies ExportedHandler;
