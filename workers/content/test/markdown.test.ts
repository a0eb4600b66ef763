import { allowedUrl, renderMarkdown } from "@statex/shared/markdown";
import { describe, expect, it } from "vitest";

const html = (markdown: string, opts?: Parameters<typeof renderMarkdown>[1]) => renderMarkdown(markdown, opts).html;

describe("renderMarkdown: what it renders", () => {
  it("renders headings with ids, paragraphs, emphasis and inline code", () => {
    expect(html("# Title\n\n## Sub ##\n\nSome **bold**, *em*, __strong__, _em_ and `code <b>`.\nSame paragraph.")).toBe(
      '<h1 id="title">Title</h1>\n<h2 id="sub">Sub</h2>\n<p>Some <strong>bold</strong>, <em>em</em>, <strong>strong</strong>, <em>em</em> and <code>code &lt;b&gt;</code>.\nSame paragraph.</p>\n',
    );
  });

  it("nests emphasis and leaves intraword underscores alone", () => {
    expect(html("**bold *and em* too** snake_case_name")).toBe("<p><strong>bold <em>and em</em> too</strong> snake_case_name</p>\n");
  });

  it("renders links: http, https, mailto and relative; only those off the site get rel=noopener", () => {
    expect(html('[a](https://example.com/x?y=1&z=2) [b](/submit.html) [c](#top) [d](../up) [e](http://x.test "t") [f](mailto:a@b.c)', { siteOrigin: "https://statex.app" })).toBe(
      '<p><a href="https://example.com/x?y=1&amp;z=2" rel="noopener">a</a> <a href="/submit.html">b</a> <a href="#top">c</a> <a href="../up">d</a> <a href="http://x.test" title="t" rel="noopener">e</a> <a href="mailto:a@b.c">f</a></p>\n',
    );
    expect(html("[home](https://statex.app/p/about) [cdn](//cdn.example)", { siteOrigin: "https://statex.app" })).toBe(
      '<p><a href="https://statex.app/p/about">home</a> <a href="//cdn.example" rel="noopener">cdn</a></p>\n',
    );
    // Without the site's origin, every absolute link counts as leaving it.
    expect(html("[home](https://statex.app/)")).toBe('<p><a href="https://statex.app/" rel="noopener">home</a></p>\n');
  });

  it("renders autolinks and bare URLs and email addresses, but not words with a dot", () => {
    expect(html("<https://statex.app> see http://x.test/a or write to hi@statex.app; file.md")).toBe(
      '<p><a href="https://statex.app" rel="noopener">https://statex.app</a> see <a href="http://x.test/a" rel="noopener">http://x.test/a</a> or write to <a href="mailto:hi@statex.app">hi@statex.app</a>; file.md</p>\n',
    );
  });

  it("renders tight, loose, ordered and nested lists", () => {
    expect(html("- one\n- two\n  - inner\n- three")).toBe("<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>inner</li>\n</ul>\n</li>\n<li>three</li>\n</ul>\n");
    expect(html("3. c\n4. d")).toBe('<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>\n');
    expect(html("- a\n\n- b")).toBe("<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>\n");
  });

  it("renders fenced code verbatim (escaped), blockquotes with blocks inside, and rules", () => {
    expect(html("```ts\nconst a = 1 < 2 && **no**;\n```")).toBe('<pre><code class="language-ts">const a = 1 &lt; 2 &amp;&amp; **no**;\n</code></pre>\n');
    expect(html("> quoted *text*\n> - item")).toBe("<blockquote>\n<p>quoted <em>text</em></p>\n<ul>\n<li>item</li>\n</ul>\n</blockquote>\n");
    expect(html("a\n\n---\n\nb")).toBe("<p>a</p>\n<hr>\n<p>b</p>\n");
  });

  it("honours backslash escapes", () => {
    expect(html("\\*not em\\* and \\[not](a link)")).toBe("<p>*not em* and [not](a link)</p>\n");
  });

  it("renders GitHub tables, alignment as attributes the site's CSP allows (no style)", () => {
    expect(html("| Item | Days | Cost |\n|:--|:-:|--:|\n| Design | **3** | 1,200 |\n| Build | 10 | `4,000` |")).toBe(
      [
        "<table>",
        "<thead>",
        "<tr>",
        '<th align="left">Item</th>',
        '<th align="center">Days</th>',
        '<th align="right">Cost</th>',
        "</tr>",
        "</thead>",
        "<tbody>",
        "<tr>",
        '<td align="left">Design</td>',
        '<td align="center"><strong>3</strong></td>',
        '<td align="right">1,200</td>',
        "</tr>",
        "<tr>",
        '<td align="left">Build</td>',
        '<td align="center">10</td>',
        '<td align="right"><code>4,000</code></td>',
        "</tr>",
        "</tbody>",
        "</table>\n",
      ].join("\n"),
    );
    expect(html("| a | b |\n|---|---|\n| 1 | 2 |")).toContain("<th>a</th>");
  });

  it("gives every heading a unique id and lists the headings", () => {
    const page = renderMarkdown("# Hello\n\n# Hello\n\n## Über uns!\n\n### `code` & [a link](/x)\n\n#");
    expect(page.headings).toEqual([
      { level: 1, id: "hello", text: "Hello" },
      { level: 1, id: "hello-2", text: "Hello" },
      { level: 2, id: "über-uns", text: "Über uns!" },
      { level: 3, id: "code-a-link", text: "code & a link" },
      { level: 1, id: "section", text: "" },
    ]);
    expect(page.html).toContain('<h3 id="code-a-link"><code>code</code> &amp; <a href="/x">a link</a></h3>');
    // On a page with ids of its own, the document's are prefixed.
    expect(renderMarkdown("## Summary", { idPrefix: "draft-" }).html).toBe('<h2 id="draft-summary">Summary</h2>\n');
  });

  it("renders images lazily, with their size when the lookup knows it", () => {
    const sizes: Record<string, { width: number; height: number }> = { "/media/ab12.png": { width: 640, height: 480 } };
    expect(html('![A cat](/media/ab12.png "Our cat") ![Remote](https://img.example/x.jpg)', { images: (src) => sizes[src] })).toBe(
      '<p><img src="/media/ab12.png" alt="A cat" title="Our cat" width="640" height="480" loading="lazy"> <img src="https://img.example/x.jpg" alt="Remote" loading="lazy"></p>\n',
    );
  });

  it("gives the plain text of the document for search", () => {
    expect(renderMarkdown("# Title\n\nSome **bold** [link](/x) and ![a cat](/c.png).\nNext line.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode <here>\n```").text).toBe(
      "Title\nSome bold link and a cat. Next line.\na\nb\n1\n2\ncode <here>",
    );
  });
});

