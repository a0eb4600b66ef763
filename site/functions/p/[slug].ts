// Who may call: anyone. A published page, rendered by the content worker.
export const onRequestGet: PagesFunction<{ API: Fetcher }, "slug"> = ({ request, env, params }) => {
  const slug = String(params.slug).replace(/\.html$/, "");
  return env.API.fetch(new Request(new URL(`/api/site/${encodeURIComponent(slug)}`, request.url), { headers: request.headers }));
};
