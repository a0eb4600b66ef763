import { type PublicEnv, publicPage } from "../_public";

// Who may call: anyone. The published pages and posts with one tag; the segment is forwarded as the visitor sent it.
export const onRequestGet: PagesFunction<PublicEnv, "tag"> = ({ request, env, params }) => publicPage(request, env, `tags/${String(params.tag)}`);

// HEAD as GET (the gateway and Hono answer it from the GET route), so a link checker does not read a page as missing.
export const onRequestHead = onRequestGet;
