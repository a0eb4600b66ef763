/**
 * The search page: the words from ?q= (the header's search box and this page's form send them), the matching
 * published pages and posts from GET /api/search, best first, each with its title and the words around the match.
 */
import { ApiError, api, byId } from "./api";

type Result = { slug: string; url: string; kind: "page" | "post"; title: string; titleHtml: string; snippet: string; summary: string | null; date: string };

/**
 * The API's marked text (escaped text with <mark> around the matched words) as nodes: only text and <mark> are kept,
 * so even a snippet that carried anything else could not add markup to the page.
 */
function markedText(htmlText: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(`<body>${htmlText}</body>`, "text/html").body;
  const out = document.createDocumentFragment();
  for (const node of Array.from(parsed.childNodes)) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(node.textContent ?? "");
    }
  }
  return out;
}

function resultItem(r: Result): HTMLLIElement {
  const li = document.createElement("li");
  const title = document.createElement("a");
  title.href = r.url;
  title.append(markedText(r.titleHtml));
  const meta = document.createElement("span");
  meta.className = "muted";
  meta.textContent = ` ${r.kind === "post" ? "Post" : "Page"} · ${r.date.slice(0, 10)}`;
  const snippet = document.createElement("p");
  snippet.append(r.snippet ? markedText(r.snippet) : (r.summary ?? ""));
  li.append(title, meta, snippet);
  return li;
}

async function run(q: string) {
  const status = byId("search-status");
  const list = byId<HTMLOListElement>("search-results");
  status.textContent = "Searching…";
  try {
    const { results } = await api<{ results: Result[] }>(`/api/search?q=${encodeURIComponent(q)}`);
    list.replaceChildren(...results.map(resultItem));
    status.textContent = results.length ? `${results.length === 1 ? "1 page matches" : `${results.length} pages match`} “${q}”.` : `No page matches “${q}”.`;
  } catch (err) {
    list.replaceChildren();
    status.textContent = err instanceof ApiError && err.problem.status === 400 ? "Type at least one word to search for." : "Search is not available right now; try again in a moment.";
  }
}

const q = (new URLSearchParams(location.search).get("q") ?? "").trim();
const input = byId<HTMLInputElement>("search-q");
input.value = q;
if (q) {
  document.title = `“${q}” — Search — StateX`;
  void run(q);
} else {
  input.focus();
}
