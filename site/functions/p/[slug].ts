import { type PublicEnv, publicPage } from "../_public";

// Who may call: anyone. A published page or post, rendered by the content worker (from the edge cache). Pages hands
// the segment over as the visitor sent it (still percent-encoded), so it is forwarded as it is.
export const onRequestGet: PagesFunction<PublicEnv, "slug"> = ({ request, env, params }) => publicPage(request, env, String(params.slug).replace(/\.html$/, ""));

// HEAD as GET (the gateway and Hono answer it from the GET route), so a link checker does not read a page as missing.
export const onRequestHead = onRequestGet;
