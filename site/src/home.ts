/** The home page lists the newest posts authors have published, and says so when the account page sent a person who just deleted their account. */
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

type PostSummary = { slug: string; title: string; summary: string | null; date: string };

/** The newest posts, from the same list the edge cache keeps (purged when a post is published, changed or removed). */
api<{ pages: PostSummary[] }>("/api/pages?kind=post")
  .then(({ pages }) => {
    if (!pages.length) return;
    byId("page-list").replaceChildren(
      ...pages.map((p) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = `/p/${encodeURIComponent(p.slug)}`;
        a.textContent = p.title;
        const time = document.createElement("time");
        time.className = "muted";
        time.dateTime = p.date;
        time.textContent = ` ${p.date.slice(0, 10)}`;
        li.append(a, time);
        if (p.summary) {
          const summary = document.createElement("p");
          summary.textContent = p.summary;
          li.append(summary);
        }
        return li;
      }),
    );
    byId("pages").hidden = false;
  })
  .catch(() => {
    // The home page works without the list; nothing to tell the visitor.
  });
