/**
 * The public pages the content worker renders, as the site serves them: each Function asks the gateway for its
 * path under /api/site and answers with what comes back, except that "no such page" is the site's own 404 page
 * (site/public/404.html) with status 404, as for any other unknown path, instead of the API's problem+json.
 */
type Env = { API: Fetcher; ASSETS: Fetcher };

/** Forwards to `/api/site/<path>` with the visitor's headers (the gateway limits each client by its address). */
export async function publicPage(request: Request, env: Env, path: string): Promise<Response> {
  const res = await env.API.fetch(new Request(new URL(`/api/site/${path}`, request.url), { method: request.method, headers: request.headers }));
  if (res.status !== 404) return res;
  return notFoundPage(request, env);
}

/** The site's 404 page with status 404: Pages answers an unknown path with /404.html, so any such path will do. */
export async function notFoundPage(request: Request, env: Env): Promise<Response> {
  const page = await env.ASSETS.fetch(new Request(new URL("/404.html", request.url)));
  return new Response(request.method === "HEAD" ? null : page.body, { status: 404, headers: page.headers });
}

export type PublicEnv = Env;
