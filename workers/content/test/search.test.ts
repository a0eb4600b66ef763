import { beforeAll, describe, expect, it } from "vitest";
import { SearchResults } from "@statex/shared/api/content";
import { ftsQuery } from "../src/search";
import { type Problem, call, save, savedAndPublished, source } from "./authoring-helpers";

type Results = { query: string; results: { slug: string; url: string; title: string; titleHtml: string; snippet: string; kind: string; summary: string | null; tags: string[] }[] };

const search = async (q: string, limit?: number) => {
  const res = await call(`/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ""}`);
  return { status: res.status, body: (await res.json()) as Results & Problem };
};
const slugs = async (q: string) => (await search(q)).body.results.map((r) => r.slug);

beforeAll(async () => {
  await savedAndPublished("edge-cache", { title: "The edge cache", kind: "post", tags: ["performance"], summary: "Why pages are fast" }, "Pages are cached at the edge and purged when they change.");
  await savedAndPublished("pricing", { title: "Pricing", summary: "What it costs" }, "Every plan includes the edge network. Caching is free.");
  await savedAndPublished("publishing", { title: "Publishing guide", kind: "post", tags: ["authors"] }, "Publishing a post takes one click; scheduled publication waits for its time.");
  await savedAndPublished("hostile", { title: "Security notes" }, "Text about <script>alert(1)</script> and cache & cookies.");
  await savedAndPublished("far", { title: "Far apart" }, "The edge of the forest. Later, a cache of nuts.");
  // A draft is never found.
  await save("secret-draft", source("secret-draft", { title: "Edge secret", draft: true }, "Secret edge cache plans."));
});

describe("search", () => {
  it("ranks a match in the title above one in the body, and marks the matched words", async () => {
    const { body } = await search("edge");
    expect(SearchResults.safeParse(body).success).toBe(true);
    expect(body.results.map((r) => r.slug).slice(0, 1)).toEqual(["edge-cache"]);
    expect(body.results.map((r) => r.slug)).toEqual(expect.arrayContaining(["pricing", "far"]));
    expect(body.results.map((r) => r.slug)).not.toContain("secret-draft");
    const first = body.results[0];
    expect(first).toMatchObject({ url: "/p/edge-cache", kind: "post", title: "The edge cache", titleHtml: "The <mark>edge</mark> cache", summary: "Why pages are fast", tags: ["performance"] });
    expect(first?.snippet).toContain("at the <mark>edge</mark> and purged");
  });

  it("stems English words: cached, caching and cache find each other", async () => {
    expect(await slugs("caching")).toEqual(expect.arrayContaining(["edge-cache", "pricing", "hostile"]));
    const { body } = await search("caching");
    expect(body.results.find((r) => r.slug === "edge-cache")?.snippet).toContain("<mark>cached</mark>");
  });

  it("finds prefixes (word*) and phrases (\"…\")", async () => {
    expect(await slugs("publi*")).toEqual(["publishing"]);
    expect(await slugs("publi")).toEqual([]);
    // "edge cache" as a phrase: the words side by side, not far apart.
    const phrase = await slugs('"edge cache"');
    expect(phrase).toContain("edge-cache");
    expect(phrase).not.toContain("far");
    expect(await slugs("edge cache")).toContain("far");
  });

  it("escapes page text in snippets: only the marks are markup", async () => {
    const { body } = await search("script");
    const snippet = body.results.find((r) => r.slug === "hostile")?.snippet ?? "";
    expect(snippet).toContain("&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;");
    expect(snippet).toContain("&amp; cookies");
    expect(snippet.replace(/<\/?mark>/g, "")).not.toMatch(/<|>/);
  });

  it.each([
    '"',
    '""',
    "*",
    "edge*cache",
    "NEAR(edge cache)",
    "edge OR",
    "AND",
    "NOT edge",
    "title:edge",
    "^edge",
    "-edge",
    "edge\"cache",
    "(((",
    "'; drop table pages; --",
    "\u0000edge",
    "🙂 edge",
    "e-mail",
    "{title body}: edge",
    "a".repeat(200),
    "x* y* z* w* v* u* t* s* r* q* p* o* n* m*",
  ])("answers the hostile query %j without an error", async (q) => {
    const { status, body } = await search(q);
    expect(status).toBe(200);
    expect(Array.isArray(body.results)).toBe(true);
  });

  it("names what is wrong with the query", async () => {
    for (const [q, field] of [["", "query.q"], ["   ", "query.q"], ["a".repeat(201), "query.q"]] as const) {
      const { status, body } = await search(q);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.field).toBe(field);
    }
    for (const limit of ["0", "51", "x"]) {
      const res = await call(`/search?q=edge&limit=${limit}`);
      expect(res.status).toBe(400);
      expect((await res.json<Problem>()).errors?.[0]?.field).toBe("query.limit");
    }
    expect((await search("edge", 1)).body.results).toHaveLength(1);
  });
});

describe("the query sanitiser", () => {
  it("keeps words, phrases and prefixes, and nothing FTS5 would read as syntax", () => {
    expect(ftsQuery('edge "static site" publi* OR title:x NEAR(a b)')).toBe('"edge" "static site" "publi" * "OR" "title x" "NEAR a" "b"');
    expect(ftsQuery('"unclosed phrase')).toBe('"unclosed" "phrase"');
    expect(ftsQuery("a*")).toBe('"a"');
    expect(ftsQuery("*** ---")).toBeUndefined();
  });
});
