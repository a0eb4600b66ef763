import { type PublicEnv, publicPage } from "./_public";

// Who may call: anyone. The feed of posts (RSS 2.0).
export const onRequestGet: PagesFunction<PublicEnv> = ({ request, env }) => publicPage(request, env, "rss.xml");

// HEAD as GET (the gateway and Hono answer it from the GET route), so a link checker does not read a page as missing.
export const onRequestHead = onRequestGet;
