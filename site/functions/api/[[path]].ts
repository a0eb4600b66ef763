// Who may call: anyone; the gateway decides per route. The site and the API share one origin.
export const onRequest: PagesFunction<{ API: Fetcher }> = ({ request, env }) => env.API.fetch(request);
