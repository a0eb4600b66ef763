import { type PublicEnv, publicPage } from "./_public";

// Who may call: anyone. The sitemap of every published page, post and tag page.
export const onRequestGet: PagesFunction<PublicEnv> = ({ request, env }) => publicPage(request, env, "sitemap.xml");
