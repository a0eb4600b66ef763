/** The home page lists the pages authors have published. */
import { api, byId } from "./api";

type PageSummary = { slug: string; title: string; description?: string | null };

api<{ pages: PageSummary[] }>("/api/pages")
  .then(({ pages }) => {
    if (!pages.length) return;
    byId("page-list").replaceChildren(
      ...pages.map((p) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = `/p/${encodeURIComponent(p.slug)}`;
        a.textContent = p.title;
        li.append(a);
        if (p.description) li.append(` — ${p.description}`);
        return li;
      }),
    );
    byId("pages").hidden = false;
  })
  .catch(() => {
    // The home page works without the list; nothing to tell the visitor.
  });
