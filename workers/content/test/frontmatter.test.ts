import { ProblemError } from "@statex/shared/errors";
import { parseDocument } from "@statex/shared/markdown";
import { describe, expect, it } from "vitest";

function problemOf(source: string): ProblemError {
  try {
    parseDocument(source);
  } catch (err) {
    if (err instanceof ProblemError) return err;
    throw err;
  }
  throw new Error("expected a problem");
}
const fieldsOf = (source: string) => (problemOf(source).errors ?? []).map((e) => e.field);

describe("parseDocument", () => {
  it("splits front matter from the body, with quoted values and comments, and fills in the defaults", () => {
    const page = parseDocument("---\ntitle: \"About: us\"\n# a comment\nslug: about\nsummary: 'It''s us'\n---\n# Hello\n\nBody");
    expect(page.front).toEqual({ title: "About: us", slug: "about", summary: "It's us", kind: "page", tags: [], locale: "en", draft: true });
    expect(page.body).toBe("# Hello\n\nBody");
  });

  it("reads every field a post may have", () => {
    const source = [
      "---",
      "title: Edge caching in practice",
      "slug: edge-caching",
      "summary: How a page is rendered once",
      "kind: post",
      "tags: [Edge Computing, cache, cache]",
      "locale: de",
      "author: Ada",
      "date: 2026-05-01T09:30:00+02:00",
      "hero: /media/3f2a.png",
      "heroAlt: A map of data centres",
      "draft: false",
      "---",
      "Text",
    ].join("\n");
    expect(parseDocument(source).front).toEqual({
      title: "Edge caching in practice",
      slug: "edge-caching",
      summary: "How a page is rendered once",
      kind: "post",
      tags: ["edge-computing", "cache"],
      locale: "de",
      author: "Ada",
      date: "2026-05-01T09:30:00+02:00",
      hero: "/media/3f2a.png",
      heroAlt: "A map of data centres",
      draft: false,
    });
    // YAML 1.2: a date stays the string it is, a block list is a list.
    expect(parseDocument("---\ntitle: t\nslug: s\ndate: 2026-05-01\ntags:\n  - a\n  - b\n---\n").front).toMatchObject({ date: "2026-05-01", tags: ["a", "b"] });
  });

  it("accepts a byte order mark, CRLF line ends and ... as the closing line", () => {
    expect(parseDocument("\uFEFF---\r\ntitle: Plain\r\nslug: plain\r\n...\r\ntext").front).toMatchObject({ title: "Plain", slug: "plain" });
    expect(parseDocument("---\r\ntitle: Plain\r\nslug: plain\r\n---\r\ntext").body).toBe("text");
  });

  it.each([
    ["no front matter at all", "# Just markdown", "frontMatter"],
    ["no closing line", "---\ntitle: x\nbody", "frontMatter"],
    ["a missing title", "---\nslug: s\n---\n", "frontMatter.title"],
    ["an empty title", "---\ntitle:   \nslug: s\n---\n", "frontMatter.title"],
    ["a missing slug", "---\ntitle: t\n---\n", "frontMatter.slug"],
    ["a slug that is no path", "---\ntitle: t\nslug: ../etc\n---\n", "frontMatter.slug"],
    ["an overlong summary", `---\ntitle: t\nslug: s\nsummary: ${"d".repeat(501)}\n---\n`, "frontMatter.summary"],
    ["an unknown key", "---\ntitle: t\nslug: s\nlayout: wide\n---\n", "frontMatter.layout"],
    ["the old description key", "---\ntitle: t\nslug: s\ndescription: d\n---\n", "frontMatter.description"],
    ["a key given twice", "---\ntitle: a\ntitle: b\nslug: s\n---\n", "frontMatter.title"],
    ["an unknown kind", "---\ntitle: t\nslug: s\nkind: essay\n---\n", "frontMatter.kind"],
    ["tags that are not a list", "---\ntitle: t\nslug: s\ntags: a, b\n---\n", "frontMatter.tags"],
    ["a tag with a slash", "---\ntitle: t\nslug: s\ntags: [a/b]\n---\n", "frontMatter.tags.0"],
    ["an unknown locale", "---\ntitle: t\nslug: s\nlocale: xx\n---\n", "frontMatter.locale"],
    ["a date that is no date", "---\ntitle: t\nslug: s\ndate: next friday\n---\n", "frontMatter.date"],
    ["an impossible date", "---\ntitle: t\nslug: s\ndate: 2026-02-30\n---\n", "frontMatter.date"],
    ["a hero without alt text", "---\ntitle: t\nslug: s\nhero: /media/a.png\n---\n", "frontMatter.heroAlt"],
    ["a script hero", "---\ntitle: t\nslug: s\nhero: javascript:alert(1)\nheroAlt: x\n---\n", "frontMatter.hero"],
    ["a data: hero", "---\ntitle: t\nslug: s\nhero: 'data:image/svg+xml,<svg onload=alert(1)>'\nheroAlt: x\n---\n", "frontMatter.hero"],
    ["draft as a word", "---\ntitle: t\nslug: s\ndraft: maybe\n---\n", "frontMatter.draft"],
    ["a title that is a list", "---\ntitle: [a, b]\nslug: s\n---\n", "frontMatter.title"],
    ["a line that is not key: value", "---\ntitle: t\n- list item\n---\n", "frontMatter"],
    ["an unterminated quote", '---\ntitle: "open\n---\n', "frontMatter"],
    ["a list instead of keys", "---\n- a\n- b\n---\n", "frontMatter"],
    ["a __proto__ key", "---\ntitle: t\nslug: s\n__proto__: { draft: false }\n---\n", "frontMatter.__proto__"],
  ])("refuses %s with a 400 problem naming the field", (_label, source, field) => {
    expect(problemOf(source).status).toBe(400);
    expect(fieldsOf(source)).toContain(field);
  });

  it("says on which line of the document the YAML is broken", () => {
    expect(problemOf("---\ntitle: t\n- list item\n---\n").errors?.[0]?.message).toMatch(/^line 3: /);
  });

  it("refuses aliases, so a few lines cannot expand into a huge value", () => {
    const laughs = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]", "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]", "title: *c", "slug: s", "---", ""].join("\n");
    expect(problemOf(laughs).errors).toEqual([{ field: "frontMatter", message: "aliases (*name) are not allowed in front matter" }]);
  });

  it("does not let a __proto__ key reach any object's prototype", () => {
    fieldsOf("---\ntitle: t\nslug: s\n__proto__: { polluted: true }\n---\n");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
