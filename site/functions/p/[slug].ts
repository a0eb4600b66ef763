import { type PublicEnv, publicPage } from "../_public";

// Who may call: anyone. A published page or post, rendered by the content worker (from the edge cache).
export const onRequestGet: PagesFunction<PublicEnv, "slug"> = ({ request, env, params }) =>
  publicPage(request, env, encodeURIComponent(String(params.slug).replace(/\.html$/, "")));
