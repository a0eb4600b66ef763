import { type PublicEnv, publicPage } from "./_public";

// Who may call: anyone. The feed of posts (RSS 2.0).
export const onRequestGet: PagesFunction<PublicEnv> = ({ request, env }) => publicPage(request, env, "rss.xml");
