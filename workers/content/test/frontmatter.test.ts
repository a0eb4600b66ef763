import { ProblemError } from "@statex/shared/errors";
import { describe, expect, it } from "vitest";
import { parsePage } from "../src/frontmatter";

function fieldsOf(source: string): string[] {
  try {
    parsePage(source);
  } catch (err) {
    if (err instanceof ProblemError) return (err.errors ?? []).map((e) => e.field);
    throw err;
  }
  throw new Error("expected a problem");
}

describe("parsePage", () => {
  it("splits front matter from the body, with quoted values and comments", () => {
    const page = parsePage('---\ntitle: "About: us"\n# a comment\ndescription: \'It\'\'s us\'\n---\n# Hello\n\nBody');
    expect(page.meta).toEqual({ title: "About: us", description: "It's us" });
    expect(page.body).toBe("# Hello\n\nBody");
  });

  it("accepts CRLF line ends and a missing description", () => {
    expect(parsePage("---\r\ntitle: Plain\r\n---\r\ntext").meta).toEqual({ title: "Plain" });
  });

  it.each([
    ["no front matter at all", "# Just markdown", "frontMatter"],
    ["no closing line", "---\ntitle: x\nbody", "frontMatter"],
    ["a missing title", "---\ndescription: d\n---\n", "frontMatter.title"],
    ["an empty title", "---\ntitle:   \n---\n", "frontMatter.title"],
    ["an overlong description", `---\ntitle: t\ndescription: ${"d".repeat(501)}\n---\n`, "frontMatter.description"],
    ["an unknown key", "---\ntitle: t\nlayout: wide\n---\n", "frontMatter.layout"],
    ["a key given twice", "---\ntitle: a\ntitle: b\n---\n", "frontMatter.title"],
    ["a line that is not key: value", "---\ntitle: t\n- list item\n---\n", "frontMatter"],
    ["an unterminated quote", '---\ntitle: "open\n---\n', "frontMatter"],
  ])("refuses %s with a problem naming the field", (_label, source, field) => {
    expect(fieldsOf(source)).toContain(field);
  });
});
