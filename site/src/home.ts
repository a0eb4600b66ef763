/** The home page lists the pages authors have published, and says so when the account page sent a person who just deleted their account. */
import { api, byId } from "./api";

const arrival = new URL(location.href);
if (arrival.searchParams.get("account") === "deleted") {
  const farewell = byId("farewell");
  farewell.hidden = false;
  farewell.focus();
  // Said once: a reload or a bookmark of the page does not say it again.
  arrival.searchParams.delete("account");
  history.replaceState(null, "", `${arrival.pathname}${arrival.search}${arrival.hash}`);
}

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