/**
 * What no rendering may contain: an element that runs script or loads a page, an event handler attribute, or a
 * link or image to anything but http(s), mailto and relative URLs. Escaped text (`&lt;img onerror=…`) is no tag.
 */
function expectInert(rendered: string): void {
  const tags = rendered.match(/<[a-z][^>]*>/gi) ?? [];
  for (const tag of tags) {
    expect(tag).toMatch(/^<(?:p|h[1-6]|em|strong|code|pre|a|img|ul|ol|li|blockquote|hr|br|table|thead|tbody|tr|th|td|s)\b/);
    // Attribute names only: a value is quoted, and a quote inside it is &quot;.
    expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+\s*=/i);
    for (const [, value] of tag.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(allowedUrl(decode(value ?? ""))).toBe(true);
  }
}

/** An attribute's value as the browser reads it. */
const decode = (value: string) => value.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

describe("renderMarkdown: what it never lets through", () => {
  it.each([
    ["a script tag", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["an onerror attribute", '<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"],
    ["an iframe inside emphasis", "**<iframe src=//evil>**", "<strong>&lt;iframe src=//evil&gt;</strong>"],
    ["html in a heading", "# <svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"],
    ["html in link text", "[<b onmouseover=x>hi</b>](/ok)", '<a href="/ok">&lt;b onmouseover=x&gt;hi&lt;/b&gt;</a>'],
    ["a quote breaking out of href", '[x](/a"onmouseover="alert`1`)', '<a href="/a%22onmouseover=%22alert%601%60">x</a>'],
    ["a quote breaking out of a link title", '[x](/a "t\\" onmouseover=\\"alert(1)")', 'title="t&quot; onmouseover=&quot;alert(1)"'],
    ["a quote breaking out of an image's alt", '![a" onerror="alert(1)](/i.png)', 'alt="a&quot; onerror=&quot;alert(1)"'],
    ["a quote breaking out of an image's title", '![a](/i.png "x\\" onload=\\"alert(1)")', 'title="x&quot; onload=&quot;alert(1)"'],
    ["an html block", "<div>\n<script>alert(1)</script>\n</div>", "&lt;div&gt;"],
    ["a style block", "<style>body{display:none}</style>", "&lt;style&gt;"],
    ["an html comment", "<!-- <script>alert(1)</script> -->", "&lt;!-- &lt;script&gt;"],
    ["a body onload", "<body onload=alert(1)>", "&lt;body onload=alert(1)&gt;"],
    ["a meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "&lt;meta"],
    ["entity-encoded markup", "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["a fenced block of markup", "```html\n<script>alert(1)</script>\n```", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["markup in a table cell", "| a |\n|---|\n| <img src=x onerror=alert(1)> |", "&lt;img src=x onerror=alert(1)&gt;"],
    ["a fence's language breaking out", '```"><script>alert(1)</script>\nx\n```', 'class="language-&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'],
  ])("escapes %s", (_label, input, expected) => {
    const rendered = html(input);
    expect(rendered).toContain(expected);
    expectInert(rendered);
  });

  // The link cases of OWASP's XSS filter evasion cheat sheet, as link targets, image sources and autolinks.
  const hostile = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "javascript&colon;alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "java&#x09;script:alert(1)",
    "java&#x0A;script:alert(1)",
    "java&#x0D;script:alert(1)",
    "java&#0;script:alert(1)",
    "&#x20;javascript:alert(1)",
    "<javascript:alert(1)>",
    "<java\tscript:alert(1)>",
    "\\javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "data:image/png;base64,iVBORw0KGgo=",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "livescript:alert(1)",
    "jav&#x09;ascript:alert(1)",
  ];

  it.each(hostile)("never makes a link or an image with a scheme of %j", (url) => {
    for (const markdown of [`[click me](${url})`, `![pic](${url})`, `[ref]\n\n[ref]: ${url}`, `<${url}>`, url]) {
      const rendered = html(markdown);
      expectInert(rendered);
      // Where a target survives at all (an entity CommonMark does not decode), it is a path on the site, not a scheme.
      for (const [, value] of rendered.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(decode(value ?? "")).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    }
  });

  it("refuses mailto as an image, keeping its words", () => {
    expect(html("![write to us](mailto:a@b.c)")).toBe("<p>write to us</p>\n");
  });

  it("has a link policy of http(s), mailto and relative, judged after entities are decoded", () => {
    expect(allowedUrl("javascript\u0000:alert(1)")).toBe(false);
    expect(allowedUrl("java%09script:alert(1)")).toBe(false);
    expect(allowedUrl("weird:thing/x")).toBe(false);
    expect(allowedUrl("page?x=a:b")).toBe(true);
    expect(allowedUrl("HTTPS://EXAMPLE.COM")).toBe(true);
    expect(allowedUrl("MailTo:a@b.c")).toBe(true);
    expect(allowedUrl("ftp://x.test/")).toBe(false);
  });

  it("keeps deeply nested quotes and lists to a bounded depth instead of recursing without end", () => {
    // Past markdown-it's nesting limit the rest of the line is dropped: hostile input, bounded work.
    expect(html(`${">".repeat(5_000)} deep`).match(/<blockquote>/g)?.length).toBeLessThanOrEqual(100);
    expectInert(html(Array.from({ length: 2_000 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n")));
  });

  it("shows unclosed emphasis, brackets and backtick runs as the text they are", () => {
    // Inputs that make a backtracking parser blow up: none of them may open a tag, and all of the text comes out.
    const paragraphs = ["*a ".repeat(20_000).trim(), `a ${"`".repeat(5_000)} b`, "_x ".repeat(20_000).trim(), "[".repeat(20_000), "[a](".repeat(10_000).trim()];
    expect(html(paragraphs.join("\n\n"))).toBe(paragraphs.map((p) => `<p>${p}</p>\n`).join(""));
  });
});
