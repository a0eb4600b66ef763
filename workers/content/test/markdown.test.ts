import { describe, expect, it } from "vitest";
import { safeHref } from "../src/links";
import { renderMarkdown } from "../src/markdown";

describe("renderMarkdown: what it renders", () => {
  it("renders headings, paragraphs, emphasis and inline code", () => {
    expect(renderMarkdown("# Title\n\n## Sub ##\n\nSome **bold**, *em*, __strong__, _em_ and `code <b>`.\nSame paragraph.")).toBe(
      "<h1>Title</h1>\n<h2>Sub</h2>\n<p>Some <strong>bold</strong>, <em>em</em>, <strong>strong</strong>, <em>em</em> and <code>code &lt;b&gt;</code>.\nSame paragraph.</p>",
    );
  });

  it("nests emphasis and leaves intraword underscores alone", () => {
    expect(renderMarkdown("**bold *and em* too** snake_case_name")).toBe("<p><strong>bold <em>and em</em> too</strong> snake_case_name</p>");
  });

  it("renders links: http, https and relative", () => {
    expect(renderMarkdown("[a](https://example.com/x?y=1&z=2) [b](/submit.html) [c](#top) [d](../up) [e](http://x.test \"t\")")).toBe(
      '<p><a href="https://example.com/x?y=1&amp;z=2" rel="noopener noreferrer">a</a> <a href="/submit.html">b</a> <a href="#top">c</a> <a href="../up">d</a> <a href="http://x.test" rel="noopener noreferrer">e</a></p>',
    );
    expect(renderMarkdown("<https://statex.app>")).toBe('<p><a href="https://statex.app" rel="noopener noreferrer">https://statex.app</a></p>');
  });

  it("renders tight, loose, ordered and nested lists", () => {
    expect(renderMarkdown("- one\n- two\n  - inner\n- three")).toBe("<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>inner</li>\n</ul></li>\n<li>three</li>\n</ul>");
    expect(renderMarkdown("3. c\n4. d")).toBe('<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>');
    expect(renderMarkdown("- a\n\n- b")).toBe("<ul>\n<li><p>a</p></li>\n<li><p>b</p></li>\n</ul>");
  });

  it("renders fenced code verbatim (escaped) and blockquotes with blocks inside", () => {
    expect(renderMarkdown("```ts\nconst a = 1 < 2 && **no**;\n```")).toBe('<pre><code class="language-ts">const a = 1 &lt; 2 &amp;&amp; **no**;</code></pre>');
    expect(renderMarkdown("> quoted *text*\n> - item")).toBe("<blockquote><p>quoted <em>text</em></p>\n<ul>\n<li>item</li>\n</ul></blockquote>");
    expect(renderMarkdown("a\n\n---\n\nb")).toBe("<p>a</p>\n<hr>\n<p>b</p>");
  });

  it("honours backslash escapes", () => {
    expect(renderMarkdown("\\*not em\\* and \\[not](a link)")).toBe("<p>*not em* and [not](a link)</p>");
  });
});

describe("renderMarkdown: what it never lets through", () => {
  it.each([
    ["a script tag", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["an onerror attribute", '<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"],
    ["an iframe inside emphasis", "**<iframe src=//evil>**", "<strong>&lt;iframe src=//evil&gt;</strong>"],
    ["html in a heading", "# <svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"],
    ["html in link text", "[<b onmouseover=x>hi</b>](/ok)", '<a href="/ok">&lt;b onmouseover=x&gt;hi&lt;/b&gt;</a>'],
    ["a quote breaking out of href", '[x](/a"onmouseover="alert`1`)', '<a href="/a&quot;onmouseover=&quot;alert`1`">x</a>'],
    ["a forged placeholder", "\u00010\u0001 [a](/b)", ' <a href="/b">a</a>'],
  ])("escapes %s", (_label, input, expected) => {
    const html = renderMarkdown(input);
    expect(html).toContain(expected);
    expect(html).not.toMatch(/<(script|img|iframe|svg)\b/i);
    expect(html).not.toMatch(/\son\w+="/i);
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
  ])("never makes a link of %j", (url) => {
    const html = renderMarkdown(`[click me](${url})`);
    expect(html).not.toContain("<a");
    expect(html).not.toContain("href");
    // Where the target parses as a link at all, only its text is kept.
    if (!/\s/.test(url.trim())) expect(html).toBe("<p>click me</p>");
  });

  it("refuses javascript: in autolinks and in the link policy itself", () => {
    expect(renderMarkdown("<javascript:alert(1)>")).toBe("<p>&lt;javascript:alert(1)&gt;</p>");
    expect(safeHref("javascript\u0000:alert(1)")).toBeNull();
    expect(safeHref("mailto:a@b.c")).toBeNull();
    expect(safeHref("weird:thing/x")).toBeNull();
    expect(safeHref("page?x=a:b")).toBe("page?x=a:b");
    expect(safeHref("HTTPS://EXAMPLE.COM")).toBe("HTTPS://EXAMPLE.COM");
  });

  it("shows deeply nested quotes as text instead of recursing without end", () => {
    const html = renderMarkdown(">".repeat(5_000) + " deep");
    expect(html.match(/<blockquote>/g)?.length).toBe(8);
    expect(html).toContain("&gt;&gt;&gt;");
  });

  it("shows unclosed emphasis and backtick runs as the text they are", () => {
    // Inputs that make a backtracking pattern blow up: none of them may open a tag, and all of the text comes out.
    const paragraphs = ["*a ".repeat(20_000).trim(), `a ${"`".repeat(5_000)} b`, "_x ".repeat(20_000).trim()];
    expect(renderMarkdown(paragraphs.join("\n\n"))).toBe(paragraphs.map((p) => `<p>${p}</p>`).join("\n"));
  });
});
