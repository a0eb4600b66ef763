import { type PublicEnv, publicPage } from "../_public";

// Who may call: anyone. The published pages and posts with one tag.
export const onRequestGet: PagesFunction<PublicEnv, "tag"> = ({ request, env, params }) => publicPage(request, env, `tags/${encodeURIComponent(String(params.tag))}`);
